"""A statement as a spreadsheet: the same columns as its PDF, opening first and closing last,
the lines streamed from the database so a long statement holds one chunk at a time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _

from suanpan.receivables.models import Statement
from suanpan.receivables.selectors.statements import (
    CustomerStatement,
    line_document,
    statement_lines,
    statement_of,
)


def statement_sheet_header() -> list[str]:
    return [
        _("Date"),
        _("Voucher"),
        _("Document"),
        _("Description"),
        _("Debit"),
        _("Credit"),
        _("Balance"),
    ]


def _rows(report: CustomerStatement) -> Iterator[Sequence[Any]]:
    yield ("", "", "", _("Opening balance"), None, None, report.opening)
    for line in statement_lines(report):
        kind, number = line_document(line)
        yield (
            line.date,
            line.voucher_number,
            f"{kind} {number}".strip(),
            line.summary,
            line.debit_amount if line.debit_fen else None,
            line.credit_amount if line.credit_fen else None,
            line.balance,
        )
    yield ("", "", "", _("Closing balance"), report.debit, report.credit, report.closing)


def statement_sheet_rows(statement: Statement) -> Iterator[Sequence[Any]]:
    """The statement's rows as the books have them now (the header is `statement_sheet_header`)."""
    report = statement_of(
        customer=statement.customer, start=statement.start_on, end=statement.end_on
    )
    return _rows(report)
