"""Books: the general ledger and account detail."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
        if _wants_xlsx(request):
            head = [
                [
                    data["date_from"],
                    "",
                    _("Opening balance"),
                    "",
                    "",
                    "",
                    _side(detail.opening),
                    abs(detail.opening),
                ]
            ]
            body = (
                [
                    line.date,
                    line.voucher_number,
                    line.summary,
                    f"{line.account_code} {line.account_name}",
                    line.debit_amount,
                    line.credit_amount,
                    _side(line.balance),
                    abs(line.balance),
                ]
                for line in detail.lines.iterator(chunk_size=1000)
            )
            tail = [
                [
                    "",
                    "",
                    _("Total for the range"),
                    "",
                    detail.debit,
                    detail.credit,
                    _side(detail.closing),
                    abs(detail.closing),
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
        context.update(paginate(request, detail.lines), detail=detail)
    return _page(request, "ledger/reports/account_detail.html", title, **context)


def _chain(*parts: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    for part in parts:
        yield from part
