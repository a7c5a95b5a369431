"""What /api/v1/ledger/reports answers and the query parameters it takes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from suanpan.core.limits import query_field
from suanpan.core.listing import API_MAX_PAGE_SIZE, API_PAGE_SIZE, MAX_PAGE
from suanpan.ledger import selectors

MAX_LINES = 5000


# ---------------------------------------------------------------------------- schemas


class ReportAccountOut(Schema):
    code: str
    name: str
    level: int
    direction: str


class TrialBalanceRowOut(Schema):
    account: ReportAccountOut
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal


class TrialBalanceOut(Schema):
    period_from: str
    period_to: str
    rows: list[TrialBalanceRowOut]
    opening_debit: Decimal
    opening_credit: Decimal
    period_debit: Decimal
    period_credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal


class GeneralLedgerRowOut(Schema):
    period: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal
    year_debit: Decimal
    year_credit: Decimal


class GeneralLedgerOut(Schema):
    account: ReportAccountOut
    rows: list[GeneralLedgerRowOut]


class DetailLineOut(Schema):
    date: date
    voucher: str
    voucher_id: int
    line_no: int
    account_code: str
    customer: str | None
    summary: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


class DetailMonthOut(Schema):
    period: str
    debit: Decimal = Field(description="本月合计: the month's movements in the range")
    credit: Decimal
    year_debit: Decimal = Field(description="本年累计: the year's movements to the month's end")
    year_credit: Decimal
    closing: Decimal = Field(description="The balance at the month's end (debit positive)")


class AccountDetailOut(Schema):
    account: ReportAccountOut
    customer: str | None
    date_from: date
    date_to: date
    brought_forward: bool = Field(
        description="The range starts a year: the opening is carried forward (上年结转)"
    )
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal
    count: int
    lines: list[DetailLineOut]
    months: list[DetailMonthOut] = Field(
        description="Every month of the range with lines, over all pages"
    )


class CustomerBalanceOut(Schema):
    customer: str
    name: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal


class CustomerBalancesOut(Schema):
    account: ReportAccountOut
    period_from: str
    period_to: str
    rows: list[CustomerBalanceOut]
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal


class OpenItemOut(Schema):
    id: int
    customer: str
    customer_name: str
    account_code: str
    voucher: str
    posted_on: date
    due_on: date
    summary: str
    amount: Decimal
    open_amount: Decimal
    source_type: str
    source_id: str


class BucketOut(Schema):
    label: str
    low: int
    high: int | None


class AgeingRowOut(Schema):
    customer: str
    name: str
    amounts: list[Decimal]
    total: Decimal


class AgeingOut(Schema):
    as_of: date
    basis: str
    buckets: list[BucketOut]
    items: list[AgeingRowOut] = Field(description="This page's customers, by customer number")
    count: int = Field(description="Customers with anything open, on every page")
    page: int
    pages: int
    page_size: int
    totals: list[Decimal] = Field(description="Per bucket, over every customer")
    total: Decimal = Field(description="Over every customer: the account's balance as of the date")


# ---------------------------------------------------------------------------- query parameters


class PeriodRange(Schema):
    period_from: str | None = query_field(description="First period, e.g. 202601")
    period_to: str | None = query_field(description="Last period, e.g. 202603")


class TrialBalanceQuery(PeriodRange):
    level: int | None = Field(None, ge=1, le=9, description="Only accounts of this level")


class AccountPeriodQuery(PeriodRange):
    account: str | None = query_field(description="Account code; the receivable account if empty")


class AccountDetailQuery(Schema):
    account: str | None = query_field()
    date_from: date | None = None
    date_to: date | None = None
    customer: str | None = query_field(description="Customer number")
    offset: int = Field(0, ge=0)
    limit: int = Field(1000, ge=1, le=MAX_LINES)


class OpenItemsQuery(Schema):
    account: str | None = query_field()
    customer: str | None = query_field()
    as_of: date | None = None
    only_open: bool = True
    offset: int = Field(0, ge=0)
    limit: int = Field(1000, ge=1, le=MAX_LINES)


class AgeingQuery(Schema):
    account: str | None = query_field()
    customer: str | None = query_field(description="Customer number: only this customer")
    as_of: date | None = None
    bounds: str | None = Field(
        None,
        max_length=60,
        description="Upper bounds in days, e.g. 30,90,180,365 (at most 12, each 1 to 3650)",
    )
    basis: selectors.AgeingBasis = selectors.AgeingBasis.DUE
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(API_PAGE_SIZE, ge=1, le=API_MAX_PAGE_SIZE)
