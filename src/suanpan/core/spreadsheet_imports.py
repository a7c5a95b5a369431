"""What every spreadsheet import shares: its columns and how headers are matched, the errors
it reports per row, the report of a dry run and the error of a commit the file no longer fits.

An app's import module declares its COLUMNS, reads each row into its own candidates and keeps
its own checks; the matching of headers and words, the reports and the chunking are here.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core.errors import ValidationFailed
from suanpan.core.spreadsheets import Sheet, SpreadsheetInvalid

CHUNK = 500  # rows per query when checking a file against the database


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header the export writes
    aliases: tuple[str, ...]
    description: Promise
    part: str = ""  # which part of a row it fills, where a row fills several (customer, contact)


def word_norm(text: str) -> str:
    """Compare headers and words loosely: width, case, spaces, marks and separators."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "*_-:：")


def header_index(columns: Iterable[Column]) -> dict[str, str]:
    """Every spelling of every column's header (loosely compared) → the column's key."""
    return {
        word_norm(alias): column.key
        for column in columns
        for alias in (column.header, column.key, *column.aliases)
    }


def header_map(
    sheet: Sheet, *, index: dict[str, str], required: str, missing: Promise, missing_header: str
) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Where each known column stands, its header as written, and the unknown headers.

    Two headers meaning the same column, or no `required` column, make the file unusable
    (`missing` names the required column's header as `column`)."""
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for position, text in enumerate(sheet.header):
        if not text:
            continue
        key = index.get(word_norm(text))
        if key is None:
            ignored.append(text)
            continue
        if key in positions:
            raise SpreadsheetInvalid(
                gettext_lazy("The columns “%(first)s” and “%(second)s” mean the same; keep one."),
                first=headers[key],
                second=text,
            )
        positions[key] = position
        headers[key] = text
    if required not in positions:
        raise SpreadsheetInvalid(missing, row=sheet.header_row, column=missing_header)
    return positions, headers, ignored


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def cell_date(text: str) -> datetime.date:
    """A date as a person writes it in a Chinese spreadsheet: 2024-03-01, 2024/3/1, 2024.3.1,
    2024年3月1日 (an xlsx date cell reads as the first). ValueError when it is none of these."""
    text = unicodedata.normalize("NFKC", text).strip()
    match = _DATE.match(text.split(" ", 1)[0] if " " in text and ":" in text else text)
    if match is None:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    return datetime.date(year, month, day)


def cell_money(text: str) -> Decimal:
    """An amount as a person writes it: ¥1,234.50 → Decimal("1234.50"). ValueError for text
    that is no number; the caller checks sign and places."""
    for mark in ("¥", "￥", "元", ",", "，", " "):
        text = text.replace(mark, "")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not amount.is_finite():
        raise ValueError(text)
    return amount


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


# What an import does with each of its rows (a candidate's `action`): the same three words in
# every import that creates and updates records.
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class ImportReport:
    """A dry run's result: the candidates to save, or the errors that stop the import."""

    filename: str
    format: str
    row_count: int = 0
    candidates: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        """How many candidates the import would `action` (CREATE, UPDATE or UNCHANGED)."""
        return sum(1 for c in self.candidates if c.action == action)

    @property
    def create_count(self) -> int:
        return self.count(CREATE)

    @property
    def update_count(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged_count(self) -> int:
        return self.count(UNCHANGED)

    def counts(self) -> dict[str, int]:
        """The figures a summary words: rows, created, updated, unchanged, errors."""
        return {
            "rows": self.row_count,
            "created": self.create_count,
            "updated": self.update_count,
            "unchanged": self.unchanged_count,
            "errors": len(self.errors),
        }


class ImportInvalid(ValidationFailed):
    """The file no longer fits at commit (someone saved a clashing row since the preview);
    `errors` says where. Each import names its own `code`."""

    default_message = gettext_lazy("The file has errors; nothing was imported.")

    def __init__(
        self, message: str | Promise | None = None, *, errors: Sequence[RowError] = ()
    ) -> None:
        super().__init__(message)
        self.errors = list(errors)
