"""What a statement reads: balances and movements from the period totals (never from voucher
lines), the carry-forward vouchers left out of the income statement, and the cash-flow tags."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from suanpan.core.sums import fen_sum, yuan
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.calculations.statements import (
    NO_FIGURES,
    AccountFigures,
    Term,
    TermKind,
    code_covers,
    term_value,
)
from suanpan.ledger.choices import (
    AccountCategory,
    AccountRole,
    CashFlowDirection,
    Direction,
    VoucherStatus,
)
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    CashFlowItem,
    CashFlowTag,
    Period,
    PeriodTotal,
    VoucherLine,
)
from suanpan.ledger.selectors.statement_definitions import Month, StatementColumn

# ---------------------------------------------------------------------------- figures


@dataclass
class ChartFacts:
    accounts: dict[str, Account]
    by_id: dict[int, Account]

    @classmethod
    def read(cls) -> ChartFacts:
        accounts = list(Account.objects.order_by("code"))
        return cls({a.code: a for a in accounts}, {a.pk: a for a in accounts})

    def ancestors(self, account: Account) -> Iterable[Account]:
        node: Account | None = account
        while node is not None:
            yield node
            node = self.by_id.get(node.parent_id) if node.parent_id else None

    def top(self, account: Account) -> Account:
        return list(self.ancestors(account))[-1]

    def credit_normal(self, code: str) -> bool:
        account = self.accounts.get(code)
        return account is not None and account.direction == Direction.CREDIT


@dataclass
class FigureRange:
    start: Month
    end: Month
    # What is read for the range: closing, opening, moves (debit and credit within it), detail
    # (the per-customer debit and credit balances at its end). What no row, check or drill-down
    # reads is not summed: on millions of lines each sum costs.
    measures: set[str] = field(default_factory=set)
    # Per account id: its own figures (leaf postings), and per code the subtree's.
    own: dict[int, AccountFigures] = field(default_factory=dict)
    rolled: dict[str, AccountFigures] = field(default_factory=dict)
    items: dict[str, Decimal] = field(default_factory=dict)  # item code → tagged, money in +


def _period_ids(periods: Sequence[tuple[int, int, int]], test: Any) -> list[int]:
    return [pk for pk, year, month in periods if test(Month(year, month))]


def _in_list(ids: Sequence[int]) -> str:
    return ", ".join(str(int(pk)) for pk in ids) if ids else "NULL"


def _totals_read(
    ranges: Sequence[FigureRange], periods: Sequence[tuple[int, int, int]]
) -> dict[int, list[tuple[int, ...]]]:
    """Per account, for each range: closing, opening, debit, credit, and the debit and credit
    balances of its customers summed (0 where the range does not read them). One query over
    the period totals; per-customer balances are summed in SQL, so a row per account comes
    back. A sum is written once however many ranges read it, and plainly where it takes every
    month read."""
    table = PeriodTotal._meta.db_table
    upto = _period_ids(periods, lambda m: m <= max(r.end for r in ranges))
    inner: dict[str, str] = {}  # expression → its column

    def column(ids: Sequence[int], value: str) -> str:
        expression = (
            f"SUM({value})"
            if set(ids) == set(upto)
            else f"SUM(CASE WHEN period_id IN ({_in_list(ids)}) THEN {value} ELSE 0 END)"
            if ids
            else "0"
        )
        return inner.setdefault(expression, f"x{len(inner)}")

    detail = any("detail" in r.measures for r in ranges)
    outer: list[str] = []
    net = "debit_amount - credit_amount"
    for rng in ranges:
        closing = _period_ids(periods, lambda m, r=rng: m <= r.end)
        within = _period_ids(periods, lambda m, r=rng: r.start <= m <= r.end)
        before = _period_ids(periods, lambda m, r=rng: m < r.start)
        c = column(closing, net) if rng.measures & {"closing", "detail"} else ""
        o = column(before, net) if "opening" in rng.measures else ""
        moves = "moves" in rng.measures
        d = column(within, "debit_amount") if moves else ""
        k = column(within, "credit_amount") if moves else ""
        outer += [f"SUM({x})" if x else "0" for x in (c, o, d, k)]
        if "detail" in rng.measures:
            outer += [f"SUM(CASE WHEN {c} > 0 THEN {c} ELSE 0 END)"]
            outer += [f"SUM(CASE WHEN {c} < 0 THEN -{c} ELSE 0 END)"]
        else:
            outer += ["0", "0"]
    group = "account_id, dimension_id" if detail else "account_id"
    columns = ", ".join(f"{expression} AS {alias}" for expression, alias in inner.items())
    sql = (
        f"SELECT account_id, {', '.join(outer)} FROM (SELECT {group}"  # noqa: S608 - table name from the model, ids are integers
        f"{', ' + columns if columns else ''} FROM {table}"
        f" WHERE period_id IN ({_in_list(upto)}) GROUP BY {group}) t GROUP BY account_id"
    )
    rows: dict[int, list[tuple[int, ...]]] = {}
    with _totals_cursor() as cursor:
        cursor.execute(sql)
        for account_id, *values in cursor.fetchall():
            rows[account_id] = [
                tuple(int(v or 0) for v in values[i * 6 : (i + 1) * 6]) for i in range(len(ranges))
            ]
    return rows


@contextmanager
def _totals_cursor() -> Iterator[Any]:
    """A cursor for the statements' one aggregate over the period totals. On PostgreSQL, JIT
    compilation costs more than it saves on it (LOCAL: the setting ends with the transaction);
    sort and hash memory stay at the server's: with more, the planner hashes 200,000
    customers instead of reading them in order from the (account, customer) index."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield cursor


def _carry_forward_read(
    chart: ChartFacts, periods: Sequence[tuple[int, int, int]], end: Month
) -> dict[tuple[int, int], tuple[int, int]]:
    """(account id, period id) → (debit, credit) in fen of the profit-and-loss lines of the
    carry-forward vouchers: every posted voucher with a line on current-year profit (本年利润),
    which takes nothing else in Chinese practice. One query through the lines' account index."""
    mapping = AccountRoleMap.objects.filter(role=AccountRole.CURRENT_YEAR_PROFIT).first()
    if mapping is None:
        return {}
    profit = chart.top(chart.by_id[mapping.account_id])
    profit_ids = [a.pk for code, a in chart.accounts.items() if code_covers(profit.code, code)]
    pl_ids = [a.pk for a in chart.by_id.values() if a.category == AccountCategory.PROFIT_LOSS]
    upto = _period_ids(periods, lambda m: m <= end)
    if not pl_ids or not upto:
        return {}
    rows = (
        VoucherLine.objects.filter(
            voucher__status=VoucherStatus.POSTED,
            voucher__period_id__in=upto,
            account_id__in=pl_ids,
            voucher_id__in=VoucherLine.objects.filter(account_id__in=profit_ids).values(
                "voucher_id"
            ),
        )
        .values("account_id", "voucher__period_id")
        .annotate(debit=fen_sum("debit_amount"), credit=fen_sum("credit_amount"))
        .order_by()
    )
    return {(r["account_id"], r["voucher__period_id"]): (r["debit"], r["credit"]) for r in rows}


def _items_read(
    ranges: Sequence[FigureRange], periods: Sequence[tuple[int, int, int]]
) -> dict[tuple[str, int], int]:
    """(item code, period id) → tagged fen (money in positive), up to the last range's end."""
    upto = _period_ids(periods, lambda m: m <= max(r.end for r in ranges))
    rows = (
        CashFlowTag.objects.filter(period_id__in=upto)
        .values("item__code", "period_id")
        .annotate(fen=fen_sum("amount"))
        .order_by()
    )
    return {(r["item__code"], r["period_id"]): r["fen"] for r in rows}


@dataclass
class Figures:
    """What the statements of one month read: figures per range, account and item."""

    chart: ChartFacts
    ranges: list[FigureRange]
    items: dict[str, CashFlowItem]

    def range_of(self, column: StatementColumn) -> FigureRange:
        for rng in self.ranges:
            if (rng.start, rng.end) == (column.start, column.end):
                return rng
        raise KeyError(column.key)

    def account(self, rng: FigureRange, code: str) -> AccountFigures:
        return rng.rolled.get(code, NO_FIGURES)

    def item(self, rng: FigureRange, code: str) -> Decimal:
        total = ZERO
        for item_code, amount in rng.items.items():
            if code_covers(code, item_code):
                total += amount
        item = self.items.get(code)
        return -total if item is not None and item.direction == CashFlowDirection.OUTFLOW else total

    def term(self, rng: FigureRange, term: Term, default_mode: str) -> Decimal:
        if term.kind == TermKind.ITEM:
            return term.sign * self.item(rng, term.code)
        figures = self.account(rng, term.code)
        mode = term.mode or default_mode
        return term.sign * term_value(
            mode, figures, credit_normal=self.chart.credit_normal(term.code)
        )


def figures_read(wanted: Iterable[tuple[StatementColumn, set[str]]], *, items: bool) -> Figures:
    """The figures of the columns, each reading its measures (see `FigureRange`)."""
    chart = ChartFacts.read()
    ranges: list[FigureRange] = []
    for column, measures in wanted:
        found = next((r for r in ranges if (r.start, r.end) == (column.start, column.end)), None)
        if found is None:
            ranges.append(FigureRange(column.start, column.end, set(measures)))
        else:
            found.measures |= measures
    periods = list(Period.objects.values_list("id", "year", "month"))
    month_of = {pk: Month(year, month) for pk, year, month in periods}
    totals = _totals_read(ranges, periods) if periods else {}
    excluded = (
        _carry_forward_read(chart, periods, max(r.end for r in ranges))
        if periods and any("moves" in r.measures for r in ranges)
        else {}
    )
    for index, rng in enumerate(ranges):
        for account_id, per_range in totals.items():
            values = per_range[index]
            debit, credit = values[2], values[3]
            for (excluded_id, period_id), (ex_debit, ex_credit) in excluded.items():
                if excluded_id == account_id and rng.start <= month_of[period_id] <= rng.end:
                    debit -= ex_debit
                    credit -= ex_credit
            rng.own[account_id] = AccountFigures(
                yuan(values[0]),
                yuan(values[1]),
                yuan(debit),
                yuan(credit),
                yuan(values[4]),
                yuan(values[5]),
            )
        for account_id, figures in rng.own.items():
            own = chart.by_id.get(account_id)
            if own is None:
                continue
            for node in chart.ancestors(own):
                rng.rolled[node.code] = rng.rolled.get(node.code, NO_FIGURES) + figures
    by_code: dict[str, CashFlowItem] = {}
    if items:
        by_code = {i.code: i for i in CashFlowItem.objects.all()}
        tagged = _items_read(ranges, periods) if periods else {}
        for rng in ranges:
            for (code, period_id), fen in tagged.items():
                if rng.start <= month_of[period_id] <= rng.end:
                    rng.items[code] = rng.items.get(code, ZERO) + yuan(fen)
    return Figures(chart, ranges, by_code)
