"""`suanpan ledger statement`: a financial statement of a month on the terminal, or as xlsx or
PDF, and `suanpan ledger statement-definitions --restore`, the loader of the standard's rows.

Exit status as for every `ledger` command: 0 done; 1 a check of the statement fails (the
balance sheet does not balance …) or the ledger refuses; 2 the command cannot run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, OutputWrapper
from django.utils.translation import gettext as _

from suanpan.core.errors import DomainError, PermissionDeniedError
from suanpan.core.templatetags.money import amount_text
from suanpan.ledger import selectors, services
from suanpan.ledger.choices import FinancialStatementKind, StatementFormat
from suanpan.ledger.services.statement_files import statement_pdf, statement_xlsx
from suanpan.users.models import User

EXIT_FAILED = 1
EXIT_UNUSABLE = 2
VIEW = "ledger.view_ledger_reports"


def statement_parsers_add(actions: Any, add_as: Any) -> None:
    statement = actions.add_parser(
        "statement",
        help="a financial statement of a month: the table and its checks, or xlsx or PDF",
    )
    statement.add_argument("--kind", required=True, choices=FinancialStatementKind.values)
    statement.add_argument("--period", required=True, metavar="YYYY-MM")
    statement.add_argument(
        "--format",
        dest="statement_format",
        choices=StatementFormat.values,
        help="cas (一般企业) or asbe_se (小企业); the company's standard by default",
    )
    files = statement.add_mutually_exclusive_group()
    files.add_argument("--xlsx", metavar="FILE", help="write the statement as xlsx")
    files.add_argument("--pdf", metavar="FILE", help="write the statement as PDF")
    add_as(statement)

    definitions = actions.add_parser(
        "statement-definitions",
        help="store the standard's default rows of the statements (all, or one kind/format)",
    )
    definitions.add_argument("--restore", action="store_true", required=True)
    definitions.add_argument("--kind", choices=FinancialStatementKind.values)
    definitions.add_argument("--format", dest="statement_format", choices=StatementFormat.values)
    add_as(definitions)


def _unusable(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_UNUSABLE)


def _write(path: Path, body: bytes) -> None:
    """Beside the target first, then over it: a failure leaves no half-written file."""
    if not path.parent.is_dir():
        raise _unusable(_("No such folder: %(path)s") % {"path": path.parent})
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.replace(temp_name, path)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)


def statement_print(options: dict[str, Any], actor: User, stdout: OutputWrapper) -> None:
    if not actor.has_perm(VIEW):
        raise _unusable(
            _("%(user)s may not do this (needs the permission %(perm)s).")
            % {"user": actor.username, "perm": VIEW}
        )
    try:
        month = selectors.statement_month(options["period"])
        fmt = options["statement_format"] or selectors.statement_format_default()
        statement = selectors.statement_build(kind=options["kind"], fmt=fmt, month=month)
    except DomainError as exc:
        details = [m for msgs in exc.fields.values() for m in msgs]
        raise _unusable(" ".join(details) or exc.message) from exc
    if options["xlsx"] or options["pdf"]:
        path = Path(options["xlsx"] or options["pdf"])
        _write(path, statement_xlsx(statement) if options["xlsx"] else statement_pdf(statement))
        stdout.write(_("Wrote %(path)s.") % {"path": path} + "\n")
    else:
        stdout.write(_table(statement))
    for check in statement.checks:
        stdout.write(
            f"[{check.status}] {check.label}"
            + (f" ({check.column})" if check.column else "")
            + f": {amount_text(check.expected)} / {amount_text(check.actual)}"
            + (f" {check.note}" if check.note else "")
            + "\n"
        )
    for problem in statement.problems:
        stdout.write(f"! {problem}\n")
    failed = [c for c in statement.checks if c.status == "fail"]
    if failed:
        raise CommandError(
            _("%(count)s checks of the statement fail.") % {"count": len(failed)},
            returncode=EXIT_FAILED,
        )


def _table(statement: selectors.Statement) -> str:
    lines = [
        f"{statement.title} {statement.month.label} · {statement.company} · {_('Unit: yuan')}",
        "\t".join([_("Line no."), _("Item"), *[c.label for c in statement.columns]]),
    ]
    for line in statement.lines:
        amounts = [amount_text(v) if v is not None else "" for v in line.values]
        lines.append(
            "\t".join([str(line.line_no or ""), "  " * line.indent + line.label, *amounts])
        )
    return "\n".join(lines) + "\n"


def statement_definitions_restore(
    options: dict[str, Any], actor: User, stdout: OutputWrapper
) -> None:
    kinds = [options["kind"]] if options["kind"] else list(FinancialStatementKind.values)
    formats = (
        [options["statement_format"]]
        if options["statement_format"]
        else list(StatementFormat.values)
    )
    try:
        for kind in kinds:
            for fmt in formats:
                services.statement_definition_restore(actor=actor, kind=kind, fmt=fmt)
                stdout.write(
                    _("Restored the standard's rows of %(kind)s (%(format)s).")
                    % {
                        "kind": FinancialStatementKind(kind).label,
                        "format": StatementFormat(fmt).label,
                    }
                    + "\n"
                )
    except PermissionDeniedError as exc:
        raise _unusable(exc.message) from exc
    except DomainError as exc:
        raise CommandError(exc.message, returncode=EXIT_FAILED) from exc
