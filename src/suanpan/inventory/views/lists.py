"""The list page every inventory document has: the filtered rows a page at a time, sortable
columns, and just the `results` partial when htmx asks (a search typed, a filter changed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from suanpan.core.listing import list_render, paginate
from suanpan.core.sorting import sort_headers
from suanpan.users.http import AuthenticatedHttpRequest


def list_page(
    request: AuthenticatedHttpRequest,
    template: str,
    *,
    rows: Any,
    filterset: Any,
    columns: Sequence[tuple[Any, ...]],
    breadcrumbs: list[Any],
    subnav: str,
    filter_names: Iterable[str],
) -> HttpResponse:
    """`filter_names` are the filters that, given, make an empty list "nothing matches"
    rather than "nothing yet"."""
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": sort_headers(request, columns),
        "breadcrumbs": breadcrumbs,
        "subnav": subnav,
        "filtered": any(request.GET.get(name) for name in filter_names),
        **paginate(request, rows),
    }
    return list_render(request, template, context)
