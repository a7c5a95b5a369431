"""Sortable column headers: each knows the link that sorts by it and which way it sorts now."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest


def sort_headers(
    request: HttpRequest, columns: Iterable[tuple[str | None, Any]]
) -> list[dict[str, Any]]:
    current = request.GET.get("ordering", "")
    params = request.GET.copy()
    params.pop("page", None)
    headers = []
    for key, label in columns:
        header: dict[str, Any] = {"label": label, "key": key, "url": None, "direction": None}
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
