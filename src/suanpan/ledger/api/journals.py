"""/api/v1/ledger/reports: the account summary (科目汇总表) and the journal (序时账), read by the
same selectors, filters and validation as their pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from suanpan.core.errors import ValidationFailed
from suanpan.core.filtering import filter_params, filterset_require_valid
from suanpan.core.limits import query_field
from suanpan.core.listing import API_MAX_PAGE_SIZE, API_PAGE_SIZE, MAX_PAGE
from suanpan.ledger import selectors
from suanpan.ledger.choices import VoucherWord
from suanpan.ledger.forms.journals import MAX_LEVEL, MAX_NUMBER, AccountSummaryForm
from suanpan.ledger.models import Account
from suanpan.users.decorators import api_permission

router = Router(tags=["ledger reports"])

PERMISSION = "ledger.view_ledger_reports"
JournalStatus = Literal["posted", "all"]


class SummaryAccountOut(Schema):
    code: str
    name: str
    level: int
    direction: str


class SummaryRowOut(Schema):
    account: SummaryAccountOut
    debit: Decimal
    credit: Decimal


class NumberRangeOut(Schema):
    period: str = Field(description="e.g. 202601")
    word: str
    count: int
    first: int | None = Field(description="The first number; null while none is posted")
    last: int | None


class AccountSummaryOut(Schema):
    date_from: date
    date_to: date
    word: str | None
    number_from: int | None
    number_to: int | None
    status: JournalStatus
    level: int
    vouchers: int = Field(description="Vouchers in the range")
    unposted: int = Field(description="Of them not posted (status all only)")
    attachments: int
    ranges: list[NumberRangeOut] = Field(description="Per month and word: count and numbers")
    rows: list[SummaryRowOut] = Field(description="Accounts with movements, to `level`, by code")
    debit: Decimal = Field(description="Total of the first-level accounts; equals `credit`")
    credit: Decimal


class AccountSummaryQuery(Schema):
    period: str | None = query_field(description="A month, e.g. 202601, instead of dates")
    date_from: date | None = None
    date_to: date | None = None
    word: VoucherWord | None = None
    number_from: int | None = Field(None, ge=1, le=MAX_NUMBER, description="Needs `period`")
    number_to: int | None = Field(None, ge=1, le=MAX_NUMBER)
    status: JournalStatus = Field("posted", description="posted (default) or all, drafts too")
    level: int = Field(1, ge=1, le=MAX_LEVEL, description="Accounts to this level")


class JournalLineOut(Schema):
    date: date
    voucher: str = Field(description="e.g. 记-202601-0001; a draft's label while not posted")
    voucher_id: int
    posted: bool
    line_no: int
    summary: str
    account_code: str
    account_name: str = Field(description="The account's full name, parents first")
    customer: str | None
    customer_name: str | None
    debit: Decimal
    credit: Decimal


class JournalOut(Schema):
    items: list[JournalLineOut] = Field(description="This page's lines, in date and voucher order")
    count: int = Field(description="Lines matching, on every page")
    page: int
    pages: int
    page_size: int
    debit: Decimal = Field(description="Over every matching line")
    credit: Decimal = Field(description="Over every matching line")


class JournalQuery(Schema):
    date_from: date | None = None
    date_to: date | None = None
    account: str | None = query_field(description="Account code; sub-accounts included")
    customer: str | None = query_field(description="Customer number")
    word: VoucherWord | None = None
    status: JournalStatus | None = Field(None, description="posted (default) or all, drafts too")
    q: str | None = query_field(description="Text in the line's or the voucher's summary")


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(API_PAGE_SIZE, ge=1, le=API_MAX_PAGE_SIZE)


def _account_out(account: Account) -> dict[str, Any]:
    return {
        "code": account.code,
        "name": account.name,
        "level": account.level,
        "direction": account.direction,
    }


def _latest_month(params: dict[str, Any], *names: str) -> dict[str, Any]:
    """Dated over the latest period when none of `names` is given, as the pages are."""
    if not any(params.get(name) for name in names):
        periods = selectors.period_choices()
        if periods:
            params["date_from"] = selectors.period_first_day(periods[-1]).isoformat()
            params["date_to"] = selectors.period_last_day(periods[-1]).isoformat()
    return params


@router.get(
    "/account-summary",
    response=AccountSummaryOut,
    summary="Account summary (科目汇总表) of a range of vouchers",
)
@api_permission(PERMISSION)
def account_summary(request: HttpRequest, query: Query[AccountSummaryQuery]) -> Any:
    selectors.company_get()  # no books: say so
    params = _latest_month(filter_params(query), "period", "date_from", "date_to")
    form = AccountSummaryForm(params)
    if not form.is_valid():
        raise ValidationFailed(
            fields={name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    summary = selectors.account_summary(**form.summary_kwargs())
    return {
        "date_from": summary.date_from,
        "date_to": summary.date_to,
        "word": summary.word,
        "number_from": summary.number_from,
        "number_to": summary.number_to,
        "status": "posted" if summary.posted_only else "all",
        "level": summary.level,
        "vouchers": summary.vouchers,
        "unposted": summary.unposted,
        "attachments": summary.attachments,
        "ranges": [
            {"period": r.period, "word": r.word, "count": r.count, "first": r.first, "last": r.last}
            for r in summary.ranges
        ],
        "rows": [
            {"account": _account_out(r.account), "debit": r.debit, "credit": r.credit}
            for r in summary.rows
        ],
        "debit": summary.debit,
        "credit": summary.credit,
    }


@router.get(
    "/journal",
    response=JournalOut,
    summary="Journal (序时账): voucher lines in date order, a page with the totals of all",
)
@api_permission(PERMISSION)
def journal(request: HttpRequest, query: Query[JournalQuery], paging: Query[PageQuery]) -> Any:
    selectors.company_get()
    params = _latest_month(filter_params(query), "date_from", "date_to")
    lines, filterset = selectors.journal_list(filters=params)
    filterset_require_valid(filterset)
    totals = selectors.journal_totals(lines)
    size = paging.page_size
    offset = (paging.page - 1) * size
    names = selectors.account_full_names()
    return {
        "items": [
            {
                "date": line.date,
                "voucher": line.voucher_number,
                "voucher_id": line.voucher_id,
                "posted": line.is_posted,
                "line_no": line.line_no,
                "summary": line.summary,
                "account_code": line.account_code,
                "account_name": names.get(line.account_id, ""),
                "customer": line.dimension_code,
                "customer_name": line.dimension_name,
                "debit": line.debit_amount,
                "credit": line.credit_amount,
            }
            for line in lines[offset : offset + size]
        ],
        "count": totals.count,
        "page": paging.page,
        "pages": max((totals.count + size - 1) // size, 1),
        "page_size": size,
        "debit": totals.debit,
        "credit": totals.credit,
    }
