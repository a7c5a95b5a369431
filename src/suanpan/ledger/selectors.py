"""Every read of the books. Reports aggregate in SQL over period totals and open items: the
number of queries never grows with the data."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce

from suanpan.ledger.calculations import ZERO
from suanpan.ledger.models import Account, OpenItem, OpenItemMatch, Period, PeriodTotal, VoucherLine

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


@dataclass(frozen=True)
class TrialBalance:
    rows: list[TrialBalanceRow]

    @property
    def opening_debit(self) -> Decimal:
        return sum((r.opening for r in self.rows if r.opening > 0 and r.account.level == 1), ZERO)

    @property
    def closing_debit(self) -> Decimal:
        return sum((r.closing for r in self.rows if r.closing > 0 and r.account.level == 1), ZERO)

    @property
    def closing_credit(self) -> Decimal:
        return -sum((r.closing for r in self.rows if r.closing < 0 and r.account.level == 1), ZERO)

    @property
    def period_debit(self) -> Decimal:
        return sum((r.debit for r in self.rows if r.account.level == 1), ZERO)

    @property
    def period_credit(self) -> Decimal:
        return sum((r.credit for r in self.rows if r.account.level == 1), ZERO)


def trial_balance(
    *, period_from: Period, period_to: Period, max_level: int | None = None
) -> TrialBalance:
    """Opening, movements and closing per account (parents roll up their leaves): two queries."""
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
    result = [
        TrialBalanceRow(a, *(v.quantize(Decimal("0.01")) for v in rolled[a.pk]))
        for a in accounts
        if (max_level is None or a.level <= max_level) and any(rolled[a.pk])
    ]
    return TrialBalance(rows=result)


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
