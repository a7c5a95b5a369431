"""Sortable column headers: each knows the link that sorts by it and which way it sorts now.

A list declares its columns as `(key, label)` or `(key, label, css)`: `key` is the `ordering`
value that sorts by the column (None: it does not sort), `css` the header cell's classes —
`text-end` over amounts, `d-none d-sm-table-cell` for a column a phone leaves out.
`web/includes/sort_head.html` renders the header cells."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest


def sort_headers(request: HttpRequest, columns: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    current = request.GET.get("ordering", "")
    params = request.GET.copy()
    params.pop("page", None)
    headers = []
    for key, label, *css in columns:
        header: dict[str, Any] = {
            "label": label,
            "key": key,
            "url": None,
            "direction": None,
            "css": css[0] if css else "",
        }
        if key:
            if current == key:
                header["direction"] = "asc"
                params["ordering"] = f"-{key}"
            elif current == f"-{key}":
                header["direction"] = "desc"
                params["ordering"] = key
            else:
                params["ordering"] = key
            header["url"] = f"?{params.urlencode()}"
        headers.append(header)
    return headers
