"""Balance reports: trial balance, the vouchers behind a cell, customer balances."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from suanpan.core.listing import paginate
from suanpan.core.transfer_pages import xlsx_response
from suanpan.ledger import calculations, selectors
from suanpan.ledger.views.reports import _form, _page, _wants_xlsx, report_view
from suanpan.users.http import AuthenticatedHttpRequest


@report_view
def trial_balance(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    title = _("Trial balance")
    form = _form(request, "period_from", "period_to", "level")
    balance = None
    if form.is_valid():
        level = form.cleaned_data.get("level")
        balance = selectors.trial_balance(
            period_from=form.cleaned_data["period_from"],
            period_to=form.cleaned_data["period_to"],
            level=int(level) if level else None,
        )
        if _wants_xlsx(request):
            header = [
                _("Code"),
                _("Account"),
                _("Opening debit"),
                _("Opening credit"),
                _("Period debit"),
                _("Period credit"),
                _("Closing debit"),
                _("Closing credit"),
            ]
            rows: list[list[Any]] = [
                [
                    r.account.code,
                    r.account.name,
                    r.opening_debit,
                    r.opening_credit,
                    r.debit,
                    r.credit,
                    r.closing_debit,
                    r.closing_credit,
                ]
                for r in balance.rows
            ]
            rows.append(
                [
                    "",
                    _("Total"),
                    balance.opening_debit,
                    balance.opening_credit,
                    balance.period_debit,
                    balance.period_credit,
                    balance.closing_debit,
                    balance.closing_credit,
                ]
            )
            return xlsx_response(
                filename=f"trial-balance-{form.cleaned_data['period_from'].key}-"
                f"{form.cleaned_data['period_to'].key}",
                title=title,
                header=header,
                rows=rows,
            )
    return _page(request, "ledger/reports/trial_balance.html", title, form=form, balance=balance)


@report_view
def drilldown(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The posted vouchers behind a balance: an account (subtree), a period range, a customer."""
    title = _("Vouchers behind a balance")
    form = _form(request, "account", "period_from", "period_to", "customer")
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        vouchers = selectors.voucher_drilldown(
            account=data["account"],
            period_from=data["period_from"],
            period_to=data["period_to"],
            dimension=data.get("customer"),
        ).prefetch_related("lines__account", "lines__dimension")
        if _wants_xlsx(request):
            return xlsx_response(
                filename=f"vouchers-{data['account'].code}",
                title=title,
                header=[_("Date"), _("Voucher"), _("Summary"), _("Debit"), _("Credit")],
                rows=(
                    [v.date, v.display_number, v.summary, *_voucher_totals(v)]
                    for v in vouchers.iterator(chunk_size=500)
                ),
            )
        context.update(paginate(request, vouchers), account=data["account"])
    return _page(request, "ledger/reports/drilldown.html", title, **context)


def _voucher_totals(voucher: Any) -> tuple[Decimal, Decimal]:
    lines = list(voucher.lines.all())
    return (
        sum((x.debit_amount for x in lines), calculations.ZERO),
        sum((x.credit_amount for x in lines), calculations.ZERO),
    )


@report_view
def customer_balances(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    title = _("Customer balances")
    form = _form(request, "account", "period_from", "period_to")
    report = None
    if form.is_valid():
        data = form.cleaned_data
        report = selectors.customer_balances(
            account=data["account"], period_from=data["period_from"], period_to=data["period_to"]
        )
        if _wants_xlsx(request):
            rows: list[list[Any]] = [
                [r.code, r.name, r.opening, r.debit, r.credit, r.closing] for r in report.rows
            ]
            rows.append(
                ["", _("Total"), report.opening, report.debit, report.credit, report.closing]
            )
            return xlsx_response(
                filename=f"customer-balances-{data['account'].code}",
                title=title,
                header=[
                    _("Customer number"),
                    _("Customer"),
                    _("Opening"),
                    _("Debit"),
                    _("Credit"),
                    _("Closing"),
                ],
                rows=rows,
            )
    return _page(request, "ledger/reports/customer_balances.html", title, form=form, report=report)
