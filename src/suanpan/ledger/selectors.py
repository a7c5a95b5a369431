"""Every read of the books. Reports aggregate in SQL over period totals and open items: the
number of queries never grows with the data."""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

from django.db import connection, models, transaction
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.db.models.query import ValuesListIterable
from django.utils.translation import gettext_lazy as _

from suanpan.core.fields import MoneyField
from suanpan.core.sums import FEN, fen_sum, yuan
from suanpan.ledger.calculations import DEFAULT_BUCKETS, ZERO, Bucket
from suanpan.ledger.choices import DimensionKind, Direction, VoucherStatus
from suanpan.ledger.errors import LedgerNotSetUp
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    Company,
    Dimension,
    OpenItem,
    OpenItemMatch,
    Period,
    PeriodTotal,
    Voucher,
    VoucherLine,
)

RowT = TypeVar("RowT", bound=tuple[Any, ...])
ModelT = TypeVar("ModelT", bound=models.Model)


def company_get() -> Company:
    """The one company whose books these are; refuses when the books are not set up."""
    company = Company.objects.first()
    if company is None:
        raise LedgerNotSetUp()
    return company


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_month(first: date) -> date:
    return _month_end(first) + timedelta(days=1)


def _previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def period_last_day(period: Period) -> date:
    return date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


def _period_q(
    prefix: str,
    *,
    before: Period | None = None,
    upto: Period | None = None,
    start: Period | None = None,
) -> Q:
    q = Q()
    if before is not None:
        q &= Q(**{f"{prefix}year__lt": before.year}) | Q(
            **{f"{prefix}year": before.year, f"{prefix}month__lt": before.month}
        )
    if upto is not None:
        q &= Q(**{f"{prefix}year__lt": upto.year}) | Q(
            **{f"{prefix}year": upto.year, f"{prefix}month__lte": upto.month}
        )
    if start is not None:
        q &= Q(**{f"{prefix}year__gt": start.year}) | Q(
            **{f"{prefix}year": start.year, f"{prefix}month__gte": start.month}
        )
    return q


def open_amounts(items: Sequence[OpenItem], *, as_of: date | None = None) -> dict[int, Decimal]:
    """Open amount of each item (signed like the item): one query for all of them."""
    live = Q(undone_on__isnull=True)
    if as_of is not None:
        live = Q(matched_on__lte=as_of) & (Q(undone_on__isnull=True) | Q(undone_on__gt=as_of))
    ids = [item.pk for item in items]
    matched: dict[int, Decimal] = dict.fromkeys(ids, ZERO)
    rows = (
        OpenItemMatch.objects.filter(live)
        .filter(Q(debit_item_id__in=ids) | Q(credit_item_id__in=ids))
        .values_list("debit_item_id", "credit_item_id", "amount")
    )
    for debit_id, credit_id, amount in rows:
        if debit_id in matched:
            matched[debit_id] += amount
        if credit_id in matched:
            matched[credit_id] += amount
    return {
        item.pk: item.amount - matched[item.pk]
        if item.amount > 0
        else item.amount + matched[item.pk]
        for item in items
    }


@dataclass(frozen=True)
class TrialBalanceRow:
    account: Account
    opening: Decimal  # signed, debit positive
    debit: Decimal
    credit: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit

    # The columns a trial balance prints: a balance sits on its side, never negative.
    @property
    def opening_debit(self) -> Decimal:
        return max(self.opening, ZERO)

    @property
    def opening_credit(self) -> Decimal:
        return max(-self.opening, ZERO)

    @property
    def closing_debit(self) -> Decimal:
        return max(self.closing, ZERO)

    @property
    def closing_credit(self) -> Decimal:
        return max(-self.closing, ZERO)


@dataclass(frozen=True)
class TrialBalance:
    rows: list[TrialBalanceRow]
    # First-level rows for the totals, when `rows` shows another selection of accounts.
    first_level: list[TrialBalanceRow] | None = None

    @property
    def _top(self) -> list[TrialBalanceRow]:
        if self.first_level is not None:
            return self.first_level
        return [r for r in self.rows if r.account.level == 1]

    @property
    def opening_debit(self) -> Decimal:
        return sum((r.opening_debit for r in self._top), ZERO)

    @property
    def opening_credit(self) -> Decimal:
        return sum((r.opening_credit for r in self._top), ZERO)

    @property
    def closing_debit(self) -> Decimal:
        return sum((r.closing_debit for r in self._top), ZERO)

    @property
    def closing_credit(self) -> Decimal:
        return sum((r.closing_credit for r in self._top), ZERO)

    @property
    def period_debit(self) -> Decimal:
        return sum((r.debit for r in self._top), ZERO)

    @property
    def period_credit(self) -> Decimal:
        return sum((r.credit for r in self._top), ZERO)


def trial_balance(
    *,
    period_from: Period,
    period_to: Period,
    max_level: int | None = None,
    level: int | None = None,
) -> TrialBalance:
    """Opening, movements and closing per account (parents roll up their leaves): two queries.

    `max_level` keeps accounts down to a level, `level` only that level; the totals, taken over
    first-level accounts, do not change with either.
    """
    rows = (
        PeriodTotal.objects.filter(_period_q("period__", upto=period_to))
        .values("account_id")
        .annotate(
            opening=fen_sum(
                F("debit_amount") - F("credit_amount"),
                filter=_period_q("period__", before=period_from),
            ),
            debit=fen_sum("debit_amount", filter=_period_q("period__", start=period_from)),
            credit=fen_sum("credit_amount", filter=_period_q("period__", start=period_from)),
        )
    )
    sums = {
        r["account_id"]: (yuan(r["opening"]), yuan(r["debit"]), yuan(r["credit"])) for r in rows
    }
    accounts = list(Account.objects.order_by("code"))
    by_pk = {a.pk: a for a in accounts}
    rolled: dict[int, list[Decimal]] = {a.pk: [ZERO, ZERO, ZERO] for a in accounts}
    for account_id, values in sums.items():
        node: Account | None = by_pk[account_id]
        while node is not None:
            for i in range(3):
                rolled[node.pk][i] += values[i]
            node = by_pk.get(node.parent_id) if node.parent_id else None
    every = [
        TrialBalanceRow(a, *(v.quantize(Decimal("0.01")) for v in rolled[a.pk]))
        for a in accounts
        if any(rolled[a.pk])
    ]
    shown = [
        r
        for r in every
        if (max_level is None or r.account.level <= max_level)
        and (level is None or r.account.level == level)
    ]
    return TrialBalance(rows=shown, first_level=[r for r in every if r.account.level == 1])


class OpenItemProblem(NamedTuple):
    """Where an account's open items disagree, per customer.

    `items` and `balance`: the open-item total and the account's balance as of the date;
    `wrong_open_items`: how many items keep an open amount other than their matches give.
    """

    account_id: int
    dimension_id: int | None
    items: Decimal
    balance: Decimal
    wrong_open_items: int = 0


def open_items_check(*, as_of: date) -> list[OpenItemProblem]:
    """Where open items differ from their account as of a date, or keep a wrong open amount.

    Open items sum to the account's balance per customer at any date (matches move amounts
    between items, never out of them): one query each side. A third recomputes every item's
    open amount from the matches not undone and compares it with the kept one.
    """
    accounts = list(Account.objects.filter(is_open_item=True).values_list("pk", flat=True))
    if not accounts:
        return []
    items: dict[tuple[int, int | None], Decimal] = {
        (row["account_id"], row["dimension_id"]): yuan(row["total"])
        for row in OpenItem.objects.filter(account_id__in=accounts, posted_on__lte=as_of)
        .values("account_id", "dimension_id")
        .annotate(total=fen_sum("amount"))
    }
    lines: dict[tuple[int, int | None], Decimal] = {
        (row["account_id"], row["dimension_id"]): yuan(row["total"])
        for row in VoucherLine.objects.filter(
            account_id__in=accounts, voucher__status="posted", voucher__date__lte=as_of
        )
        .values("account_id", "dimension_id")
        .annotate(total=fen_sum(F("debit_amount") - F("credit_amount")))
    }
    kept = _open_amounts_differ(accounts, as_of=as_of)
    keys = {k for k in set(items) | set(lines) if items.get(k, ZERO) != lines.get(k, ZERO)}
    return [
        OpenItemProblem(
            key[0],
            key[1],
            items.get(key, ZERO),
            lines.get(key, ZERO),
            kept.get(key, 0),
        )
        for key in sorted(keys | set(kept), key=lambda k: (k[0], k[1] or 0))
    ]


def _open_amounts_differ(
    accounts: Sequence[int], *, as_of: date
) -> dict[tuple[int, int | None], int]:
    """How many items per account and customer keep an open amount other than their amount
    less their live matches: one query, matches summed once."""
    item = OpenItem._meta.db_table
    match = OpenItemMatch._meta.db_table
    marks = ", ".join(["%s"] * len(accounts))
    # Identifiers come from the models; every value is a parameter. A match counts for its
    # debit item and against its credit item, so `amount - matched` is the open amount of both.
    sql = (
        "SELECT i.account_id, i.dimension_id, COUNT(*)"  # noqa: S608
        f" FROM {item} i LEFT JOIN ("
        "  SELECT u.item_id, SUM(u.fen) AS fen FROM ("
        f"   SELECT debit_item_id AS item_id, amount AS fen FROM {match} WHERE undone_on IS NULL"
        "    UNION ALL"
        f"   SELECT credit_item_id, -amount FROM {match} WHERE undone_on IS NULL"
        "  ) u GROUP BY u.item_id"
        " ) m ON m.item_id = i.id"
        f" WHERE i.account_id IN ({marks}) AND i.posted_on <= %s"
        " AND i.open_amount <> i.amount - COALESCE(m.fen, 0)"
        " GROUP BY i.account_id, i.dimension_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*accounts, as_of])
        return {(account_id, dimension_id): count for account_id, dimension_id, count in cursor}


# ---------------------------------------------------------------------------- report helpers


MONEY = MoneyField()


class Signed:
    """A signed balance (debit positive) split into the columns a Chinese ledger prints."""

    @staticmethod
    def side(amount: Decimal) -> str:
        """借, 贷 or 平 in the books' own words: debit, credit or flat (zero)."""
        if amount > 0:
            return Direction.DEBIT
        if amount < 0:
            return Direction.CREDIT
        return ""


def period_list() -> list[Period]:
    return list(Period.objects.order_by("year", "month"))


def period_get(key: str) -> Period | None:
    """The period named like 202601, or None."""
    if len(key) != 6 or not key.isdigit():
        return None
    return Period.objects.filter(year=int(key[:4]), month=int(key[4:])).first()


def period_first_day(period: Period) -> date:
    return date(period.year, period.month, 1)


def _months(start: Period, end: Period) -> list[tuple[int, int]]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _subtree_q(account: Account, prefix: str = "account__") -> Q:
    """An account and every account below it (by code: 1122 → 1122.01, 1122.01.03 …)."""
    return Q(**{f"{prefix}code": account.code}) | Q(
        **{f"{prefix}code__startswith": account.code + "."}
    )


def account_list() -> list[Account]:
    return list(Account.objects.order_by("code"))


def account_by_code(code: str) -> Account | None:
    return Account.objects.filter(code=code).first() if code else None


def account_for_role(role: str) -> Account | None:
    mapping = AccountRoleMap.objects.select_related("account").filter(role=role).first()
    return mapping.account if mapping else None


def customer_dimensions() -> QuerySet[Dimension]:
    return Dimension.objects.filter(kind=DimensionKind.CUSTOMER).order_by("code")


def dimension_by_code(code: str, *, kind: str = DimensionKind.CUSTOMER) -> Dimension | None:
    return Dimension.objects.filter(kind=kind, code=code).first() if code else None


def has_postings() -> bool:
    return PeriodTotal.objects.exists()


# ---------------------------------------------------------------------------- trial balance


# ---------------------------------------------------------------------------- general ledger


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


# ---------------------------------------------------------------------------- account detail


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
    computed by the database with a window function.
    """

    account: Account
    dimension: Dimension | None
    date_from: date
    date_to: date
    opening: Decimal
    debit: Decimal
    credit: Decimal
    lines: QuerySet[VoucherLine, DetailLine]

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def _posted_lines(account: Account, dimension: Dimension | None) -> QuerySet[VoucherLine]:
    lines = VoucherLine.objects.filter(
        account_id__in=_subtree_ids(account), voucher__status=VoucherStatus.POSTED
    )
    if dimension is not None:
        lines = lines.filter(dimension=dimension)
    return lines


def account_detail(
    *,
    account: Account,
    date_from: date,
    date_to: date,
    dimension: Dimension | None = None,
) -> AccountDetail:
    """Lines of posted vouchers on an account (a parent: all its leaves) between two dates.

    Opening and movements come from PeriodTotal for whole months (one query) and from the lines
    only for the parts of months the range cuts (one query, none when the range runs from the
    first of a month to the last day of one); then one query for the lines (by page).
    """
    month_start = date_from.replace(day=1)
    # Whole months inside the range: from the first full month to the last full one.
    full_from = month_start if date_from.day == 1 else _next_month(month_start)
    end_month = date_to.replace(day=1)
    full_to = end_month if date_to == _month_end(date_to) else _previous_month(end_month)
    has_full = full_from <= full_to
    in_full = _period_q(
        "period__",
        start=Period(year=full_from.year, month=full_from.month),
        upto=Period(year=full_to.year, month=full_to.month),
    )
    totals = PeriodTotal.objects.filter(account_id__in=_subtree_ids(account))
    if dimension is not None:
        totals = totals.filter(dimension=dimension)
    signed = F("debit_amount") - F("credit_amount")
    sums = {
        "opening": fen_sum(
            signed,
            filter=_period_q(
                "period__", before=Period(year=month_start.year, month=month_start.month)
            ),
        )
    }
    if has_full:
        sums.update(
            debit=fen_sum("debit_amount", filter=in_full),
            credit=fen_sum("credit_amount", filter=in_full),
        )
    whole = {"debit": 0, "credit": 0, **totals.aggregate(**sums)}
    lines = _posted_lines(account, dimension)
    # The cut parts of months: before the range in its first month, and the range's days
    # outside its whole months.
    before = Q(voucher__date__gte=month_start, voucher__date__lt=date_from)
    if has_full:
        cut = Q(voucher__date__gte=date_from, voucher__date__lt=full_from) | Q(
            voucher__date__gt=_month_end(full_to), voucher__date__lte=date_to
        )
    else:
        cut = Q(voucher__date__gte=date_from, voucher__date__lte=date_to)
    partial = {"opening": 0, "debit": 0, "credit": 0}
    if date_from != month_start or not has_full or date_to != _month_end(full_to):
        partial = lines.filter(before | cut).aggregate(
            opening=fen_sum(signed, filter=before),
            debit=fen_sum("debit_amount", filter=cut),
            credit=fen_sum("credit_amount", filter=cut),
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
    ).order_by(*order)
    return AccountDetail(
        account=account,
        dimension=dimension,
        date_from=date_from,
        date_to=date_to,
        opening=yuan(opening_fen),
        debit=yuan(movements["debit"]),
        credit=yuan(movements["credit"]),
        lines=_as_rows(detailed, DetailLine),
    )


# ---------------------------------------------------------------------------- customer balances


@dataclass(frozen=True)
class CustomerBalanceRow:
    dimension_id: int | None
    code: str
    name: str
    opening: Decimal
    debit: Decimal
    credit: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


@dataclass(frozen=True)
class CustomerBalances:
    account: Account
    rows: list[CustomerBalanceRow]

    def _sum(self, name: str) -> Decimal:
        return sum((getattr(r, name) for r in self.rows), ZERO)

    @property
    def opening(self) -> Decimal:
        return self._sum("opening")

    @property
    def debit(self) -> Decimal:
        return self._sum("debit")

    @property
    def credit(self) -> Decimal:
        return self._sum("credit")

    @property
    def closing(self) -> Decimal:
        return self._sum("closing")


def customer_balances(
    *, account: Account, period_from: Period, period_to: Period
) -> CustomerBalances:
    """Auxiliary balances (辅助余额表) per customer of an account's subtree: one query."""
    rows = (
        PeriodTotal.objects.filter(_subtree_q(account))
        .filter(_period_q("period__", upto=period_to))
        .values("dimension_id", "dimension__code", "dimension__name")
        .annotate(
            opening=fen_sum(
                F("debit_amount") - F("credit_amount"),
                filter=_period_q("period__", before=period_from),
            ),
            debit=fen_sum("debit_amount", filter=_period_q("period__", start=period_from)),
            credit=fen_sum("credit_amount", filter=_period_q("period__", start=period_from)),
        )
        .order_by("dimension__code")
    )
    result = [
        CustomerBalanceRow(
            r["dimension_id"],
            r["dimension__code"] or "",
            r["dimension__name"] or "",
            yuan(r["opening"]),
            yuan(r["debit"]),
            yuan(r["credit"]),
        )
        for r in rows
    ]
    return CustomerBalances(
        account=account, rows=[r for r in result if any((r.opening, r.debit, r.credit))]
    )


# ---------------------------------------------------------------------------- drill-down


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


# ---------------------------------------------------------------------------- row querysets


class _RowIterable(ValuesListIterable):
    """Yields `row` tuples (a NamedTuple class) instead of plain tuples or model instances."""

    row: Any = tuple

    def __iter__(self) -> Iterator[Any]:
        make, row = tuple.__new__, self.row
        for values in super().__iter__():
            yield make(row, values)


_ROW_ITERABLES: dict[type, type[_RowIterable]] = {}


def _as_rows(queryset: QuerySet[ModelT, Any], row: type[RowT]) -> QuerySet[ModelT, RowT]:
    """The queryset's `row._fields` columns as `row` tuples: still a QuerySet (it counts, slices,
    paginates and streams) but builds no model instance per row, which long lists cannot afford."""
    iterable = _ROW_ITERABLES.get(row)
    if iterable is None:
        iterable = _ROW_ITERABLES[row] = type(
            f"{row.__name__}Iterable", (_RowIterable,), {"row": row}
        )
    rows = queryset.values_list(*row._fields)  # type: ignore[attr-defined]
    rows._iterable_class = iterable
    return rows


# A select column handed over as the driver returns it: no converter runs per row, which on
# 10,000-row lists costs more than the query's own joins.
RAW = models.Field()


def _raw(expression: models.Expression | F) -> ExpressionWrapper:
    return ExpressionWrapper(expression, output_field=RAW)


def _fen(field: str) -> ExpressionWrapper:
    """A money column as plain integer fen: rows convert to yuan only when a cell is shown."""
    return _raw(F(field))


def _voucher_number(word: str, year: int, month: int, number: int | None) -> str:
    return f"{word}-{year}{month:02d}-{(number or 0):04d}"


# ---------------------------------------------------------------------------- open items


def _subtree_ids(account: Account) -> QuerySet[Account, Any]:
    """Ids of an account and its sub-accounts, as a subquery (items are filtered by id)."""
    return Account.objects.filter(_subtree_q(account, prefix="")).order_by().values("pk")


def _since_fen(as_of: date) -> Case:
    """What a match changed after `as_of`, signed for its debit item (the credit item: minus).

    Made after the date and still live: the item was that much more open then. Made by the
    date and undone after it: that much less open then.
    """
    return Case(
        When(matched_on__gt=as_of, undone_on__isnull=True, then=F("amount")),
        When(matched_on__gt=as_of, then=Value(0)),
        default=-F("amount"),
        output_field=FEN,
    )


def _changed_after(as_of: date) -> Q:
    return Q(matched_on__gt=as_of) | Q(undone_on__gt=as_of)


def _since_subquery(side: str, as_of: date) -> Coalesce:
    changed = (
        OpenItemMatch.objects.filter(_changed_after(as_of), **{side: OuterRef("pk")})
        .order_by()
        .values(side)
        .annotate(total=Sum(_since_fen(as_of), output_field=FEN))
        .values("total")
    )
    # SUM of BIGINT is NUMERIC on PostgreSQL; back to an integer so open amounts stay integers.
    return Coalesce(Cast(Subquery(changed), FEN), Value(0, output_field=FEN))


def _open_fen(as_of: date | None) -> models.Expression:
    """An item's open amount in fen, signed like the item, now or as of a date.

    Now it is the stored column; as of a date, the stored column corrected by the matches made
    or undone since, which are few: history is never rescanned. A positive item is only ever
    the debit side of a match and a negative one the credit side.
    """
    if as_of is None:
        return _fen("open_amount")
    return Case(
        When(amount__gt=0, then=F("open_amount") + _since_subquery("debit_item", as_of)),
        default=F("open_amount") - _since_subquery("credit_item", as_of),
        output_field=FEN,
    )


class OpenItemRow(NamedTuple):
    """An open item as lists show it; amounts in fen until a cell asks for yuan."""

    pk: int
    dimension_code: str
    dimension_name: str
    account_code: str
    voucher_number: str
    posted_on: date
    due_on: date
    summary: str
    amount_fen: int
    open_fen: int
    source_type: str
    source_id: str

    @property
    def amount(self) -> Decimal:
        return yuan(self.amount_fen)

    @property
    def open_amount(self) -> Decimal:
        return yuan(self.open_fen)


def open_items(
    *,
    account: Account,
    dimension: Dimension | None = None,
    as_of: date | None = None,
    only_open: bool = True,
) -> QuerySet[OpenItem, OpenItemRow]:
    """Items of an account (subtree) with their open amount now or as of a date: one query.

    Ordered by customer, due date, posting date; one customer's items come in the order of
    the (dimension, due_on, posted_on, id) index.
    """
    items = OpenItem.objects.filter(account_id__in=_subtree_ids(account))
    if dimension is not None:
        items = items.filter(dimension=dimension)
    if as_of is not None:
        items = items.filter(posted_on__lte=as_of)
    items = items.annotate(
        dimension_code=F("dimension__code"),
        dimension_name=F("dimension__name"),
        account_code=F("account__code"),
        amount_fen=_fen("amount"),
        open_fen=_raw(_open_fen(as_of)),
    )
    if only_open:
        # Now: the partial index of open items; as of a date, whatever was open then.
        items = items.exclude(open_amount=0) if as_of is None else items.exclude(open_fen=0)
    order = ["due_on", "posted_on", "pk"]
    if dimension is None:
        order.insert(0, "dimension__code")
    return _as_rows(items.order_by(*order), OpenItemRow)


def open_item_get(*, pk: int) -> OpenItem | None:
    return (
        OpenItem.objects.filter(pk=pk)
        .select_related("dimension", "account", "line__voucher__period")
        .first()
    )


class ItemHistoryRow(NamedTuple):
    """A match of the item with the other side's voucher, in fen until shown."""

    match_id: int
    matched_on: date
    amount_fen: int
    undone_on: date | None
    created_by: str
    other_pk: int
    voucher_number: str
    summary: str

    @property
    def amount(self) -> Decimal:
        return yuan(self.amount_fen)


@dataclass(frozen=True)
class ItemHistory:
    item: OpenItem
    open_amount: Decimal
    rows: list[ItemHistoryRow]


def item_history(*, item: OpenItem) -> ItemHistory:
    """An item, its open amount now and every match (undone ones too) with the other side.

    A positive item is the debit side of its matches and a negative one the credit side, so
    one index gives its matches in date order: two queries whatever their number.
    """
    item = open_item_get(pk=item.pk) or item
    side, other = (
        ("debit_item", "credit_item") if item.amount > 0 else ("credit_item", "debit_item")
    )
    matches = OpenItemMatch.objects.filter(**{side: item}).annotate(
        match_id=F("pk"),
        amount_fen=_fen("amount"),
        created_by_name=Coalesce(
            NullIf(F("created_by__display_name"), Value("")), F("created_by__username")
        ),
        other_pk=F(f"{other}_id"),
        voucher_number=F(f"{other}__voucher_number"),
        other_summary=F(f"{other}__summary"),
    )
    rows = [
        ItemHistoryRow(*values)
        for values in matches.order_by("matched_on", "pk").values_list(
            "match_id",
            "matched_on",
            "amount_fen",
            "undone_on",
            "created_by_name",
            "other_pk",
            "voucher_number",
            "other_summary",
        )
    ]
    return ItemHistory(item=item, open_amount=item.open_amount, rows=rows)


# ---------------------------------------------------------------------------- ageing


class AgeingBasis(models.TextChoices):
    DUE = "due", _("by due date")
    POSTING = "posting", _("by posting date")


class AgeingRow(tuple[Any, ...]):
    """One customer's open amounts per bucket, as the database returns them: (customer id, total
    in fen, the buckets in fen…, code, name). A tuple, so 200,000 rows cost no Python per row;
    yuan appear when a cell is read."""

    __slots__ = ()

    @property
    def dimension_id(self) -> int:
        return int(self[0])

    @property
    def total_fen(self) -> int:
        return int(self[1])

    @property
    def fen(self) -> tuple[int, ...]:
        return self[2:-2]

    @property
    def code(self) -> str:
        return str(self[-2])

    @property
    def name(self) -> str:
        return str(self[-1])

    @property
    def amounts(self) -> list[Decimal]:
        return [yuan(f) for f in self.fen]

    @property
    def total(self) -> Decimal:
        return yuan(self[1])


@dataclass(frozen=True)
class Ageing:
    as_of: date
    basis: str
    buckets: tuple[Bucket, ...]
    rows: list[AgeingRow]
    totals: list[Decimal]
    total: Decimal


def _bucket_sql(bucket: Bucket, *, as_of: date, column: str) -> tuple[str, list[date]]:
    """Age in days within [low, high] as a date range, so no database date arithmetic."""
    sql, params = f"{column} <= %s", [as_of - timedelta(days=bucket.low)]
    if bucket.high is not None:
        sql += f" AND {column} >= %s"
        params.append(as_of - timedelta(days=bucket.high))
    return sql, params


@contextmanager
def _report_cursor() -> Iterator[Any]:
    """A cursor for one large report aggregate, in its own transaction where there is none.

    On PostgreSQL, JIT compilation costs more than it saves on these one-off aggregates, and
    grouping 200,000 customers needs more than the default 4 MB of sort and hash memory; both
    settings are LOCAL, so they end with the transaction.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    # Inside a caller's transaction the settings last until it ends; no savepoint is needed.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
        yield cursor


def ageing(
    *,
    as_of: date,
    account: Account,
    buckets: Sequence[Bucket] = DEFAULT_BUCKETS,
    basis: str = AgeingBasis.DUE,
) -> Ageing:
    """Open amounts per customer as of a date, bucketed by age: one GROUP BY query.

    The stored open amounts of items open now, plus the changes of the matches made or undone
    after `as_of` (items settled since were open then); items posted after `as_of` are left
    out. So the total equals the account's balance as of that date.
    """
    column = "x.due_on" if basis == AgeingBasis.DUE else "x.posted_on"
    buckets = tuple(buckets)
    item = OpenItem._meta.db_table
    match = OpenItemMatch._meta.db_table
    dimension = Dimension._meta.db_table
    account_sql, account_params = _subtree_ids(account).query.sql_with_params()
    sums: list[str] = []
    sum_params: list[date] = []
    for bucket in buckets:
        condition, params = _bucket_sql(bucket, as_of=as_of, column=column)
        # FILTER skips the other rows' additions, which a CASE in every sum would pay for;
        # integers out, not NUMERIC, so no Decimal per cell.
        sums.append(
            f"COALESCE(CAST(SUM(x.fen) FILTER (WHERE {condition}) AS BIGINT), 0) AS b{len(sums)}"
        )
        sum_params += params
    columns = ["total", *(f"b{index}" for index in range(len(buckets)))]
    since = (
        "CASE WHEN m.matched_on > %s THEN (CASE WHEN m.undone_on IS NULL THEN m.amount ELSE 0 END)"
        " ELSE -m.amount END"
    )
    changed = "m.matched_on > %s OR m.undone_on > %s"
    # Identifiers come from the models; every value is a parameter.
    sql = (
        f"SELECT g.*, d.code, d.name FROM ("  # noqa: S608
        f" SELECT x.dimension_id, CAST(SUM(x.fen) AS BIGINT) AS total, {', '.join(sums)}"
        " FROM ("
        f"  SELECT i.dimension_id, i.due_on, i.posted_on, i.open_amount AS fen FROM {item} i"
        f"  WHERE i.open_amount <> 0 AND i.account_id IN ({account_sql}) AND i.posted_on <= %s"
        "  UNION ALL"
        "  SELECT i.dimension_id, i.due_on, i.posted_on, c.fen FROM ("
        f"   SELECT m.debit_item_id AS item_id, {since} AS fen FROM {match} m WHERE {changed}"
        "    UNION ALL"
        f"   SELECT m.credit_item_id, -({since}) FROM {match} m WHERE {changed}"
        f"  ) c JOIN {item} i ON i.id = c.item_id"
        f"  WHERE i.account_id IN ({account_sql}) AND i.posted_on <= %s"
        " ) x GROUP BY x.dimension_id"
        f") g JOIN {dimension} d ON d.id = g.dimension_id"
        # Customers with nothing open in any bucket are left out.
        f" WHERE {' OR '.join(f'g.{column} <> 0' for column in columns)}"
        " ORDER BY d.code"
    )
    params = [
        *sum_params,
        *account_params,
        as_of,
        as_of,
        as_of,
        as_of,
        as_of,
        as_of,
        as_of,
        *account_params,
        as_of,
    ]
    with _report_cursor() as cursor:
        cursor.execute(sql, params)
        make = tuple.__new__
        rows = [make(AgeingRow, values) for values in cursor.fetchall()]
    # Totals per column: one pass each over the integers.
    totals = [sum(map(itemgetter(index), rows)) for index in range(1, 2 + len(buckets))]
    return Ageing(
        as_of=as_of,
        basis=basis,
        buckets=buckets,
        rows=rows,
        totals=[yuan(f) for f in totals[1:]],
        total=yuan(totals[0]),
    )


def account_balance(
    *, account: Account, as_of: date, dimension: Dimension | None = None
) -> Decimal:
    """An account's (subtree's) balance from posted lines up to a date, debit positive."""
    lines = _posted_lines(account, dimension).filter(voucher__date__lte=as_of)
    return yuan(lines.aggregate(total=fen_sum(F("debit_amount") - F("credit_amount")))["total"])
