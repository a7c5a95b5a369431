"""What the sales pages share: breadcrumbs and the list page scaffolding."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from suanpan.core.listing import list_render
from suanpan.core.sorting import sort_headers
from suanpan.users.http import AuthenticatedHttpRequest

Crumb = tuple[str, str | None]


def sales_crumbs(*items: Crumb) -> list[Crumb]:
    """Breadcrumbs under "Sales" (the pipeline board)."""
    return [(_("Sales"), reverse("sales:home")), *items]


def list_page(
    request: AuthenticatedHttpRequest,
    template: str,
    *,
    filterset: Any,
    columns: Any,
    filtered: bool,
    **context: Any,
) -> HttpResponse:
    """A document list: its filter form, sortable column headers and rows (`context` carries
    the page of rows, the breadcrumbs and the sub-navigation); only the results fragment when
    htmx filters, sorts or turns the page."""
    context.update(filter=filterset, columns=sort_headers(request, columns), filtered=filtered)
    return list_render(request, template, context)
