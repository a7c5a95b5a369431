"""/api/v1/ledger/statements: the financial statements as JSON rows (every column of the official
format), as xlsx and PDF, the figures behind a line; their definitions (the cash-flow items of
cash lines are in `cash_flow`). Months are named 2026-11 (or 202611); formats `cas` (一般企业)
and `asbe_se` (小企业), by default the company's standard."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from suanpan.core.errors import ValidationFailed
from suanpan.core.limits import query_field
from suanpan.ledger import selectors, services
from suanpan.ledger.calculations.statements import RowInput
from suanpan.ledger.choices import (
    FinancialStatementKind,
    StatementFormat,
    StatementRowKind,
    StatementSide,
)
from suanpan.ledger.services.statement_files import statement_pdf, statement_xlsx
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["ledger statements"])

VIEW = "ledger.view_ledger_reports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------- schemas


class StatementQuery(Schema):
    period: str | None = query_field(description="Month, e.g. 2026-11; the latest by default")
    format: StatementFormat | None = Field(
        None, description="cas (一般企业) or asbe_se (小企业); the company's standard by default"
    )


class StatementDrillQuery(StatementQuery):
    line: int = Field(ge=1, le=9999, description="The line number (行次)")
    column: str = Field(max_length=20, description="A column key of the statement")


class StatementColumnOut(Schema):
    key: str
    label: str
    start: str = Field(description="First month of the column's movements")
    end: str = Field(description="Month whose end the balances are read at")


class StatementRowOut(Schema):
    line_no: int | None
    label: str
    kind: StatementRowKind
    indent: int
    side: StatementSide
    key: str = Field(description="The part the row plays in the checks, e.g. total_assets")
    amounts: dict[str, Decimal | None] = Field(description="By column key; null: no figure")


class StatementCheckOut(Schema):
    key: str
    label: str
    column: str
    expected: Decimal
    actual: Decimal
    difference: Decimal
    status: str = Field(description="pass, fail, or pending (not carried forward yet)")
    note: str


class StatementOut(Schema):
    kind: FinancialStatementKind
    format: StatementFormat
    period: str
    company: str
    columns: list[StatementColumnOut]
    rows: list[StatementRowOut]
    checks: list[StatementCheckOut]
    problems: list[str]
    standard_rows: bool = Field(description="True while the shipped default rows are used")


class StatementDrillRowOut(Schema):
    term: str
    mode: str
    amount: Decimal
    account: str | None
    account_name: str | None
    item: str | None
    line_no: int | None


class StatementDrillOut(Schema):
    line_no: int
    label: str
    column: str
    figure: Decimal | None
    total: Decimal
    rows: list[StatementDrillRowOut]


class StatementDefinitionRowIn(Schema):
    line_no: int | None = Field(None, ge=1, le=9999)
    label: str = Field(min_length=1, max_length=120)
    kind: StatementRowKind
    formula: str = Field("", max_length=1000)
    side: StatementSide = StatementSide.LEFT
    indent: int = Field(0, ge=0, le=4)
    key: str = Field("", max_length=40)


class StatementDefinitionRowOut(Schema):
    line_no: int | None
    label: str
    kind: str
    formula: str
    side: str
    indent: int
    key: str


class StatementDefinitionIn(Schema):
    rows: list[StatementDefinitionRowIn] = Field(min_length=1, max_length=200)


class StatementDefinitionOut(Schema):
    kind: FinancialStatementKind
    format: StatementFormat
    stored: bool = Field(description="False while the shipped default is used")
    rows: list[StatementDefinitionRowOut]
    problems: list[str]


class StatementFormatQuery(Schema):
    format: StatementFormat | None = None


# ---------------------------------------------------------------------------- helpers


def _month_and_format(query: StatementQuery) -> tuple[selectors.Month, str]:
    month = (
        selectors.statement_month(query.period)
        if query.period
        else selectors.statement_month_default()
    )
    return month, (query.format or selectors.statement_format_default())


def _statement(kind: FinancialStatementKind, query: StatementQuery) -> selectors.Statement:
    month, fmt = _month_and_format(query)
    return selectors.statement_build(kind=kind, fmt=fmt, month=month)


def _statement_out(statement: selectors.Statement) -> dict[str, Any]:
    return {
        "kind": statement.kind,
        "format": statement.fmt,
        "period": statement.month.label,
        "company": statement.company,
        "columns": [
            {"key": c.key, "label": c.label, "start": c.start.label, "end": c.end.label}
            for c in statement.columns
        ],
        "rows": [
            {
                "line_no": line.line_no,
                "label": line.label,
                "kind": line.kind,
                "indent": line.indent,
                "side": line.side,
                "key": line.spec.key,
                "amounts": {c.key: v for c, v in zip(statement.columns, line.values, strict=True)},
            }
            for line in statement.lines
        ],
        "checks": [
            {
                "key": c.key,
                "label": c.label,
                "column": c.column,
                "expected": c.expected,
                "actual": c.actual,
                "difference": c.difference,
                "status": c.status,
                "note": c.note,
            }
            for c in statement.checks
        ],
        "problems": statement.problems,
        "standard_rows": not statement.stored,
    }


def _definition_out(kind: str, fmt: str) -> dict[str, Any]:
    definition = selectors.statement_definition(kind=kind, fmt=fmt)
    return {
        "kind": kind,
        "format": fmt,
        "stored": definition.stored,
        "rows": [
            {
                "line_no": r.line_no,
                "label": r.label,
                "kind": r.kind,
                "formula": r.formula,
                "side": r.side,
                "indent": r.indent,
                "key": r.key,
            }
            for r in definition.rows
        ],
        "problems": [selectors.row_problem_text(definition.rows, p) for p in definition.problems],
    }


def _file(
    statement: selectors.Statement, body: bytes, suffix: str, content_type: str
) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    name = f"{statement.kind}-{statement.fmt}-{statement.month.key}.{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _binary(content_type: str, description: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


def period_param(text: str, name: str) -> Any:
    """The period a month parameter names (2026-11 or 202611), or a field error under `name`."""
    try:
        month = selectors.statement_month(text)
    except ValidationFailed as exc:
        raise ValidationFailed(fields={name: exc.fields.get("period", [exc.message])}) from exc
    period = selectors.period_by_key(month.key)
    if period is None:
        raise ValidationFailed(fields={name: [_("No period %(key)s.") % {"key": month.key}]})
    return period


# ---------------------------------------------------------------------------- statements


@router.get("/statements/{kind}", response=StatementOut, summary="A financial statement")
@api_permission(VIEW)
def statement_get(
    request: HttpRequest, kind: FinancialStatementKind, query: Query[StatementQuery]
) -> Any:
    return _statement_out(_statement(kind, query))


@router.get(
    "/statements/{kind}/xlsx",
    summary="A financial statement as xlsx, in the official layout",
    response={200: None},
    openapi_extra=_binary(XLSX, "The statement as an xlsx workbook"),
)
@api_permission(VIEW)
def statement_get_xlsx(
    request: HttpRequest, kind: FinancialStatementKind, query: Query[StatementQuery]
) -> HttpResponse:
    statement = _statement(kind, query)
    return _file(statement, statement_xlsx(statement), "xlsx", XLSX)


@router.get(
    "/statements/{kind}/pdf",
    summary="A financial statement as PDF, in the official layout",
    response={200: None},
    openapi_extra=_binary("application/pdf", "The statement as an A4 PDF"),
)
@api_permission(VIEW)
def statement_get_pdf(
    request: HttpRequest, kind: FinancialStatementKind, query: Query[StatementQuery]
) -> HttpResponse:
    statement = _statement(kind, query)
    return _file(statement, statement_pdf(statement), "pdf", "application/pdf")


@router.get(
    "/statements/{kind}/drilldown",
    response=StatementDrillOut,
    summary="What makes up a figure: accounts, cash-flow items or lines",
)
@api_permission(VIEW)
def statement_drilldown(
    request: HttpRequest, kind: FinancialStatementKind, query: Query[StatementDrillQuery]
) -> Any:
    month, fmt = _month_and_format(query)
    drill = selectors.statement_drilldown(
        kind=kind, fmt=fmt, month=month, line_no=query.line, column_key=query.column
    )
    return {
        "line_no": query.line,
        "label": drill.line.label,
        "column": drill.column.key,
        "figure": drill.figure,
        "total": drill.total,
        "rows": [
            {
                "term": r.term,
                "mode": r.mode,
                "amount": r.amount,
                "account": r.account.code if r.account else None,
                "account_name": r.account.name if r.account else None,
                "item": r.item.code if r.item else None,
                "line_no": r.line_no,
            }
            for r in drill.rows
        ],
    }


# ---------------------------------------------------------------------------- definitions


@router.get(
    "/statement-definitions/{kind}",
    response=StatementDefinitionOut,
    summary="The rows of a statement (stored, or the standard's default)",
)
@api_permission(VIEW)
def definition_get(
    request: HttpRequest, kind: FinancialStatementKind, query: Query[StatementFormatQuery]
) -> Any:
    services.company_get()
    return _definition_out(kind, query.format or selectors.statement_format_default())


@router.put(
    "/statement-definitions/{kind}",
    response=StatementDefinitionOut,
    summary="Replace the rows of a statement",
)
@api_permission("ledger.change_statementdefinition")
def definition_put(
    request: HttpRequest,
    kind: FinancialStatementKind,
    payload: StatementDefinitionIn,
    query: Query[StatementFormatQuery],
) -> Any:
    fmt = query.format or selectors.statement_format_default()
    services.statement_definition_save(
        actor=request_user(request),
        kind=kind,
        fmt=fmt,
        rows=[
            RowInput(r.line_no, r.label, r.kind, r.formula, r.key, r.side, r.indent)
            for r in payload.rows
        ],
    )
    return _definition_out(kind, fmt)


@router.post(
    "/statement-definitions/{kind}/restore",
    response=StatementDefinitionOut,
    summary="Restore the standard's default rows of a statement",
)
@api_permission("ledger.change_statementdefinition")
def definition_restore(
    request: HttpRequest, kind: FinancialStatementKind, query: Query[StatementFormatQuery]
) -> Any:
    fmt = query.format or selectors.statement_format_default()
    services.statement_definition_restore(actor=request_user(request), kind=kind, fmt=fmt)
    return _definition_out(kind, fmt)
