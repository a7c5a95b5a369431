"""Books: the general ledger, account detail and the vouchers behind a balance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Cast

from suanpan.core.dates import month_next, month_previous
from suanpan.core.sums import FEN, fen_sum, yuan
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.choices import VoucherStatus
from suanpan.ledger.models import (
    Account,
    Dimension,
    Period,
    PeriodTotal,
    Voucher,
    VoucherLine,
)
from suanpan.ledger.selectors._query import (
    _as_rows,
    _fen,
    _period_q,
    _posted_lines,
    _raw,
    _subtree_ids,
    _subtree_q,
    _voucher_number,
)
from suanpan.ledger.selectors.balances import Signed
from suanpan.ledger.selectors.periods import _month_end, _months


@dataclass(frozen=True)
class GeneralLedgerRow:
    """One month of an account's general ledger (总账): opening, movements, closing, year to date."""

    year: int
    month: int
    opening: Decimal
    debit: Decimal
    credit: Decimal
    year_debit: Decimal
    year_credit: Decimal

    @property
    def key(self) -> str:
        return f"{self.year}{self.month:02d}"

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit

    @property
    def closing_side(self) -> str:
        return Signed.side(self.closing)

    @property
    def closing_abs(self) -> Decimal:
        return abs(self.closing)


def general_ledger(
    *, account: Account, period_from: Period, period_to: Period
) -> list[GeneralLedgerRow]:
    """Per month from PeriodTotal: the opening before the range, then each month's movements.

    Two queries whatever the history: the opening sums whole years before the range's first
    year, and one grouped sum gives every month from January of that year on.
    """
    year_start = period_from.year
    base = PeriodTotal.objects.filter(_subtree_q(account))
    before_year = base.filter(period__year__lt=year_start).aggregate(
        total=fen_sum(F("debit_amount") - F("credit_amount"))
    )["total"]
    monthly = {
        (r["period__year"], r["period__month"]): (yuan(r["debit"]), yuan(r["credit"]))
        for r in base.filter(period__year__gte=year_start)
        .filter(_period_q("period__", upto=period_to))
        .values("period__year", "period__month")
        .annotate(debit=fen_sum("debit_amount"), credit=fen_sum("credit_amount"))
    }
    balance = yuan(before_year)
    year_debit = year_credit = ZERO
    current_year = year_start
    rows = []
    first = Period(year=year_start, month=1)
    for year, month in _months(first, period_to):
        if year != current_year:
            current_year, year_debit, year_credit = year, ZERO, ZERO
        debit, credit = monthly.get((year, month), (ZERO, ZERO))
        year_debit += debit
        year_credit += credit
        if (year, month) >= (period_from.year, period_from.month):
            rows.append(
                GeneralLedgerRow(year, month, balance, debit, credit, year_debit, year_credit)
            )
        balance += debit - credit
    return rows


class DetailLine(NamedTuple):
    """A posted line in a detail ledger with the running balance after it, in fen until shown."""

    pk: int
    voucher_id: int
    date: date
    word: str
    year: int
    month: int
    number: int | None
    line_no: int
    summary: str
    account_code: str
    account_name: str
    dimension_code: str | None
    dimension_name: str | None
    debit_fen: int
    credit_fen: int
    balance_fen: int
    # The document the voucher came from (an opaque reference the ledger keeps).
    source_type: str
    source_id: str

    @property
    def voucher_number(self) -> str:
        return _voucher_number(self.word, self.year, self.month, self.number)

    @property
    def debit_amount(self) -> Decimal:
        return yuan(self.debit_fen)

    @property
    def credit_amount(self) -> Decimal:
        return yuan(self.credit_fen)

    @property
    def balance(self) -> Decimal:
        return yuan(self.balance_fen)


@dataclass(frozen=True)
class AccountDetail:
    """A detail ledger (明细账): opening, posted lines with running balance, movements, closing.

    `lines` is a queryset of `DetailLine` rows (so pages paginate it); the running balance is
    computed by the database with a window function. `accounts` are all the accounts asked
    for (`account` is the first).
    """

    account: Account
    dimension: Dimension | None
    date_from: date
    date_to: date
    opening: Decimal
    debit: Decimal
    credit: Decimal
    lines: QuerySet[VoucherLine, DetailLine]
    accounts: tuple[Account, ...] = field(default=())
    # Movements of the range's first year before the range: where 本年累计 starts.
    year_debit_before: Decimal = ZERO
    year_credit_before: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit

    @property
    def brought_forward(self) -> bool:
        """Whether the range starts a year, so the opening row reads 上年结转."""
        return (self.date_from.month, self.date_from.day) == (1, 1)


@dataclass(frozen=True)
class DetailMonth:
    """A month of a detail ledger (明细账) as its 本月合计 and 本年累计 rows print it: the
    month's movements in the range, the year's movements to the month's end (or the range's),
    and the balance then."""

    year: int
    month: int
    lines: int
    debit: Decimal
    credit: Decimal
    year_debit: Decimal
    year_credit: Decimal
    closing: Decimal

    @property
    def key(self) -> str:
        return f"{self.year}{self.month:02d}"


def account_detail(
    *,
    account: Account,
    date_from: date,
    date_to: date,
    dimension: Dimension | None = None,
) -> AccountDetail:
    """Lines of posted vouchers on an account (a parent: all its leaves) between two dates;
    see `accounts_detail`."""
    return accounts_detail(
        accounts=[account], date_from=date_from, date_to=date_to, dimension=dimension
    )


def accounts_detail(
    *,
    accounts: Sequence[Account],
    date_from: date,
    date_to: date,
    dimension: Dimension | None = None,
) -> AccountDetail:
    """Lines of posted vouchers on several accounts (a parent: all its leaves) between two
    dates, as one detail ledger: the opening, movements and running balance are their sums
    (a customer's receivable and advance accounts read as one balance).

    Opening and movements come from PeriodTotal for whole months (one query) and from the lines
    only for the parts of months the range cuts (one query, none when the range runs from the
    first of a month to the last day of one); then one query for the lines (by page).
    """
    month_start = date_from.replace(day=1)
    # Whole months inside the range: from the first full month to the last full one. At the
    # calendar's ends (December 9999, January of year 1) there may be no month to step to:
    # then there is no whole month on that side.
    full_from = month_start if date_from.day == 1 else month_next(month_start)
    end_month = date_to.replace(day=1)
    full_to = end_month if date_to == _month_end(date_to) else month_previous(end_month)
    has_full = full_from is not None and full_to is not None and full_from <= full_to
    if not accounts:
        raise ValueError("accounts_detail needs at least one account")
    totals = PeriodTotal.objects.filter(account_id__in=_subtree_ids(accounts))
    if dimension is not None:
        totals = totals.filter(dimension=dimension)
    signed = F("debit_amount") - F("credit_amount")
    before_month = _period_q(
        "period__", before=Period(year=month_start.year, month=month_start.month)
    )
    year_before = before_month & Q(period__year=month_start.year)
    sums = {
        "opening": fen_sum(signed, filter=before_month),
        "year_debit": fen_sum("debit_amount", filter=year_before),
        "year_credit": fen_sum("credit_amount", filter=year_before),
    }
    if full_from is not None and full_to is not None and has_full:
        in_full = _period_q(
            "period__",
            start=Period(year=full_from.year, month=full_from.month),
            upto=Period(year=full_to.year, month=full_to.month),
        )
        sums.update(
            debit=fen_sum("debit_amount", filter=in_full),
            credit=fen_sum("credit_amount", filter=in_full),
        )
    whole = {"debit": 0, "credit": 0, **totals.aggregate(**sums)}
    lines = _posted_lines(accounts, dimension)
    # The cut parts of months: before the range in its first month, and the range's days
    # outside its whole months.
    before = Q(voucher__date__gte=month_start, voucher__date__lt=date_from)
    if full_from is not None and full_to is not None and has_full:
        cut = Q(voucher__date__gte=date_from, voucher__date__lt=full_from) | Q(
            voucher__date__gt=_month_end(full_to), voucher__date__lte=date_to
        )
        months_cut = date_from != month_start or date_to != _month_end(full_to)
    else:
        cut = Q(voucher__date__gte=date_from, voucher__date__lte=date_to)
        months_cut = True
    partial = {"opening": 0, "debit": 0, "credit": 0, "year_debit": 0, "year_credit": 0}
    if months_cut:
        partial = lines.filter(before | cut).aggregate(
            opening=fen_sum(signed, filter=before),
            debit=fen_sum("debit_amount", filter=cut),
            credit=fen_sum("credit_amount", filter=cut),
            year_debit=fen_sum("debit_amount", filter=before),
            year_credit=fen_sum("credit_amount", filter=before),
        )
    opening_fen = int(whole["opening"]) + int(partial["opening"])
    movements = {
        "debit": int(whole["debit"]) + int(partial["debit"]),
        "credit": int(whole["credit"]) + int(partial["credit"]),
    }
    in_range = lines.filter(voucher__date__gte=date_from, voucher__date__lte=date_to)
    order = [F("voucher__date").asc(), F("voucher__chain_seq").asc(), F("line_no").asc()]
    # The running sum is integer fen plus the opening in fen.
    running = Window(
        expression=Sum(F("debit_amount") - F("credit_amount"), output_field=FEN),
        order_by=order,
    )
    detailed = in_range.annotate(
        date=F("voucher__date"),
        word=F("voucher__word"),
        year=F("voucher__period__year"),
        month=F("voucher__period__month"),
        number=F("voucher__number"),
        account_code=F("account__code"),
        account_name=F("account__name"),
        dimension_code=F("dimension__code"),
        dimension_name=F("dimension__name"),
        debit_fen=_fen("debit_amount"),
        credit_fen=_fen("credit_amount"),
        balance_fen=_raw(Cast(running + Value(opening_fen, output_field=FEN), FEN)),
        source_type=F("voucher__source_type"),
        source_id=F("voucher__source_id"),
    ).order_by(*order)
    return AccountDetail(
        account=accounts[0],
        accounts=tuple(accounts),
        dimension=dimension,
        date_from=date_from,
        date_to=date_to,
        opening=yuan(opening_fen),
        debit=yuan(movements["debit"]),
        credit=yuan(movements["credit"]),
        lines=_as_rows(detailed, DetailLine),
        year_debit_before=yuan(int(whole["year_debit"]) + int(partial["year_debit"])),
        year_credit_before=yuan(int(whole["year_credit"]) + int(partial["year_credit"])),
    )


def detail_months(*, detail: AccountDetail) -> list[DetailMonth]:
    """The months of a detail ledger that have lines, each with its 本月合计 and 本年累计 and
    the balance at its end: one grouped query over the range's lines. 本年累计 starts again
    each January, and in the range's first year counts the movements before the range too."""
    grouped = (
        _posted_lines(list(detail.accounts) or [detail.account], detail.dimension)
        .filter(voucher__date__gte=detail.date_from, voucher__date__lte=detail.date_to)
        .values("voucher__period__year", "voucher__period__month")
        .annotate(count=Count("pk"), debit=fen_sum("debit_amount"), credit=fen_sum("credit_amount"))
        .order_by("voucher__period__year", "voucher__period__month")
    )
    months = []
    balance = detail.opening
    year = detail.date_from.year
    year_debit, year_credit = detail.year_debit_before, detail.year_credit_before
    for row in grouped:
        if row["voucher__period__year"] != year:
            year, year_debit, year_credit = row["voucher__period__year"], ZERO, ZERO
        debit, credit = yuan(row["debit"]), yuan(row["credit"])
        year_debit += debit
        year_credit += credit
        balance += debit - credit
        months.append(
            DetailMonth(
                year=year,
                month=row["voucher__period__month"],
                lines=row["count"],
                debit=debit,
                credit=credit,
                year_debit=year_debit,
                year_credit=year_credit,
                closing=balance,
            )
        )
    return months


def detail_rows(
    lines: Iterable[DetailLine], months: Sequence[DetailMonth], *, start: int
) -> Iterator[DetailLine | DetailMonth]:
    """The lines of a detail ledger (from the `start`-th, counting from 0) with each month's
    totals after its last line: what a page or an export prints, in order."""
    ends: dict[tuple[int, int], tuple[int, DetailMonth]] = {}
    seen = 0
    for month in months:
        seen += month.lines
        ends[(month.year, month.month)] = (seen - 1, month)
    for index, line in enumerate(lines, start=start):
        yield line
        end = ends.get((line.year, line.month))
        if end is not None and end[0] == index:
            yield end[1]


def voucher_drilldown(
    *,
    account: Account,
    period_from: Period,
    period_to: Period,
    dimension: Dimension | None = None,
) -> QuerySet[Voucher]:
    """The posted vouchers behind a balance cell: lines on the account's subtree in the range."""
    lines = VoucherLine.objects.filter(_subtree_q(account), voucher=OuterRef("pk"))
    if dimension is not None:
        lines = lines.filter(dimension=dimension)
    return (
        Voucher.objects.filter(status=VoucherStatus.POSTED)
        .filter(_period_q("period__", start=period_from, upto=period_to))
        .filter(Exists(lines))
        .select_related("period")
        .order_by("date", "chain_seq")
    )
