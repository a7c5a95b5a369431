"""Balances: trial balance, customer (auxiliary) balances, one account at a date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    F,
)

from suanpan.core.sums import fen_sum, yuan
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.choices import Direction, VoucherStatus
from suanpan.ledger.models import (
    Account,
    Dimension,
    Period,
    PeriodTotal,
    VoucherLine,
)
from suanpan.ledger.selectors._query import _period_q, _posted_lines, _subtree_q


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


def account_balance(
    *, account: Account, as_of: date, dimension: Dimension | None = None
) -> Decimal:
    """An account's (subtree's) balance from posted lines up to a date, debit positive."""
    lines = _posted_lines(account, dimension).filter(voucher__date__lte=as_of)
    return yuan(lines.aggregate(total=fen_sum(F("debit_amount") - F("credit_amount")))["total"])


def dimension_balance(*, kind: str, code: str, roles: Iterable[str]) -> Decimal:
    """A dimension's (a customer's) balance on the accounts mapped to `roles`, debit positive,
    from posted lines: one query, 0 when the books or the dimension do not exist.

    Read from the lines through their (account, dimension) index: this dimension's own lines
    only, where the period totals would be read for every dimension of those accounts.
    """
    fen = VoucherLine.objects.filter(
        account__roles__role__in=list(roles),
        dimension__kind=kind,
        dimension__code=code,
        voucher__status=VoucherStatus.POSTED,
    ).aggregate(total=fen_sum(F("debit_amount") - F("credit_amount")))["total"]
    return yuan(fen)
