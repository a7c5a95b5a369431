"""/api/v1/ledger/reports: the report pages' selectors as typed JSON; amounts are Decimal.

Periods are named like 202601; accounts by code; customers by their number. Without a
period, the latest one; without an account, the one playing the receivable role.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from suanpan.core.date_checks import business_window, report_dates_require
from suanpan.core.errors import ValidationFailed
from suanpan.ledger import calculations, selectors
from suanpan.ledger.api.report_schemas import (
    AccountDetailOut,
    AccountDetailQuery,
    AccountPeriodQuery,
    AgeingOut,
    AgeingQuery,
    CustomerBalancesOut,
    GeneralLedgerOut,
    OpenItemOut,
    OpenItemsQuery,
    PeriodRange,
    TrialBalanceOut,
    TrialBalanceQuery,
)
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Account, Dimension, Period
from suanpan.users.decorators import api_permission

router = Router(tags=["ledger reports"])

PERMISSION = "ledger.view_ledger_reports"


# ---------------------------------------------------------------------------- helpers


def _require_books() -> None:
    selectors.company_get()  # LedgerNotSetUp when there are no books yet


def _account(code: str | None) -> Account:
    account = (
        selectors.account_by_code(code=code)
        if code
        else selectors.account_for_role(AccountRole.RECEIVABLE)
    )
    if account is None:
        raise ValidationFailed(fields={"account": [_("No account with this code.")]})
    return account


def _customer(code: str | None) -> Dimension | None:
    if not code:
        return None
    dimension = selectors.dimension_by_code(code=code)
    if dimension is None:
        raise ValidationFailed(
            fields={"customer": [_("No customer with this number in the books.")]}
        )
    return dimension


def _periods(query: PeriodRange) -> tuple[Period, Period]:
    periods = selectors.period_choices()
    if not periods:
        raise ValidationFailed(fields={"period_from": [_("The books have no periods yet.")]})
    found: dict[str, Period] = {}
    for name in ("period_from", "period_to"):
        key = getattr(query, name)
        period = selectors.period_by_key(key) if key else periods[-1]
        if period is None:
            raise ValidationFailed(fields={name: [_("No period %(key)s.") % {"key": key}]})
        found[name] = period
    start, end = found["period_from"], found["period_to"]
    if (start.year, start.month) > (end.year, end.month):
        raise ValidationFailed(fields={"period_to": [_("The range ends before it starts.")]})
    return start, end


def _account_out(account: Account) -> dict[str, Any]:
    return {
        "code": account.code,
        "name": account.name,
        "level": account.level,
        "direction": account.direction,
    }


def _as_of(value: date | None) -> date:
    """The date asked for, within the window of report dates (422 otherwise); by default today,
    or the end of the latest period when postings are dated ahead of today — but never past
    the window, should old data hold a period in year 9999."""
    if value is not None:
        report_dates_require({"as_of": value})
        return value
    periods = selectors.period_choices()
    last = selectors.period_last_day(periods[-1]) if periods else date.min
    return min(max(timezone.localdate(), last), business_window(first_period=None).latest)


# ---------------------------------------------------------------------------- endpoints


@router.get("/trial-balance", response=TrialBalanceOut, summary="Trial balance")
@api_permission(PERMISSION)
def trial_balance(request: HttpRequest, query: Query[TrialBalanceQuery]) -> Any:
    _require_books()
    start, end = _periods(query)
    balance = selectors.trial_balance(period_from=start, period_to=end, level=query.level)
    return {
        "period_from": start.key,
        "period_to": end.key,
        "rows": [
            {
                "account": _account_out(r.account),
                "opening": r.opening,
                "debit": r.debit,
                "credit": r.credit,
                "closing": r.closing,
            }
            for r in balance.rows
        ],
        "opening_debit": balance.opening_debit,
        "opening_credit": balance.opening_credit,
        "period_debit": balance.period_debit,
        "period_credit": balance.period_credit,
        "closing_debit": balance.closing_debit,
        "closing_credit": balance.closing_credit,
    }


@router.get("/general-ledger", response=GeneralLedgerOut, summary="General ledger of an account")
@api_permission(PERMISSION)
def general_ledger(request: HttpRequest, query: Query[AccountPeriodQuery]) -> Any:
    _require_books()
    account = _account(query.account)
    start, end = _periods(query)
    rows = selectors.general_ledger(account=account, period_from=start, period_to=end)
    return {
        "account": _account_out(account),
        "rows": [
            {
                "period": r.key,
                "opening": r.opening,
                "debit": r.debit,
                "credit": r.credit,
                "closing": r.closing,
                "year_debit": r.year_debit,
                "year_credit": r.year_credit,
            }
            for r in rows
        ],
    }


@router.get(
    "/account-detail",
    response=AccountDetailOut,
    summary="Detail ledger of an account with a running balance",
)
@api_permission(PERMISSION)
def account_detail(request: HttpRequest, query: Query[AccountDetailQuery]) -> Any:
    _require_books()
    account = _account(query.account)
    customer = _customer(query.customer)
    periods = selectors.period_choices()
    last = periods[-1] if periods else None
    date_from = query.date_from or (selectors.period_first_day(last) if last else date.min)
    date_to = query.date_to or (selectors.period_last_day(last) if last else date.max)
    if date_from > date_to:
        raise ValidationFailed(fields={"date_to": [_("The range ends before it starts.")]})
    detail = selectors.account_detail(
        account=account, date_from=date_from, date_to=date_to, dimension=customer
    )
    lines = detail.lines[query.offset : query.offset + query.limit]
    return {
        "account": _account_out(account),
        "customer": customer.code if customer else None,
        "date_from": date_from,
        "date_to": date_to,
        "brought_forward": detail.brought_forward,
        "opening": detail.opening,
        "debit": detail.debit,
        "credit": detail.credit,
        "closing": detail.closing,
        "count": detail.lines.count(),
        "lines": [
            {
                "date": line.date,
                "voucher": line.voucher_number,
                "voucher_id": line.voucher_id,
                "line_no": line.line_no,
                "account_code": line.account_code,
                "customer": line.dimension_code,
                "summary": line.summary,
                "debit": line.debit_amount,
                "credit": line.credit_amount,
                "balance": line.balance,
            }
            for line in lines
        ],
        "months": [
            {
                "period": month.key,
                "debit": month.debit,
                "credit": month.credit,
                "year_debit": month.year_debit,
                "year_credit": month.year_credit,
                "closing": month.closing,
            }
            for month in selectors.detail_months(detail=detail)
        ],
    }


@router.get(
    "/customer-balances", response=CustomerBalancesOut, summary="Balances per customer (辅助余额表)"
)
@api_permission(PERMISSION)
def customer_balances(request: HttpRequest, query: Query[AccountPeriodQuery]) -> Any:
    _require_books()
    account = _account(query.account)
    start, end = _periods(query)
    report = selectors.customer_balances(account=account, period_from=start, period_to=end)
    return {
        "account": _account_out(account),
        "period_from": start.key,
        "period_to": end.key,
        "rows": [
            {
                "customer": r.code,
                "name": r.name,
                "opening": r.opening,
                "debit": r.debit,
                "credit": r.credit,
                "closing": r.closing,
            }
            for r in report.rows
        ],
        "opening": report.opening,
        "debit": report.debit,
        "credit": report.credit,
        "closing": report.closing,
    }


@router.get("/open-items", response=list[OpenItemOut], summary="Open items as of a date")
@api_permission(PERMISSION)
def open_items(request: HttpRequest, query: Query[OpenItemsQuery]) -> Any:
    _require_books()
    items = selectors.open_items(
        account=_account(query.account),
        dimension=_customer(query.customer),
        as_of=_as_of(query.as_of),
        only_open=query.only_open,
    )
    return [
        {
            "id": item.pk,
            "customer": item.dimension_code,
            "customer_name": item.dimension_name,
            "account_code": item.account_code,
            "voucher": item.voucher_number,
            "posted_on": item.posted_on,
            "due_on": item.due_on,
            "summary": item.summary,
            "amount": item.amount,
            "open_amount": item.open_amount,
            "source_type": item.source_type,
            "source_id": item.source_id,
        }
        for item in items[query.offset : query.offset + query.limit]
    ]


@router.get(
    "/ageing",
    response=AgeingOut,
    summary="Ageing of open items per customer, a page of customers with the totals of all",
)
@api_permission(PERMISSION)
def ageing(request: HttpRequest, query: Query[AgeingQuery]) -> Any:
    _require_books()
    buckets: tuple[calculations.Bucket, ...] = calculations.DEFAULT_BUCKETS
    if query.bounds:
        try:
            buckets = calculations.buckets_from_days(
                [int(x) for x in query.bounds.split(",") if x.strip()]
            )
        except ValueError as exc:
            raise ValidationFailed(
                fields={
                    "bounds": [
                        _(
                            "Enter up to %(count)s increasing whole numbers of days from 1 to "
                            "%(days)s, e.g. 30,90,180,365."
                        )
                        % {"count": calculations.MAX_BUCKETS, "days": calculations.MAX_BUCKET_DAYS}
                    ]
                }
            ) from exc
    report = selectors.ageing_page(
        as_of=_as_of(query.as_of),
        account=_account(query.account),
        buckets=buckets,
        basis=query.basis,
        dimension=_customer(query.customer),
        number=query.page,
        per_page=query.page_size,
    )
    return {
        "as_of": report.as_of,
        "basis": report.basis,
        "buckets": [{"label": b.label, "low": b.low, "high": b.high} for b in report.buckets],
        "items": [
            {"customer": r.code, "name": r.name, "amounts": r.amounts, "total": r.total}
            for r in report.rows
        ],
        "count": report.count,
        "page": report.number,
        "pages": report.pages,
        "page_size": report.per_page,
        "totals": report.totals,
        "total": report.total,
    }
