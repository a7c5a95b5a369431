"""What makes up a statement's figure: the accounts or cash-flow items behind it, and their lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core.errors import ValidationFailed
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.calculations.statements import (
    ADDITIVE_MODES,
    DETAIL_MODES,
    RowKind,
    Term,
    TermKind,
    code_covers,
    term_value,
)
from suanpan.ledger.choices import (
    CashFlowDirection,
    Direction,
    FinancialStatementKind,
)
from suanpan.ledger.models import (
    Account,
    CashFlowItem,
    Period,
    VoucherLine,
)
from suanpan.ledger.selectors.statement_definitions import (
    Month,
    StatementColumn,
    statement_definition,
)
from suanpan.ledger.selectors.statement_figures import FigureRange, Figures, figures_read
from suanpan.ledger.selectors.statements import (
    Statement,
    StatementLine,
    measures_of,
    reads_items,
    statement_build,
)

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
        figures = figures_read(
            [(column, measures_of(definition, [spec]))], items=reads_items(definition, [spec])
        )
        rng = figures.range_of(column)
        for term in spec.terms:
            if term.kind == TermKind.ITEM:
                rows += _item_rows(figures, rng, term)
                item_codes += [code for code in figures.items if code_covers(term.code, code)]
            else:
                rows += _account_rows(figures, rng, term, term.mode or default_mode)
    return StatementDrilldown(statement, line, column, index, rows, item_codes)


def _account_rows(figures: Figures, rng: FigureRange, term: Term, mode: str) -> list[DrillRow]:
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


def _item_rows(figures: Figures, rng: FigureRange, term: Term) -> list[DrillRow]:
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
