"""Statement definitions: the rows of each statement and format, saved whole or restored to the
standard's (the cash-flow mapping and tags are in `cash_flow`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from suanpan.core.locks import for_update
from suanpan.ledger.calculations.statements import (
    RowInput,
    TermKind,
    formula_text,
    rows_check,
)
from suanpan.ledger.choices import (
    FinancialStatementKind,
    StatementFormat,
    StatementRowKind,
    StatementSide,
)
from suanpan.ledger.errors import (
    StatementDefinitionInvalid,
)
from suanpan.ledger.models import (
    Account,
    CashFlowItem,
    StatementDefinition,
    StatementRow,
)
from suanpan.ledger.selectors import statement_definitions
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

MAX_ROWS = 200
MAX_INDENT = 4


def _kind_format_check(kind: str, fmt: str) -> None:
    errors = {}
    if kind not in FinancialStatementKind.values:
        errors["kind"] = [_("Unknown statement.")]
    if fmt not in StatementFormat.values:
        errors["format"] = [_("Unknown format.")]
    if errors:
        raise StatementDefinitionInvalid(fields=errors)


def error_add(errors: dict[str, list[str]], name: str, message: str) -> None:
    """Add `message` to the field's errors once (a file may break one rule on many rows)."""
    if message not in errors.setdefault(name, []):
        errors[name].append(message)


def _rows_validate(kind: str, rows: Sequence[RowInput]) -> list[RowInput]:
    """Every refusal named by its row and field (rows.3.formula …); the rows with their
    formulas spelt the one way."""
    errors: dict[str, list[str]] = {}
    if not rows:
        errors["rows"] = [_("A statement has at least one row.")]
    if len(rows) > MAX_ROWS:
        errors["rows"] = [_("A statement has at most %(count)s rows.") % {"count": MAX_ROWS}]
    specs, problems = rows_check(rows, items_allowed=kind == FinancialStatementKind.CASH_FLOW)
    for problem in problems:
        error_add(
            errors,
            f"rows.{problem.index}.{problem.field}",
            statement_definitions.row_problem_message(problem),
        )
    codes = set(Account.objects.values_list("code", flat=True))
    items = set(CashFlowItem.objects.values_list("code", flat=True))
    keys: set[str] = set()
    for index, (row, spec) in enumerate(zip(rows, specs, strict=True)):
        prefix = f"rows.{index}"
        if len(row.label) > 120:
            error_add(errors, f"{prefix}.label", _("At most 120 characters."))
        if row.side not in StatementSide.values:
            error_add(errors, f"{prefix}.side", _("Unknown side."))
        if not 0 <= row.indent <= MAX_INDENT:
            error_add(
                errors, f"{prefix}.indent", _("Indent from 0 to %(max)s.") % {"max": MAX_INDENT}
            )
        if row.line_no is not None and not 1 <= row.line_no <= 9999:
            error_add(errors, f"{prefix}.line_no", _("Line numbers run from 1 to 9999."))
        if row.key:
            if row.key in keys:
                error_add(errors, f"{prefix}.key", _("Two rows cannot play the same part."))
            keys.add(row.key)
        for term in spec.terms:
            if term.kind == TermKind.ACCOUNT and term.code not in codes:
                error_add(
                    errors,
                    f"{prefix}.formula",
                    _("There is no account %(code)s.") % {"code": term.code},
                )
            if term.kind == TermKind.ITEM and term.code not in items:
                error_add(
                    errors,
                    f"{prefix}.formula",
                    _("There is no cash-flow item %(code)s.") % {"code": term.code},
                )
        if len(formula_text(spec.terms)) > 1000:
            error_add(errors, f"{prefix}.formula", _("The formula is too long."))
    if errors:
        raise StatementDefinitionInvalid(fields=errors)
    return [
        RowInput(
            row.line_no,
            row.label.strip(),
            row.kind,
            formula_text(spec.terms) if row.kind != StatementRowKind.HEADING else "",
            row.key,
            row.side,
            row.indent,
        )
        for row, spec in zip(rows, specs, strict=True)
    ]


@transaction.atomic
def statement_definition_save(
    *, actor: User, kind: str, fmt: str, rows: Sequence[RowInput]
) -> StatementDefinition:
    """Replace a statement's rows, all or nothing: every account and cash-flow item named must
    exist, every formula parse, every subtotal name existing lines and none depend on itself."""
    permission_require(actor, "ledger.change_statementdefinition")
    _kind_format_check(kind, fmt)
    clean = _rows_validate(kind, rows)
    definition = for_update(StatementDefinition.objects.filter(kind=kind, format=fmt)).first()
    if definition is None:
        definition = StatementDefinition.objects.create(kind=kind, format=fmt, updated_by=actor)
    else:
        definition.updated_by = actor
        definition.save(update_fields=["updated_by", "updated_at"])
        StatementRow.objects.filter(definition=definition).delete()
    StatementRow.objects.bulk_create(
        StatementRow(
            definition=definition,
            position=position,
            line_no=row.line_no,
            key=row.key,
            label=row.label,
            kind=row.kind,
            formula=row.formula,
            side=row.side,
            indent=row.indent,
        )
        for position, row in enumerate(clean, start=1)
    )
    return definition


@transaction.atomic
def statement_definition_restore(*, actor: User, kind: str, fmt: str) -> StatementDefinition:
    """Store the standard's default rows for this chart in place of the accountant's."""
    permission_require(actor, "ledger.change_statementdefinition")
    _kind_format_check(kind, fmt)
    return statement_definition_save(
        actor=actor,
        kind=kind,
        fmt=fmt,
        rows=statement_definitions.statement_default_rows(kind=kind, fmt=fmt),
    )
