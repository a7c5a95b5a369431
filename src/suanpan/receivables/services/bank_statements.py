"""Bank statements (银行流水): importing a file into a bank account's lines, with a dry run, and
the column mapping each bank account keeps (its lines are confirmed in `bank_lines`).

An import reads the whole file first and writes nothing when a line cannot be read (all or
nothing). Lines already imported (same bank serial, or the same content) are counted as
duplicates and left out, so a file imported twice adds nothing the second time. Suggestions are
looked up for all lines at once (selectors.bank_statements.bank_line_suggestions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.locks import for_update
from suanpan.core.spreadsheet_imports import chunks
from suanpan.core.spreadsheets import MAX_ROWS, sheet_read
from suanpan.receivables.calculations.bank_layouts import (
    HEADER_SEARCH_ROWS,
    PRESETS,
    Line,
    LineError,
    Mapping,
    content_keys,
    header_find,
    mapping_from_dict,
    statement_read,
)
from suanpan.receivables.calculations.bank_matching import Suggestion
from suanpan.receivables.choices import BankLineStatus
from suanpan.receivables.errors import StatementInvalid
from suanpan.receivables.models import BankAccount, BankLine, StatementImport
from suanpan.receivables.selectors.bank_statements import bank_line_suggestions
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

BATCH = 2000
# A statement of up to MAX_ROWS lines is taken whole, with its title, header and totals rows.
STATEMENT_MAX_ROWS = MAX_ROWS + HEADER_SEARCH_ROWS + 10


def line_error_text(error: LineError) -> str:
    messages = {
        "date": _("not a date"),
        "time": _("not a time"),
        "amount": _("not an amount in yuan with at most two decimals"),
        "no_amount": _("no amount received or paid"),
        "direction": _("neither debit nor credit"),
        "balance": _("the balance is not an amount"),
    }
    return _("Row %(row)s, %(column)s: %(message)s") % {
        "row": error.row,
        "column": error.column,
        "message": messages.get(error.code, error.code),
    }


MAPPING_PROBLEMS = {
    "date": "date",
    "money": "credit",
    "money_twice": "amount",
    "rows": "header_row",
    "date_format": "date_format",
}


def mapping_checked(data: dict[str, Any]) -> Mapping:
    """A mapping as saved or sent (JSON), or StatementInvalid naming the fields that are wrong."""
    try:
        mapping = mapping_from_dict(data)
    except ValueError as exc:
        raise StatementInvalid(
            reason=_("the column mapping is malformed"),
            fields={str(exc): [_("This value has the wrong type.")]},
        ) from exc
    problems = mapping.problems()
    if problems:
        texts = {
            "date": _("Name the date column."),
            "money": _("Name the credit and debit columns, or the amount column."),
            "money_twice": _("Name either credit and debit columns or an amount column, not both."),
            "rows": _("Row counts cannot be negative."),
            "date_format": _("The date format must name the year, e.g. %Y%m%d."),
        }
        raise StatementInvalid(
            reason=_("the column mapping is incomplete"),
            fields={MAPPING_PROBLEMS[p]: [texts[p]] for p in problems},
        )
    return mapping


@dataclass
class StatementReport:
    """What an import found (dry run) or did (commit)."""

    file_name: str
    preset: str
    header_row: int
    mapping: dict[str, Any]
    row_count: int = 0
    incoming: int = 0
    outgoing: int = 0
    duplicates: int = 0
    added: int = 0
    suggested: int = 0
    footer_rows: int = 0
    errors: list[str] = field(default_factory=list)
    committed: bool = False
    import_id: int | None = None
    amount_received: Decimal = Decimal(0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file_name": self.file_name,
            "preset": self.preset,
            "header_row": self.header_row,
            "mapping": self.mapping,
            "row_count": self.row_count,
            "incoming": self.incoming,
            "outgoing": self.outgoing,
            "duplicates": self.duplicates,
            "added": self.added,
            "suggested": self.suggested,
            "footer_rows": self.footer_rows,
            "errors": self.errors,
            "committed": self.committed,
            "import_id": self.import_id,
            "amount_received": self.amount_received,
        }


def _mapping_for(bank_account: BankAccount, mapping: Mapping | None, preset: str) -> Mapping | None:
    """The mapping asked for, else the preset named, else the account's saved mapping, else
    None: detect the layout from the headers."""
    if mapping is not None:
        return mapping
    if preset:
        if preset not in PRESETS:
            raise StatementInvalid(
                reason=_("there is no layout %(preset)s") % {"preset": preset},
                fields={"preset": [_("Choose one of %(codes)s.") % {"codes": ", ".join(PRESETS)}]},
            )
        return PRESETS[preset].mapping
    if bank_account.statement_mapping:
        return mapping_checked(bank_account.statement_mapping)
    return None


def _duplicates(
    bank_account: BankAccount, lines: Sequence[Line], keys: Sequence[str]
) -> list[bool]:
    """Which lines the account has already, or an earlier line of the file repeats (by serial;
    equal lines without a serial are told apart by their key)."""
    serials = {line.serial for line in lines if line.serial}
    hashes = [key for line, key in zip(lines, keys, strict=True) if not line.serial]
    known: set[tuple[Any, ...]] = set()
    known_hashes: set[str] = set()
    existing = BankLine.objects.filter(bank_account=bank_account)
    for chunk in chunks(sorted(serials)):
        known.update(
            (booked_on, amount, serial)
            for booked_on, amount, serial in existing.filter(serial__in=chunk).values_list(
                "booked_on", "amount", "serial"
            )
        )
    for chunk in chunks(hashes):
        known_hashes.update(
            existing.filter(serial="", content_hash__in=chunk).values_list(
                "content_hash", flat=True
            )
        )
    result = []
    for line, key in zip(lines, keys, strict=True):
        if line.serial:
            identity = (line.booked_on, line.amount, line.serial)
            result.append(identity in known)
            known.add(identity)
        else:
            result.append(key in known_hashes)
    return result


def _line_row(
    bank_account: BankAccount,
    statement: StatementImport,
    line: Line,
    key: str,
    suggestion: Suggestion | None,
) -> BankLine:
    return BankLine(
        bank_account=bank_account,
        statement_import=statement,
        row_number=line.row,
        booked_on=line.booked_on,
        booked_at=line.booked_at,
        amount=line.amount,
        balance=line.balance,
        counterparty_name=line.counterparty_name[:200],
        counterparty_account=line.counterparty_account[:40],
        counterparty_bank=line.counterparty_bank[:200],
        summary=line.summary[:500],
        serial=line.serial[:100],
        content_hash=key,
        status=BankLineStatus.UNMATCHED if line.incoming else BankLineStatus.OUTGOING,
        suggested_customer_id=suggestion.customer_id if suggestion else None,
        suggestion_reason=suggestion.reason if suggestion else "",
        suggestion_detail=suggestion.detail if suggestion else "",
        suggested_allocations=[[item, f"{amount:.2f}"] for item, amount in suggestion.allocations]
        if suggestion
        else [],
    )


def statement_import(
    *,
    bank_account: BankAccount,
    data: bytes,
    filename: str,
    actor: User,
    mapping: Mapping | None = None,
    preset: str = "",
    commit: bool = False,
    encoding: str | None = None,
) -> StatementReport:
    """Read a statement file (xlsx or csv) of `bank_account` and report what it holds; with
    `commit`, add its new lines (with their suggestions) and record the import, or add nothing
    when any line cannot be read. The mapping used is kept as the account's when it has none."""
    permission_require(actor, "receivables.add_statementimport")
    bank_account.refresh_from_db(fields=["is_active", "statement_mapping"])
    if not bank_account.is_active:
        raise StatementInvalid(reason=_("the bank account is no longer in use"))
    chosen = _mapping_for(bank_account, mapping, preset)
    sheet = sheet_read(
        data, filename=filename, encoding=encoding, titled=True, max_rows=STATEMENT_MAX_ROWS
    )
    numbered = [(sheet.header_row, tuple(sheet.header))] + [
        (row.number, row.cells) for row in sheet.rows
    ]
    found = header_find([cells for _number, cells in numbered], chosen)
    if found is None:
        expected = chosen.headers() if chosen else [p.code for p in PRESETS.values()]
        raise StatementInvalid(
            reason=_(
                "no header row with the columns %(columns)s was found in the first rows; "
                "choose the bank's layout or save the account's column mapping"
            )
            % {"columns": "、".join(expected)}
        )
    index, used, code = found
    reading = statement_read(numbered, index, used)
    report = StatementReport(
        file_name=filename[:200],
        preset=code or (preset if mapping is None else ""),
        header_row=reading.header_row,
        mapping=used.as_dict(),
        row_count=len(reading.lines) + len({e.row for e in reading.errors}),
        footer_rows=reading.footer_rows,
        errors=[line_error_text(e) for e in reading.errors],
    )
    if report.errors:
        if commit:
            raise StatementInvalid(
                reason=_("%(count)s rows cannot be read; nothing was imported")
                % {"count": len({e.row for e in reading.errors})},
                fields={"file": report.errors[:50]},
            )
        return report
    if not commit:
        _new_lines(report, bank_account, reading.lines, actor=actor)
        return report
    return _commit(report, bank_account, reading.lines, actor=actor)


def _new_lines(
    report: StatementReport, bank_account: BankAccount, lines: Sequence[Line], *, actor: User
) -> list[tuple[Line, str, Suggestion | None]]:
    """The lines the account does not have yet, with their key and suggestion; the report
    counts them."""
    keys = content_keys(lines, bank_account.account_number)
    repeated = _duplicates(bank_account, lines, keys)
    new = [(line, key) for line, key, seen in zip(lines, keys, repeated, strict=True) if not seen]
    suggestions = bank_line_suggestions(user=actor, lines=[line for line, _key in new])
    report.duplicates = sum(repeated)
    report.incoming = sum(1 for line, _key in new if line.incoming)
    report.outgoing = sum(1 for line, _key in new if not line.incoming)
    report.amount_received = sum((line.amount for line, _key in new if line.incoming), Decimal(0))
    report.suggested = sum(1 for s in suggestions if s is not None)
    return [(line, key, s) for (line, key), s in zip(new, suggestions, strict=True)]


@audited
@transaction.atomic
def _commit(
    report: StatementReport, bank_account: BankAccount, lines: Sequence[Line], *, actor: User
) -> StatementReport:
    # Two imports into one account queue here, so the second sees the first's lines.
    bank_account = for_update(BankAccount.objects.all()).get(pk=bank_account.pk)
    new = _new_lines(report, bank_account, lines, actor=actor)
    statement = StatementImport.objects.create(
        bank_account=bank_account,
        file_name=report.file_name,
        preset=report.preset,
        mapping=report.mapping,
        row_count=report.row_count,
        added_count=len(new),
        duplicate_count=report.duplicates,
        outgoing_count=report.outgoing,
        suggested_count=report.suggested,
        created_by=actor,
    )
    BankLine.objects.bulk_create(
        (_line_row(bank_account, statement, line, key, s) for line, key, s in new),
        batch_size=BATCH,
    )
    if not bank_account.statement_mapping:
        bank_account.statement_mapping = report.mapping
        bank_account.save(update_fields=["statement_mapping"])
    report.added = len(new)
    report.committed = True
    report.import_id = statement.pk
    return report


@audited
@transaction.atomic
def bank_account_mapping_save(
    *, bank_account: BankAccount, mapping: dict[str, Any], actor: User
) -> BankAccount:
    """Keep how this account's statement files are read; an empty mapping forgets it (files
    are then read by the layout their headers match)."""
    permission_require(actor, "receivables.add_statementimport")
    saved = mapping_checked(mapping).as_dict() if mapping else {}
    bank_account = for_update(BankAccount.objects.all()).get(pk=bank_account.pk)
    bank_account.statement_mapping = saved
    bank_account.save(update_fields=["statement_mapping"])
    return bank_account


SAMPLE_ROWS = 15
SAMPLE_LINES = 10


@dataclass
class StatementSample:
    """The first rows of a sample file as they stand (row number and cells), and, when the
    mapping finds its header among them, the first lines as the mapping reads them (or why a
    row cannot be read). `found` is False when the mapping's columns are not in the file."""

    rows: list[tuple[int, tuple[str, ...]]]
    found: bool = False
    header_row: int = 0
    lines: list[Line] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def statement_sample(
    *, data: bytes, filename: str, mapping: dict[str, Any], actor: User, encoding: str | None = None
) -> StatementSample:
    """Read a sample statement with a mapping being edited, writing nothing: what the mapping
    page previews before the mapping is saved. StatementInvalid when the mapping is incomplete
    or the file cannot be read."""
    permission_require(actor, "receivables.add_statementimport")
    checked = mapping_checked(mapping)
    sheet = sheet_read(
        data, filename=filename, encoding=encoding, titled=True, max_rows=STATEMENT_MAX_ROWS
    )
    numbered = [(sheet.header_row, tuple(sheet.header))] + [
        (row.number, row.cells) for row in sheet.rows
    ]
    sample = StatementSample(rows=numbered[:SAMPLE_ROWS])
    found = header_find([cells for _number, cells in numbered], checked)
    if found is None:
        return sample
    index, used, _code = found
    reading = statement_read(numbered, index, used)
    sample.found = True
    sample.header_row = reading.header_row
    sample.lines = reading.lines[:SAMPLE_LINES]
    sample.errors = [line_error_text(e) for e in reading.errors[:SAMPLE_LINES]]
    return sample
