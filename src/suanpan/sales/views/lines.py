"""The line grid's live preview: the rows as entered, priced by the server (htmx fragment)."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from suanpan.core.capitals import amount_in_capitals
from suanpan.core.errors import DomainError
from suanpan.sales.forms.lines import LINE_PREFIX, LineFormSet
from suanpan.sales.services.lines import LineInput, lines_price, lines_totals
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

# Whoever may write a priced document may preview its lines.
LINE_PERMISSIONS = (
    "sales.add_quote",
    "sales.change_quote",
    "sales.add_salesorder",
    "sales.change_salesorder",
)
PREFIX_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,30}$")


@page_permission(*LINE_PERMISSIONS)
@require_POST
def lines_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    prefix = request.POST.get("line_prefix", LINE_PREFIX)
    if not PREFIX_PATTERN.match(prefix):
        prefix = LINE_PREFIX
    price_includes_tax = request.POST.get("price_includes_tax") in ("on", "true", "1", "True")
    formset = LineFormSet(request.POST, prefix=prefix)
    rows: list[dict[str, Any]] = []
    inputs: list[LineInput] = []
    # A missing or tampered management form gives no rows (Django counts zero forms).
    for form in formset.forms:
        row: dict[str, Any] = {"id": f"{form.prefix}-amount", "line": None, "invalid": False}
        if form.has_changed():
            if form.is_valid():
                row["input_index"] = len(inputs)
                inputs.append(form.line_input())
            else:
                row["invalid"] = True
        rows.append(row)
    error = ""
    priced = []
    if inputs:
        try:
            priced = lines_price(inputs=inputs, price_includes_tax=price_includes_tax)
        except DomainError as exc:
            error = exc.message
    for row in rows:
        if priced and "input_index" in row:
            row["line"] = priced[row["input_index"]]
    totals = lines_totals(priced)
    context = {
        "rows": rows,
        "totals": totals,
        "capitals": amount_in_capitals(totals.gross_amount),
        "error": error,
        "count": len(priced),
        "price_includes_tax": price_includes_tax,
    }
    return render(request, "sales/includes/line_grid_preview.html", context)
