"""Financial statements' months, columns and definitions: the rows the accountant keeps, or the
standard's default built for the chart, and the words for a row's problems."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core.date_checks import report_date_problem
from suanpan.core.errors import ValidationFailed
from suanpan.ledger import statement_templates
from suanpan.ledger.calculations.statements import (
    RowInput,
    RowProblem,
    RowSpec,
    rows_check,
)
from suanpan.ledger.choices import (
    FinancialStatementKind,
    StatementFormat,
)
from suanpan.ledger.models import (
    Account,
    Period,
    StatementDefinition,
    StatementRow,
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


def row_line_name(rows: Sequence[RowInput], index: int) -> str:
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
        "line": row_line_name(rows, problem.index),
        "problem": row_problem_message(problem),
    }
