"""Financial statements: their definitions, their figures from the period totals, the checks
shown beside them, the drill-down behind a figure, and the cash-flow tags.

Balances and movements come from `PeriodTotal` (one row per account, customer and month), never
from voucher lines: a statement over millions of lines reads the totals in one query. Two small
reads of lines remain: the carry-forward vouchers (so that the income statement shows what was
earned, not what was moved to 本年利润) and, for the cash-flow statement, the tags, which carry
their month and amount so that one index serves them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core.date_checks import report_date_problem
from suanpan.core.errors import ValidationFailed
from suanpan.core.sums import fen_sum, yuan
from suanpan.ledger import statement_templates
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.calculations.statements import (
    ADDITIVE_MODES,
    DETAIL_MODES,
    NO_FIGURES,
    AccountFigures,
    RowInput,
    RowKind,
    RowProblem,
    RowSpec,
    Term,
    TermKind,
    code_covers,
    rows_check,
    rows_evaluate,
    term_value,
)
from suanpan.ledger.choices import (
    AccountCategory,
    AccountRole,
    CashFlowDirection,
    Direction,
    FinancialStatementKind,
    StatementFormat,
    VoucherStatus,
)
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    CashFlowItem,
    CashFlowMapping,
    CashFlowTag,
    Period,
    PeriodTotal,
    StatementDefinition,
    StatementRow,
    VoucherLine,
)
from suanpan.ledger.selectors.company import company_get

# The default mode of an account term without one, by statement.
DEFAULT_MODES = {
    FinancialStatementKind.BALANCE_SHEET: "net",
    FinancialStatementKind.INCOME: "movement",
    FinancialStatementKind.CASH_FLOW: "movement",
}
# 其他货币资金: cash like 库存现金 and 银行存款, in both charts, though no role names it.
OTHER_CASH_CODE = "1012"


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year}{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)


def statement_month(text: str) -> Month:
    """The month a statement is asked for (2026-11 or 202611), within the window of report
    dates and not before the books begin; refused by field `period` otherwise."""
    raw = text.strip().replace("-", "")
    problem = _("Name a month as YYYY-MM, e.g. 2026-11.")
    if len(raw) != 6 or not raw.isdigit() or not 1 <= int(raw[4:]) <= 12:
        raise ValidationFailed(fields={"period": [problem]})
    month = Month(int(raw[:4]), int(raw[4:]))
    first = company_get().first_period
    if (month.year, month.month) < (first.year, first.month):
        raise ValidationFailed(
            fields={
                "period": [_("The books begin in %(month)s.") % {"month": first.strftime("%Y-%m")}]
            }
        )
    date_problem = report_date_problem(date(month.year, month.month, 1))
    if date_problem:
        raise ValidationFailed(fields={"period": [date_problem]})
    return month


def statement_month_default() -> Month:
    """The latest month with a period in the books, else the first month of the books."""
    latest = Period.objects.order_by("-year", "-month").first()
    if latest is not None:
        return Month(latest.year, latest.month)
    first = company_get().first_period
    return Month(first.year, first.month)


def statement_format_default() -> str:
    """The company's standard picks the format."""
    return str(company_get().standard)


# ---------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class StatementColumn:
    key: str
    label: str
    start: Month  # movements from this month, opening balances before it
    end: Month  # movements up to this month, balances at its end


def statement_columns(*, kind: str, fmt: str, month: Month) -> list[StatementColumn]:
    """The official columns: 期末余额 and 年初余额 (balance sheet); 本期金额, 本年累计金额 and
    the same months of last year (一般企业) or 本年累计金额 and 本月金额 (小企业)."""
    year_start = Month(month.year, 1)
    if kind == FinancialStatementKind.BALANCE_SHEET:
        return [
            StatementColumn("closing", _("Closing balance"), year_start, month),
            StatementColumn(
                "year_opening",
                _("Balance at the start of the year"),
                Month(month.year - 1, 1),
                Month(month.year - 1, 12),
            ),
        ]
    this_month = StatementColumn("month", _("This month"), month, month)
    to_date = StatementColumn("year", _("Year to date"), year_start, month)
    if fmt == StatementFormat.ASBE_SE:
        return [to_date, this_month]
    return [
        StatementColumn("month", _("This period"), month, month),
        to_date,
        StatementColumn(
            "prior_year",
            _("Same period last year"),
            year_start.shifted(-12),
            month.shifted(-12),
        ),
    ]


# ---------------------------------------------------------------------------- definitions


@dataclass(frozen=True)
class Definition:
    kind: str
    fmt: str
    rows: list[RowInput]
    specs: list[RowSpec]
    problems: list[RowProblem]
    stored: bool
    updated_at: Any = None
    updated_by: Any = None

    @property
    def default_mode(self) -> str:
        return DEFAULT_MODES[FinancialStatementKind(self.kind)]


def _chart_codes() -> set[str]:
    return set(Account.objects.values_list("code", flat=True))


def statement_default_rows(*, kind: str, fmt: str) -> list[RowInput]:
    """The shipped rows for this chart (codes translated, missing accounts left out)."""
    codes = _chart_codes()
    return statement_templates.default_rows(
        kind=kind, fmt=fmt, standard=company_get().standard, account_exists=codes.__contains__
    )


def statement_definition(*, kind: str, fmt: str) -> Definition:
    """The stored rows of a statement, or the shipped default while none are stored."""
    stored = (
        StatementDefinition.objects.select_related("updated_by")
        .filter(kind=kind, format=fmt)
        .first()
    )
    if stored is not None:
        rows = [
            RowInput(r.line_no, r.label, r.kind, r.formula, r.key, r.side, r.indent)
            for r in StatementRow.objects.filter(definition=stored).order_by("position")
        ]
    else:
        rows = statement_default_rows(kind=kind, fmt=fmt)
    specs, problems = rows_check(rows, items_allowed=kind == FinancialStatementKind.CASH_FLOW)
    return Definition(
        kind,
        fmt,
        rows,
        specs,
        problems,
        stored is not None,
        stored.updated_at if stored else None,
        stored.updated_by if stored else None,
    )


# ---------------------------------------------------------------------------- figures


@dataclass
class _Chart:
    accounts: dict[str, Account]
    by_id: dict[int, Account]

    @classmethod
    def read(cls) -> _Chart:
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
class _Range:
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
    ranges: Sequence[_Range], periods: Sequence[tuple[int, int, int]]
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
    chart: _Chart, periods: Sequence[tuple[int, int, int]], end: Month
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
    ranges: Sequence[_Range], periods: Sequence[tuple[int, int, int]]
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
class _Figures:
    """What the statements of one month read: figures per range, account and item."""

    chart: _Chart
    ranges: list[_Range]
    items: dict[str, CashFlowItem]

    def range_of(self, column: StatementColumn) -> _Range:
        for rng in self.ranges:
            if (rng.start, rng.end) == (column.start, column.end):
                return rng
        raise KeyError(column.key)

    def account(self, rng: _Range, code: str) -> AccountFigures:
        return rng.rolled.get(code, NO_FIGURES)

    def item(self, rng: _Range, code: str) -> Decimal:
        total = ZERO
        for item_code, amount in rng.items.items():
            if code_covers(code, item_code):
                total += amount
        item = self.items.get(code)
        return -total if item is not None and item.direction == CashFlowDirection.OUTFLOW else total

    def term(self, rng: _Range, term: Term, default_mode: str) -> Decimal:
        if term.kind == TermKind.ITEM:
            return term.sign * self.item(rng, term.code)
        figures = self.account(rng, term.code)
        mode = term.mode or default_mode
        return term.sign * term_value(
            mode, figures, credit_normal=self.chart.credit_normal(term.code)
        )


def _figures_read(wanted: Iterable[tuple[StatementColumn, set[str]]], *, items: bool) -> _Figures:
    """The figures of the columns, each reading its measures (see `_Range`)."""
    chart = _Chart.read()
    ranges: list[_Range] = []
    for column, measures in wanted:
        found = next((r for r in ranges if (r.start, r.end) == (column.start, column.end)), None)
        if found is None:
            ranges.append(_Range(column.start, column.end, set(measures)))
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
    return _Figures(chart, ranges, by_code)


# ---------------------------------------------------------------------------- statements


@dataclass(frozen=True)
class StatementLine:
    spec: RowSpec
    values: tuple[Decimal | None, ...]

    @property
    def line_no(self) -> int | None:
        return self.spec.line_no

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def kind(self) -> str:
        return self.spec.kind.value

    @property
    def indent(self) -> int:
        return self.spec.indent

    @property
    def side(self) -> str:
        return self.spec.side


@dataclass(frozen=True)
class StatementRowCells:
    """A line with its figures beside the columns they belong to (what a page iterates)."""

    line: StatementLine
    cells: list[tuple[StatementColumn, Decimal | None]]


@dataclass(frozen=True)
class StatementCheck:
    """A check shown beside the statement: what should equal what, and by how much it does not.
    `status`: pass, fail, or pending (net profit not carried forward yet)."""

    key: str
    label: str
    column: str
    expected: Decimal
    actual: Decimal
    status: str
    note: str = ""

    @property
    def difference(self) -> Decimal:
        return self.expected - self.actual

    @property
    def passed(self) -> bool:
        return self.status == "pass"


@dataclass(frozen=True)
class Statement:
    kind: str
    fmt: str
    month: Month
    company: str
    columns: list[StatementColumn]
    lines: list[StatementLine]
    checks: list[StatementCheck]
    problems: list[str]
    stored: bool

    @property
    def title(self) -> str:
        return str(FinancialStatementKind(self.kind).label)

    @property
    def left(self) -> list[StatementLine]:
        return [x for x in self.lines if x.side != "right"]

    @property
    def right(self) -> list[StatementLine]:
        return [x for x in self.lines if x.side == "right"]

    def _cells(self, line: StatementLine) -> StatementRowCells:
        return StatementRowCells(line, list(zip(self.columns, line.values, strict=True)))

    @property
    def rows(self) -> list[StatementRowCells]:
        return [self._cells(x) for x in self.lines]

    @property
    def pairs(self) -> list[tuple[StatementRowCells | None, StatementRowCells | None]]:
        """The balance sheet's two sides row by row, as the official form prints them: the
        shorter side padded before its total, so that both totals close the last row."""
        sides: list[list[StatementRowCells | None]] = [
            [self._cells(x) for x in self.left],
            [self._cells(x) for x in self.right],
        ]
        height = max(len(side) for side in sides)
        for side in sides:
            if side and len(side) < height:
                side[-1:-1] = [None] * (height - len(side))
        left, right = sides
        return [
            (left[i] if i < len(left) else None, right[i] if i < len(right) else None)
            for i in range(height)
        ]

    def line(self, key: str) -> StatementLine | None:
        return _line_keyed(self.lines, key)

    @property
    def checks_pass(self) -> bool:
        return all(c.passed for c in self.checks)


MODE_MEASURES = {
    "net": {"closing"},
    "debit": {"closing"},
    "credit": {"closing"},
    "debit_detail": {"closing", "detail"},
    "credit_detail": {"closing", "detail"},
    "opening": {"opening"},
    "movement": {"moves"},
    "debit_movement": {"moves"},
    "credit_movement": {"moves"},
}


def _measures(definition: Definition, specs: Iterable[RowSpec] | None = None) -> set[str]:
    """What the rows (all by default) read of each column."""
    found: set[str] = set()
    for spec in definition.specs if specs is None else specs:
        for term in spec.terms:
            if term.kind == TermKind.ACCOUNT:
                found |= MODE_MEASURES[term.mode or definition.default_mode]
    return found


def _reads_items(definition: Definition, specs: Iterable[RowSpec] | None = None) -> bool:
    return any(
        term.kind == TermKind.ITEM
        for spec in (definition.specs if specs is None else specs)
        for term in spec.terms
    )


def _evaluate(
    definition: Definition, figures: _Figures, columns: Sequence[StatementColumn]
) -> list[StatementLine]:
    per_column = []
    for column in columns:
        rng = figures.range_of(column)

        def item_value(spec: RowSpec, rng: _Range = rng) -> Decimal | None:
            if not spec.terms:
                return None
            return sum((figures.term(rng, t, definition.default_mode) for t in spec.terms), ZERO)

        per_column.append(rows_evaluate(definition.specs, item_value))
    return [
        StatementLine(spec, tuple(values[index] for values in per_column))
        for index, spec in enumerate(definition.specs)
    ]


def statement_build(*, kind: str, fmt: str, month: Month) -> Statement:
    """A statement of a month with its checks; a constant number of queries whatever the size
    of the books."""
    company = company_get()
    definition = statement_definition(kind=kind, fmt=fmt)
    columns = statement_columns(kind=kind, fmt=fmt, month=month)
    reads = _measures(definition)
    if kind == FinancialStatementKind.CASH_FLOW:
        reads |= {"closing", "opening"}  # the change in cash the check compares
    wanted = [(column, reads) for column in columns]
    income: Definition | None = None
    if kind != FinancialStatementKind.CASH_FLOW:
        # Net profit against retained earnings: the income statement's year to date, and the
        # change of 本年利润 and 利润分配 with the profit-and-loss accounts' open balances.
        income = (
            definition
            if kind == FinancialStatementKind.INCOME
            else statement_definition(kind=FinancialStatementKind.INCOME, fmt=fmt)
        )
        wanted.append((_year_column(month), _measures(income) | {"closing", "opening", "moves"}))
    figures = _figures_read(wanted, items=_reads_items(definition))
    lines = _evaluate(definition, figures, columns)
    problems = _definition_problems(definition, figures)
    checks: list[StatementCheck] = []
    if kind == FinancialStatementKind.BALANCE_SHEET:
        checks += _balance_checks(columns, lines)
        problems += _coverage_problems(definition, figures, columns, balances=True)
    if kind == FinancialStatementKind.INCOME:
        problems += _coverage_problems(definition, figures, columns, balances=False)
    if income is not None:
        checks += _profit_checks(income, figures, month)
    if kind == FinancialStatementKind.CASH_FLOW:
        checks += _cash_checks(columns, lines, figures)
    return Statement(
        kind=kind,
        fmt=fmt,
        month=month,
        company=company.name,
        columns=columns,
        lines=lines,
        checks=checks,
        problems=problems,
        stored=definition.stored,
    )


def _line_keyed(lines: Sequence[StatementLine], key: str) -> StatementLine | None:
    return next((x for x in lines if x.spec.key == key), None)


def _year_column(month: Month) -> StatementColumn:
    return StatementColumn("year", _("Year to date"), Month(month.year, 1), month)


def _status(difference: Decimal) -> str:
    return "pass" if difference == 0 else "fail"


def _balance_checks(
    columns: Sequence[StatementColumn], lines: Sequence[StatementLine]
) -> list[StatementCheck]:
    assets = _line_keyed(lines, "total_assets")
    claims = _line_keyed(lines, "total_liabilities_equity")
    if assets is None or claims is None:
        return [
            StatementCheck(
                "balance",
                _("Total assets = total liabilities and owners' equity"),
                "",
                ZERO,
                ZERO,
                "fail",
                _("The definition lacks its total rows; restore the default."),
            )
        ]
    checks = []
    for index, column in enumerate(columns):
        left = assets.values[index] or ZERO
        right = claims.values[index] or ZERO
        checks.append(
            StatementCheck(
                "balance",
                _("Total assets = total liabilities and owners' equity"),
                column.label,
                left,
                right,
                _status(left - right),
            )
        )
    return checks


def _profit_checks(income: Definition, figures: _Figures, month: Month) -> list[StatementCheck]:
    """Net profit of the year to date against what reached retained earnings: the change of
    本年利润 and 利润分配 since January, plus what was appropriated or distributed from 利润分配
    (its debit-side sub-accounts: 提取盈余公积, 应付股利 …) less what came into it from
    elsewhere (its credit-side ones other than 未分配利润: 盈余公积补亏)."""
    label = _("Net profit = change in retained earnings after the carry-forward")
    column = _year_column(month)
    profit_line = _line_keyed(_evaluate(income, figures, [column]), "net_profit")
    roles = dict(
        AccountRoleMap.objects.filter(
            role__in=[AccountRole.CURRENT_YEAR_PROFIT, AccountRole.RETAINED_EARNINGS]
        ).values_list("role", "account_id")
    )
    chart = figures.chart
    if profit_line is None or len(roles) < 2:
        return [
            StatementCheck(
                "retained_earnings",
                label,
                column.label,
                ZERO,
                ZERO,
                "fail",
                _(
                    "Needs the net profit row and the accounts of current-year profit and "
                    "retained earnings."
                ),
            )
        ]
    net_profit = profit_line.values[0] or ZERO
    rng = figures.range_of(column)
    profit = chart.top(chart.by_id[roles[AccountRole.CURRENT_YEAR_PROFIT]])
    retained = chart.by_id[roles[AccountRole.RETAINED_EARNINGS]]
    distribution = chart.top(retained)
    carried = ZERO
    for account in {profit.code: profit, distribution.code: distribution}.values():
        figures_of = figures.account(rng, account.code)
        carried -= figures_of.closing - figures_of.opening
    for child in chart.by_id.values():
        if child.parent_id != distribution.pk or child.pk == retained.pk:
            continue
        moved = figures.account(rng, child.code)
        carried += moved.debit if child.direction == Direction.DEBIT else -moved.credit
    unclosed = -sum(
        (
            rng.own.get(a.pk, NO_FIGURES).closing
            for a in chart.by_id.values()
            if a.category == AccountCategory.PROFIT_LOSS
        ),
        ZERO,
    )
    difference = net_profit - carried
    if difference == 0:
        status, note = "pass", ""
    elif unclosed != 0 and difference == unclosed:
        status = "pending"
        note = _(
            "Profit-and-loss accounts still hold %(amount)s: the month is not carried forward "
            "to current-year profit yet."
        ) % {"amount": f"{unclosed:,.2f}"}
    else:
        status, note = "fail", ""
    return [
        StatementCheck("retained_earnings", label, column.label, net_profit, carried, status, note)
    ]


def cash_account_codes() -> list[str]:
    """The first-level cash accounts: those of the cash and bank roles, and 其他货币资金."""
    chart = _Chart.read()
    codes = {
        chart.top(chart.by_id[account_id]).code
        for account_id in AccountRoleMap.objects.filter(
            role__in=[AccountRole.CASH, AccountRole.BANK]
        ).values_list("account_id", flat=True)
    }
    if OTHER_CASH_CODE in chart.accounts:
        codes.add(OTHER_CASH_CODE)
    return sorted(codes)


def cash_account_ids() -> set[int]:
    codes = cash_account_codes()
    query = Q(pk__in=[])
    for code in codes:
        query |= Q(code=code) | Q(code__startswith=code + ".")
    return set(Account.objects.filter(query).values_list("pk", flat=True))


def _cash_checks(
    columns: Sequence[StatementColumn], lines: Sequence[StatementLine], figures: _Figures
) -> list[StatementCheck]:
    checks = []
    increase = _line_keyed(lines, "net_increase")
    codes = cash_account_codes()
    for index, column in enumerate(columns):
        rng = figures.range_of(column)
        change = sum(
            (
                figures.account(rng, code).closing - figures.account(rng, code).opening
                for code in codes
            ),
            ZERO,
        )
        shown = (increase.values[index] if increase else None) or ZERO
        checks.append(
            StatementCheck(
                "cash_change",
                _("Net increase in cash = change in the cash accounts"),
                column.label,
                change,
                shown,
                _status(change - shown),
                _("Cash lines without a cash-flow item make up the difference.")
                if change != shown
                else "",
            )
        )
    direct = _line_keyed(lines, "operating_net")
    indirect = _line_keyed(lines, "operating_net_indirect")
    if direct is not None and indirect is not None:
        for index, column in enumerate(columns):
            left, right = direct.values[index] or ZERO, indirect.values[index] or ZERO
            checks.append(
                StatementCheck(
                    "indirect",
                    _("Operating cash flow: direct method = reconciliation from net profit"),
                    column.label,
                    left,
                    right,
                    _status(left - right),
                )
            )
    return checks


def _definition_problems(definition: Definition, figures: _Figures) -> list[str]:
    problems = [row_problem_text(definition.rows, problem) for problem in definition.problems]
    for index, spec in enumerate(definition.specs):
        for term in spec.terms:
            if term.kind == TermKind.ACCOUNT and term.code not in figures.chart.accounts:
                problems.append(
                    _("Line %(line)s: there is no account %(code)s.")
                    % {"line": _line_name(definition.rows, index), "code": term.code}
                )
            if term.kind == TermKind.ITEM and figures.items and term.code not in figures.items:
                problems.append(
                    _("Line %(line)s: there is no cash-flow item %(code)s.")
                    % {"line": _line_name(definition.rows, index), "code": term.code}
                )
    return problems


def _coverage_problems(
    definition: Definition,
    figures: _Figures,
    columns: Sequence[StatementColumn],
    *,
    balances: bool,
) -> list[str]:
    """Accounts with a balance (balance sheet) or movements (income statement) that no row
    takes in: the statement would not add up to the books."""
    codes = [
        t.code
        for spec in definition.specs
        if spec.kind == RowKind.ITEM
        for t in spec.terms
        if t.kind == TermKind.ACCOUNT
    ]
    missing: set[str] = set()
    for column in columns:
        rng = figures.range_of(column)
        for account_id, own in rng.own.items():
            account = figures.chart.by_id.get(account_id)
            if account is None:
                continue
            if not balances and account.category != AccountCategory.PROFIT_LOSS:
                continue
            moved = own.closing if balances else own.debit - own.credit
            if moved and not any(code_covers(code, account.code) for code in codes):
                missing.add(f"{account.code} {account.name}")
    if not missing:
        return []
    return [
        _("No row takes in %(accounts)s: the statement leaves them out.")
        % {"accounts": ", ".join(sorted(missing))}
    ]


def _line_name(rows: Sequence[RowInput], index: int) -> str:
    row = rows[index]
    return str(row.line_no) if row.line_no is not None else row.label


PROBLEM_TEXTS = {
    "label_missing": gettext_lazy("a label is needed"),
    "kind_unknown": gettext_lazy("unknown kind %(detail)s"),
    "line_duplicate": gettext_lazy("line number %(detail)s is used twice"),
    "line_missing": gettext_lazy("items and subtotals need a line number"),
    "syntax": gettext_lazy("the formula does not read at “%(detail)s”"),
    "sign": gettext_lazy("terms are joined by + or -, before “%(detail)s”"),
    "mode": gettext_lazy("unknown mode “%(detail)s”"),
    "length": gettext_lazy("the formula has too many terms"),
    "heading_formula": gettext_lazy("a heading has no formula"),
    "subtotal_terms": gettext_lazy("a subtotal sums lines (L1 + L2), not %(detail)s"),
    "item_lines": gettext_lazy(
        "an item names accounts or cash-flow items, not the line %(detail)s"
    ),
    "items_not_here": gettext_lazy(
        "cash-flow items (%(detail)s) belong in the cash-flow statement"
    ),
    "line_unknown": gettext_lazy("there is no line %(detail)s"),
    "line_heading": gettext_lazy("%(detail)s is a heading, which has no figure"),
    "cycle": gettext_lazy("the subtotal depends on itself"),
}


def row_problem_message(problem: RowProblem) -> str:
    return str(PROBLEM_TEXTS.get(problem.problem, problem.problem)) % {"detail": problem.detail}


def row_problem_text(rows: Sequence[RowInput], problem: RowProblem) -> str:
    return _("Line %(line)s: %(problem)s.") % {
        "line": _line_name(rows, problem.index),
        "problem": row_problem_message(problem),
    }


# ---------------------------------------------------------------------------- drill-down


MODE_LABELS = {
    "net": gettext_lazy("balance"),
    "opening": gettext_lazy("opening balance"),
    "debit": gettext_lazy("debit balance"),
    "credit": gettext_lazy("credit balance"),
    "debit_detail": gettext_lazy("debit balances per customer"),
    "credit_detail": gettext_lazy("credit balances per customer"),
    "movement": gettext_lazy("movements"),
    "debit_movement": gettext_lazy("debit movements"),
    "credit_movement": gettext_lazy("credit movements"),
}


@dataclass(frozen=True)
class DrillRow:
    """One contribution to a figure: an account (with the term's mode), a cash-flow item, or
    another line; the amounts sum to the figure."""

    term: str
    mode: str
    amount: Decimal
    account: Account | None = None
    item: CashFlowItem | None = None
    line_no: int | None = None
    label: str = ""

    @property
    def mode_label(self) -> str:
        return str(MODE_LABELS.get(self.mode, self.mode))

    @property
    def reads_balance(self) -> bool:
        return self.mode in {"net", "opening", "debit", "credit"}

    @property
    def per_customer(self) -> bool:
        return self.mode in DETAIL_MODES


@dataclass(frozen=True)
class StatementDrilldown:
    statement: Statement
    line: StatementLine
    column: StatementColumn
    column_index: int
    rows: list[DrillRow]
    item_codes: list[str]

    @property
    def figure(self) -> Decimal | None:
        return self.line.values[self.column_index]

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.rows), ZERO)

    @property
    def is_movement(self) -> bool:
        return self.statement.kind != FinancialStatementKind.BALANCE_SHEET


def statement_drilldown(
    *, kind: str, fmt: str, month: Month, line_no: int, column_key: str
) -> StatementDrilldown:
    """What makes up one figure: per account below each term (per account term when its mode
    does not add up, as a side's balance does not), per cash-flow item, or per line of a
    subtotal. 404-like ValidationFailed for a line or column the statement does not have."""
    statement = statement_build(kind=kind, fmt=fmt, month=month)
    line = next((x for x in statement.lines if x.line_no == line_no), None)
    if line is None:
        raise ValidationFailed(
            fields={"line": [_("The statement has no line %(line)s.") % {"line": line_no}]}
        )
    index = next((i for i, c in enumerate(statement.columns) if c.key == column_key), None)
    if index is None:
        raise ValidationFailed(fields={"column": [_("The statement has no such column.")]})
    column = statement.columns[index]
    definition = statement_definition(kind=kind, fmt=fmt)
    default_mode = definition.default_mode
    rows: list[DrillRow] = []
    item_codes: list[str] = []
    spec = line.spec
    if spec.kind == RowKind.SUBTOTAL:
        by_line = {x.line_no: x for x in statement.lines if x.line_no is not None}
        for term in spec.terms:
            target = by_line.get(int(term.code))
            if target is None:
                continue
            rows.append(
                DrillRow(
                    term.text,
                    "",
                    term.sign * (target.values[index] or ZERO),
                    line_no=target.line_no,
                    label=target.label,
                )
            )
    elif spec.kind == RowKind.ITEM and spec.terms:
        figures = _figures_read(
            [(column, _measures(definition, [spec]))], items=_reads_items(definition, [spec])
        )
        rng = figures.range_of(column)
        for term in spec.terms:
            if term.kind == TermKind.ITEM:
                rows += _item_rows(figures, rng, term)
                item_codes += [code for code in figures.items if code_covers(term.code, code)]
            else:
                rows += _account_rows(figures, rng, term, term.mode or default_mode)
    return StatementDrilldown(statement, line, column, index, rows, item_codes)


def _account_rows(figures: _Figures, rng: _Range, term: Term, mode: str) -> list[DrillRow]:
    chart = figures.chart
    top = chart.accounts.get(term.code)
    if top is None:
        return []
    credit_normal = top.direction == Direction.CREDIT
    if mode not in ADDITIVE_MODES:
        value = term.sign * term_value(
            mode, figures.account(rng, top.code), credit_normal=credit_normal
        )
        return [DrillRow(term.text, mode, value, account=top)] if value else []
    rows = []
    for account_id, own in sorted(
        rng.own.items(), key=lambda x: chart.by_id[x[0]].code if x[0] in chart.by_id else ""
    ):
        account = chart.by_id.get(account_id)
        if account is None or not code_covers(top.code, account.code):
            continue
        value = term.sign * term_value(mode, own, credit_normal=credit_normal)
        if value:
            rows.append(DrillRow(term.text, mode, value, account=account))
    return rows


def _item_rows(figures: _Figures, rng: _Range, term: Term) -> list[DrillRow]:
    rows = []
    outflow = (
        figures.items.get(term.code) is not None
        and figures.items[term.code].direction == CashFlowDirection.OUTFLOW
    )
    for code in sorted(rng.items):
        if not code_covers(term.code, code):
            continue
        amount = rng.items[code]
        value = term.sign * (-amount if outflow else amount)
        if value:
            rows.append(DrillRow(term.text, "", value, item=figures.items.get(code)))
    return rows


def statement_item_lines(
    *, item_codes: Sequence[str], column: StatementColumn
) -> QuerySet[VoucherLine]:
    """The tagged cash lines behind cash-flow items within a column, in date order."""
    periods = [
        pk
        for pk, year, month in Period.objects.values_list("id", "year", "month")
        if column.start <= Month(year, month) <= column.end
    ]
    return (
        VoucherLine.objects.filter(
            cash_flow_tag__item__code__in=list(item_codes), cash_flow_tag__period_id__in=periods
        )
        .select_related("voucher__period", "account", "cash_flow_tag__item")
        .order_by("voucher__date", "voucher_id", "line_no")
    )


# ---------------------------------------------------------------------------- cash-flow tags


def cash_flow_items(*, active_only: bool = False) -> list[CashFlowItem]:
    items = CashFlowItem.objects.order_by("code")
    if active_only:
        items = items.filter(is_active=True)
    return list(items)


def cash_flow_item_by_code(*, code: str) -> CashFlowItem | None:
    return CashFlowItem.objects.filter(code=code.strip().upper()).first() if code else None


@dataclass(frozen=True)
class MappingRow:
    account: Account
    inflow: CashFlowItem | None
    outflow: CashFlowItem | None


def cash_flow_mapping() -> tuple[list[MappingRow], bool]:
    """Counter-account → items, by code, and whether they are stored (else the shipped
    defaults for this chart's standard)."""
    stored = list(
        CashFlowMapping.objects.select_related("account", "inflow_item", "outflow_item").order_by(
            "account__code"
        )
    )
    if stored:
        return [MappingRow(m.account, m.inflow_item, m.outflow_item) for m in stored], True
    return cash_flow_mapping_defaults(), False


def cash_flow_mapping_defaults() -> list[MappingRow]:
    accounts = {a.code: a for a in Account.objects.all()}
    items = {i.code: i for i in CashFlowItem.objects.all()}
    rows = []
    for code, (inflow, outflow) in sorted(
        statement_templates.MAPPINGS[company_get().standard].items()
    ):
        if code in accounts:
            rows.append(MappingRow(accounts[code], items.get(inflow), items.get(outflow)))
    return rows


def cash_flow_lines(
    *, period_from: Period, period_to: Period, untagged_only: bool = True
) -> QuerySet[VoucherLine]:
    """Posted lines on cash accounts within the periods, with their tags; by default those
    without an item. Transfers between cash accounts (every line on cash) need none and are
    left out."""
    cash = cash_account_ids()
    periods = [
        pk
        for pk, year, month in Period.objects.values_list("id", "year", "month")
        if (period_from.year, period_from.month)
        <= (year, month)
        <= (period_to.year, period_to.month)
    ]
    lines = (
        VoucherLine.objects.filter(
            account_id__in=cash,
            voucher__status=VoucherStatus.POSTED,
            voucher__period_id__in=periods,
        )
        .filter(
            Exists(
                VoucherLine.objects.filter(voucher_id=OuterRef("voucher_id")).exclude(
                    account_id__in=cash
                )
            )
        )
        .select_related("voucher__period", "account", "cash_flow_tag__item")
        .order_by("voucher__date", "voucher_id", "line_no")
    )
    if untagged_only:
        lines = lines.filter(cash_flow_tag__isnull=True)
    return lines


def counter_accounts(*, lines: Sequence[VoucherLine]) -> Mapping[int, str]:
    """Each line's counter-accounts as text (the voucher's non-cash lines), for the tagging
    page: one query for the page."""
    cash = cash_account_ids()
    found: dict[int, list[str]] = defaultdict(list)
    for voucher_id, code, name in (
        VoucherLine.objects.filter(voucher_id__in={x.voucher_id for x in lines})
        .exclude(account_id__in=cash)
        .order_by("voucher_id", "line_no")
        .values_list("voucher_id", "account__code", "account__name")
    ):
        text = f"{code} {name}"
        if text not in found[voucher_id]:
            found[voucher_id].append(text)
    return {line.pk: "; ".join(found.get(line.voucher_id, [])) for line in lines}
