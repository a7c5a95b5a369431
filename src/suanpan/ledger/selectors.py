"""Every read of the books. Reports aggregate in SQL over period totals and open items: the
number of queries never grows with the data."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import models
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
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from suanpan.core.fields import MoneyField
from suanpan.ledger.calculations import DEFAULT_BUCKETS, ZERO, Bucket
from suanpan.ledger.choices import DimensionKind, Direction, VoucherStatus
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    Dimension,
    OpenItem,
    OpenItemMatch,
    Period,
    PeriodTotal,
    Voucher,
    VoucherLine,
)

FEN = models.BigIntegerField()


def fen_sum(expression: F | str | models.Expression, *, filter: Q | None = None) -> Coalesce:
    """SUM over money columns in fen (integers), 0 when there are no rows.

    Sums are taken as plain integers and turned into yuan once, in `yuan()`: arithmetic inside
    SQL on the fen columns must not meet the Decimal conversion halfway.
    """
    return Coalesce(Sum(expression, output_field=FEN, filter=filter), Value(0, output_field=FEN))


def yuan(fen: int | None) -> Decimal:
    return (Decimal(int(fen or 0)) / 100).quantize(Decimal("0.01"))


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


def open_items_check(*, as_of: date) -> list[tuple[int, int | None, Decimal, Decimal]]:
    """(account, customer, open items, account balance) wherever they differ as of a date.

    Open items sum to the account's balance per customer at any date (matches move amounts
    between items, never out of them): one query each side.
    """
    accounts = list(Account.objects.filter(is_open_item=True).values_list("pk", flat=True))
    if not accounts:
        return []
    items = {
        (row["account_id"], row["dimension_id"]): yuan(row["total"])
        for row in OpenItem.objects.filter(account_id__in=accounts, posted_on__lte=as_of)
        .values("account_id", "dimension_id")
        .annotate(total=fen_sum("amount"))
    }
    lines = {
        (row["account_id"], row["dimension_id"]): yuan(row["total"])
        for row in VoucherLine.objects.filter(
            account_id__in=accounts, voucher__status="posted", voucher__date__lte=as_of
        )
        .values("account_id", "dimension_id")
        .annotate(total=fen_sum(F("debit_amount") - F("credit_amount")))
    }
    return [
        (key[0], key[1], items.get(key, ZERO), lines.get(key, ZERO))
        for key in sorted(set(items) | set(lines), key=lambda k: (k[0], k[1] or 0))
        if items.get(key, ZERO) != lines.get(key, ZERO)
    ]


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


@dataclass(frozen=True)
class AccountDetail:
    """A detail ledger (明细账): opening, posted lines with running balance, movements, closing.

    `lines` is a queryset (so pages paginate it); each line carries `balance`, the running
    balance after it, computed by the database with a window function.
    """

    account: Account
    dimension: Dimension | None
    date_from: date
    date_to: date
    opening: Decimal
    debit: Decimal
    credit: Decimal
    lines: QuerySet[VoucherLine]

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def _posted_lines(account: Account, dimension: Dimension | None) -> QuerySet[VoucherLine]:
    lines = VoucherLine.objects.filter(_subtree_q(account), voucher__status=VoucherStatus.POSTED)
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

    The opening is whole earlier months from PeriodTotal plus the lines of the first month
    before `date_from`; three queries, then one for the lines (by page).
    """
    month_start = date_from.replace(day=1)
    totals = PeriodTotal.objects.filter(_subtree_q(account)).filter(
        Q(period__year__lt=month_start.year)
        | Q(period__year=month_start.year, period__month__lt=month_start.month)
    )
    if dimension is not None:
        totals = totals.filter(dimension=dimension)
    whole_months = totals.aggregate(total=fen_sum(F("debit_amount") - F("credit_amount")))["total"]
    lines = _posted_lines(account, dimension)
    partial = lines.filter(voucher__date__gte=month_start, voucher__date__lt=date_from).aggregate(
        total=fen_sum(F("debit_amount") - F("credit_amount"))
    )["total"]
    opening_fen = int(whole_months) + int(partial)
    in_range = lines.filter(voucher__date__gte=date_from, voucher__date__lte=date_to)
    movements = in_range.aggregate(debit=fen_sum("debit_amount"), credit=fen_sum("credit_amount"))
    order = [F("voucher__date").asc(), F("voucher__chain_seq").asc(), F("line_no").asc()]
    # The running sum is integer fen plus the opening in fen; MONEY turns it into yuan once.
    running = Window(
        expression=Sum(F("debit_amount") - F("credit_amount"), output_field=FEN),
        order_by=order,
    )
    detailed = (
        in_range.select_related("voucher__period", "account", "dimension")
        .annotate(
            balance=ExpressionWrapper(
                running + Value(opening_fen, output_field=FEN), output_field=MONEY
            )
        )
        .order_by(*order)
    )
    return AccountDetail(
        account=account,
        dimension=dimension,
        date_from=date_from,
        date_to=date_to,
        opening=yuan(opening_fen),
        debit=yuan(movements["debit"]),
        credit=yuan(movements["credit"]),
        lines=detailed,
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


# ---------------------------------------------------------------------------- open items


def _live_matches(as_of: date | None) -> Q:
    """Matches that count as of a date: made by then and not undone by then."""
    if as_of is None:
        return Q(undone_on__isnull=True)
    return Q(matched_on__lte=as_of) & (Q(undone_on__isnull=True) | Q(undone_on__gt=as_of))


def _matched_fen(side: str, as_of: date | None) -> Coalesce:
    matched = (
        OpenItemMatch.objects.filter(_live_matches(as_of), **{side: OuterRef("pk")})
        .order_by()
        .values(side)
        .annotate(total=Sum("amount", output_field=FEN))
        .values("total")
    )
    return Coalesce(Subquery(matched, output_field=FEN), Value(0, output_field=FEN))


def _open_fen(as_of: date | None) -> Case:
    """An item's open amount in fen, signed like the item, as one SQL expression.

    A positive item is only ever the debit side of a match and a negative one the credit side.
    """
    return Case(
        When(amount__gt=0, then=F("amount") - _matched_fen("debit_item", as_of)),
        default=F("amount") + _matched_fen("credit_item", as_of),
        output_field=FEN,
    )


def open_items(
    *,
    account: Account,
    dimension: Dimension | None = None,
    as_of: date | None = None,
    only_open: bool = True,
) -> QuerySet[OpenItem]:
    """Items of an account (subtree) with `open_fen` and `open_amount` as of a date: one query."""
    items = OpenItem.objects.filter(_subtree_q(account))
    if dimension is not None:
        items = items.filter(dimension=dimension)
    if as_of is not None:
        items = items.filter(posted_on__lte=as_of)
    items = items.annotate(open_fen=_open_fen(as_of)).annotate(
        open_amount=ExpressionWrapper(F("open_fen"), output_field=MONEY)
    )
    if only_open:
        items = items.exclude(open_fen=0)
    return items.select_related("dimension", "account", "line__voucher__period").order_by(
        "dimension__code", "due_on", "posted_on", "pk"
    )


@dataclass(frozen=True)
class ItemHistoryRow:
    match: OpenItemMatch
    other: OpenItem

    @property
    def voucher(self) -> Voucher:
        return self.other.line.voucher


@dataclass(frozen=True)
class ItemHistory:
    item: OpenItem
    open_amount: Decimal
    rows: list[ItemHistoryRow]


def open_item_get(*, pk: int) -> OpenItem | None:
    return (
        OpenItem.objects.filter(pk=pk)
        .annotate(open_fen=_open_fen(None))
        .annotate(open_amount=ExpressionWrapper(F("open_fen"), output_field=MONEY))
        .select_related("dimension", "account", "line__voucher__period")
        .first()
    )


def item_history(*, item: OpenItem) -> ItemHistory:
    """An item, its open amount now and every match (undone ones too) with the other side."""
    item = open_item_get(pk=item.pk) or item
    matches = (
        OpenItemMatch.objects.filter(Q(debit_item=item) | Q(credit_item=item))
        .select_related(
            "debit_item__line__voucher__period",
            "credit_item__line__voucher__period",
            "created_by",
            "undone_by",
        )
        .order_by("matched_on", "pk")
    )
    rows = [
        ItemHistoryRow(m, m.credit_item if m.debit_item_id == item.pk else m.debit_item)
        for m in matches
    ]
    return ItemHistory(item=item, open_amount=getattr(item, "open_amount", item.amount), rows=rows)


# ---------------------------------------------------------------------------- ageing


class AgeingBasis(models.TextChoices):
    DUE = "due", _("by due date")
    POSTING = "posting", _("by posting date")


@dataclass(frozen=True)
class AgeingRow:
    dimension_id: int
    code: str
    name: str
    amounts: list[Decimal]
    total: Decimal


@dataclass(frozen=True)
class Ageing:
    as_of: date
    basis: str
    buckets: tuple[Bucket, ...]
    rows: list[AgeingRow]
    totals: list[Decimal]
    total: Decimal


def _bucket_q(bucket: Bucket, *, as_of: date, field: str) -> Q:
    """Age in days within [low, high] as a date range, so no database date arithmetic."""
    q = Q(**{f"{field}__lte": as_of - timedelta(days=bucket.low)})
    if bucket.high is not None:
        q &= Q(**{f"{field}__gte": as_of - timedelta(days=bucket.high)})
    return q


def ageing(
    *,
    as_of: date,
    account: Account,
    buckets: Sequence[Bucket] = DEFAULT_BUCKETS,
    basis: str = AgeingBasis.DUE,
) -> Ageing:
    """Open amounts per customer as of a date, bucketed by age: one GROUP BY query.

    Items posted after `as_of` are left out and matches count as they stood then, so the
    total equals the account's balance as of that date.
    """
    field = "due_on" if basis == AgeingBasis.DUE else "posted_on"
    buckets = tuple(buckets)
    items = (
        OpenItem.objects.filter(_subtree_q(account), posted_on__lte=as_of)
        .annotate(open_fen=_open_fen(as_of))
        .values("dimension_id", "dimension__code", "dimension__name")
        .annotate(
            total=fen_sum("open_fen"),
            **{
                f"b{index}": fen_sum("open_fen", filter=_bucket_q(b, as_of=as_of, field=field))
                for index, b in enumerate(buckets)
            },
        )
        .order_by("dimension__code")
    )
    rows = []
    for r in items:
        row: dict[str, Any] = dict(r)
        rows.append(
            AgeingRow(
                row["dimension_id"],
                row["dimension__code"],
                row["dimension__name"],
                [yuan(row[f"b{index}"]) for index in range(len(buckets))],
                yuan(row["total"]),
            )
        )
    rows = [r for r in rows if r.total or any(r.amounts)]
    totals = [sum((r.amounts[i] for r in rows), ZERO) for i in range(len(buckets))]
    return Ageing(
        as_of=as_of,
        basis=basis,
        buckets=buckets,
        rows=rows,
        totals=totals,
        total=sum((r.total for r in rows), ZERO),
    )


def account_balance(
    *, account: Account, as_of: date, dimension: Dimension | None = None
) -> Decimal:
    """An account's (subtree's) balance from posted lines up to a date, debit positive."""
    lines = _posted_lines(account, dimension).filter(voucher__date__lte=as_of)
    return yuan(lines.aggregate(total=fen_sum(F("debit_amount") - F("credit_amount")))["total"])
