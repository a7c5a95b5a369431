"""Books: the general ledger and account detail."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from suanpan.core.listing import paginate
from suanpan.core.transfer_pages import xlsx_response
from suanpan.ledger import selectors
from suanpan.ledger.views.reports import (
    _form,
    _page,
    _side,
    _wants_xlsx,
    report_view,
)
from suanpan.users.http import AuthenticatedHttpRequest


@report_view
def general_ledger(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    title = _("General ledger")
    form = _form(request, "account", "period_from", "period_to")
    rows = None
    if form.is_valid():
        data = form.cleaned_data
        rows = selectors.general_ledger(
            account=data["account"], period_from=data["period_from"], period_to=data["period_to"]
        )
        if _wants_xlsx(request):
            return xlsx_response(
                filename=f"general-ledger-{data['account'].code}",
                title=title,
                header=[
                    _("Period"),
                    _("Opening"),
                    _("Debit"),
                    _("Credit"),
                    _("Year-to-date debit"),
                    _("Year-to-date credit"),
                    _("Direction"),
                    _("Closing"),
                ],
                rows=(
                    [
                        r.key,
                        r.opening,
                        r.debit,
                        r.credit,
                        r.year_debit,
                        r.year_credit,
                        _side(r.closing),
                        r.closing_abs,
                    ]
                    for r in rows
                ),
            )
    return _page(request, "ledger/reports/general_ledger.html", title, form=form, rows=rows)


@report_view
def account_detail(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    title = _("Detail ledger")
    form = _form(request, "account", "date_from", "date_to", "customer")
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        detail = selectors.account_detail(
            account=data["account"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            dimension=data.get("customer"),
        )
        months = selectors.detail_months(detail=detail)
        if _wants_xlsx(request):
            head = [
                [
                    data["date_from"],
                    "",
                    _opening_label(detail),
                    "",
                    "",
                    "",
                    *_balance(detail.opening),
                ]
            ]
            body = (
                sheet_row
                for row in selectors.detail_rows(
                    detail.lines.iterator(chunk_size=1000), months, start=0
                )
                for sheet_row in _detail_sheet_row(row)
            )
            tail = [
                [
                    "",
                    "",
                    _("Total for the range"),
                    "",
                    detail.debit,
                    detail.credit,
                    *_balance(detail.closing),
                ]
            ]
            return xlsx_response(
                filename=f"detail-ledger-{data['account'].code}",
                title=title,
                header=[
                    _("Date"),
                    _("Voucher"),
                    _("Summary"),
                    _("Account"),
                    _("Debit"),
                    _("Credit"),
                    _("Direction"),
                    _("Balance"),
                ],
                rows=_chain(head, body, tail),
            )
        page = paginate(request, detail.lines)
        page_obj = page["page_obj"]
        rows = list(
            selectors.detail_rows(
                page_obj.object_list, months, start=max(page_obj.start_index() - 1, 0)
            )
        )
        context.update(page, detail=detail, rows=rows, opening_label=_opening_label(detail))
    return _page(request, "ledger/reports/account_detail.html", title, **context)


def _opening_label(detail: selectors.AccountDetail) -> str:
    # A range that starts a year opens with what the last year carried forward.
    return _("Brought forward") if detail.brought_forward else _("Opening balance")


def _balance(amount: Decimal) -> list[Any]:
    return [_side(amount), abs(amount)]


def _detail_sheet_row(row: selectors.DetailLine | selectors.DetailMonth) -> Iterable[Any]:
    """A line, or a month's two total rows (本月合计, 本年累计), as the sheet holds them."""
    if isinstance(row, selectors.DetailMonth):
        return [
            ["", "", _("Month total"), row.key, row.debit, row.credit, *_balance(row.closing)],
            [
                "",
                "",
                _("Year to date"),
                row.key,
                row.year_debit,
                row.year_credit,
                *_balance(row.closing),
            ],
        ]
    return [
        [
            row.date,
            row.voucher_number,
            row.summary,
            f"{row.account_code} {row.account_name}",
            row.debit_amount,
            row.credit_amount,
            *_balance(row.balance),
        ]
    ]


def _chain(*parts: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    for part in parts:
        yield from part
