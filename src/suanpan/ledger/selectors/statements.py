"""Financial statements built: the lines of a statement with their figures and the checks shown
beside them. The definitions, the figures read, the drill-down and the cash-flow tags have
their own modules (statement_definitions, statement_figures, statement_drilldown,
statement_cash_flow).

Balances and movements come from `PeriodTotal` (one row per account, customer and month), never
from voucher lines: a statement over millions of lines reads the totals in one query. Two small
reads of lines remain: the carry-forward vouchers (so that the income statement shows what was
earned, not what was moved to 本年利润) and, for the cash-flow statement, the tags, which carry
their month and amount so that one index serves them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from suanpan.ledger.calculations import ZERO
from suanpan.ledger.calculations.statements import (
    NO_FIGURES,
    RowKind,
    RowSpec,
    TermKind,
    code_covers,
    rows_evaluate,
)
from suanpan.ledger.choices import (
    AccountCategory,
    AccountRole,
    Direction,
    FinancialStatementKind,
)
from suanpan.ledger.models import (
    AccountRoleMap,
)
from suanpan.ledger.selectors.company import company_get
from suanpan.ledger.selectors.statement_cash_flow import cash_account_codes
from suanpan.ledger.selectors.statement_definitions import (
    Definition,
    Month,
    StatementColumn,
    row_line_name,
    row_problem_text,
    statement_columns,
    statement_definition,
)
from suanpan.ledger.selectors.statement_figures import FigureRange, Figures, figures_read

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


def measures_of(definition: Definition, specs: Iterable[RowSpec] | None = None) -> set[str]:
    """What the rows (all by default) read of each column."""
    found: set[str] = set()
    for spec in definition.specs if specs is None else specs:
        for term in spec.terms:
            if term.kind == TermKind.ACCOUNT:
                found |= MODE_MEASURES[term.mode or definition.default_mode]
    return found


def reads_items(definition: Definition, specs: Iterable[RowSpec] | None = None) -> bool:
    return any(
        term.kind == TermKind.ITEM
        for spec in (definition.specs if specs is None else specs)
        for term in spec.terms
    )


def _evaluate(
    definition: Definition, figures: Figures, columns: Sequence[StatementColumn]
) -> list[StatementLine]:
    per_column = []
    for column in columns:
        rng = figures.range_of(column)

        def item_value(spec: RowSpec, rng: FigureRange = rng) -> Decimal | None:
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
    reads = measures_of(definition)
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
        wanted.append((_year_column(month), measures_of(income) | {"closing", "opening", "moves"}))
    figures = figures_read(wanted, items=reads_items(definition))
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


def _profit_checks(income: Definition, figures: Figures, month: Month) -> list[StatementCheck]:
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


def _cash_checks(
    columns: Sequence[StatementColumn], lines: Sequence[StatementLine], figures: Figures
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


def _definition_problems(definition: Definition, figures: Figures) -> list[str]:
    problems = [row_problem_text(definition.rows, problem) for problem in definition.problems]
    for index, spec in enumerate(definition.specs):
        for term in spec.terms:
            if term.kind == TermKind.ACCOUNT and term.code not in figures.chart.accounts:
                problems.append(
                    _("Line %(line)s: there is no account %(code)s.")
                    % {"line": row_line_name(definition.rows, index), "code": term.code}
                )
            if term.kind == TermKind.ITEM and figures.items and term.code not in figures.items:
                problems.append(
                    _("Line %(line)s: there is no cash-flow item %(code)s.")
                    % {"line": row_line_name(definition.rows, index), "code": term.code}
                )
    return problems


def _coverage_problems(
    definition: Definition,
    figures: Figures,
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
