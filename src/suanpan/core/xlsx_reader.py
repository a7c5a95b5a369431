"""A lean xlsx reader: a worksheet's rows, a tuple of cells per row, read as fast as the XML.

openpyxl builds an object per cell; a workbook of 50,000 rows (a million cells) then takes
minutes in its normal mode and tens of seconds in read-only mode. This reads the sheet XML with
the C parser (a part that declares a DTD, and so could declare entities, is refused before
parsing), resolves shared and inline strings and handles a whole row at its end event.

Cells come in one of two forms:
- as text (the default): the text stored in the file, numbers as the digits written there — so
  a number a spreadsheet already rounded (2.6352E+19) is seen as such (the platform's invoice
  files, whose 20-digit numbers must not pass through a float);
- typed (`typed=True`): what openpyxl's read-only mode gives — int, float, bool, str, and
  datetime, time or timedelta for numbers whose cell style is a date or duration format
  (openpyxl's own rules for those formats and its serial-day conversion, 1900 or 1904 epoch)
  — for the spreadsheet imports that read any workbook a user saved.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import iterparse

from openpyxl.styles.numbers import (
    BUILTIN_FORMATS,
    is_date_format,
    is_timedelta_format,
)
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET_REL = "/worksheet"
# Number formats 27–36 and 50–58 are built in for East Asian locales and written without their
# code: in a workbook saved by a Chinese Excel they are dates and times (yyyy"年"m"月"d"日",
# h"时"mm"分"…). openpyxl knows only the codes of 0–49, so it reads such cells as numbers.
_EAST_ASIAN_DATE_FORMATS = frozenset(range(27, 37)) | frozenset(range(50, 59))
# Parts are searched for a DTD this many bytes at a time before they are parsed.
_SCAN_BYTES = 1 << 20


class WorkbookUnreadable(ValueError):
    """Not an xlsx workbook this reader understands."""


class WorkbookHasNoSheet(WorkbookUnreadable):
    """A workbook whose sheets are all chart or dialog sheets, or that lists none."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column_index(reference: str) -> int:
    index = 0
    for char in reference:
        if not char.isalpha():
            break
        index = index * 26 + (ord(char.upper()) - 64)
    return index - 1


def _text_of(element: Any) -> str:
    """A string item's text: its <t>, or the <t> of its rich-text runs; phonetic runs (<rPh>)
    left out."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(run.text or "" for run in child if _local(run.tag) == "t")
    return "".join(parts)


def _events(handle: Any) -> Any:
    """End events of a part `Book._open` let through: no DTD, so no entities to expand; the
    archive was checked against zip bombs before (the stdlib's C parser, for speed)."""
    return iterparse(handle, events=("end",))  # noqa: S314 (checked by Book._open)


def _typed(
    text: str,
    kind: str | None,
    style: str | None,
    dates: frozenset[int],
    durations: frozenset[int],
    epoch: Any,
) -> Any:
    """A cell's value as openpyxl's read-only mode gives it (data only)."""
    if kind is None or kind == "n":
        value: Any = float(text) if "." in text or "E" in text or "e" in text else int(text)
        if style and int(style) in dates:
            try:
                return from_excel(value, epoch, timedelta=int(style) in durations)
            except (OverflowError, ValueError):
                return "#VALUE!"  # what openpyxl shows for a date serial out of range
        return value
    if kind == "b":
        return text == "1"
    if kind == "d":
        return from_ISO8601(text)
    return text  # "str" (a formula's text), "inlineStr", "e" (an error such as #N/A)


class Book:
    """The sheets of a workbook by name, in order; rows read on demand."""

    def __init__(self, data: bytes) -> None:
        self.date1904 = False
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            self.sheets = self._sheets()
        except WorkbookUnreadable:
            raise
        except Exception as exc:  # not a zip, a part missing, malformed or hostile XML
            raise WorkbookUnreadable(str(exc)) from exc
        if not self.sheets:
            raise WorkbookHasNoSheet("no worksheet")
        self._shared: list[str] | None = None
        self._styles: tuple[frozenset[int], frozenset[int]] | None = None

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)

    def _open(self, name: str) -> Any:
        """A part to parse; refused when it declares a DTD (entities: XML bombs) anywhere —
        a DTD may follow a comment of any length — or is not UTF-8 (a UTF-16 part would hide
        one from the byte search)."""
        with self.archive.open(name) as handle:
            head = handle.read(_SCAN_BYTES)
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise WorkbookUnreadable(f"{name} is not UTF-8")
            tail = b""
            while head:
                window = tail + head
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    raise WorkbookUnreadable(f"{name} declares a DTD")
                tail = window[-len(b"<!DOCTYPE") :]
                head = handle.read(_SCAN_BYTES)
        return self.archive.open(name)

    def _sheets(self) -> dict[str, str]:
        targets: dict[str, str] = {}
        with self._open("xl/_rels/workbook.xml.rels") as handle:
            for _event, element in _events(handle):
                # Chart sheets and dialog sheets hold no cells.
                if _local(element.tag) == "Relationship" and element.get("Type", "").endswith(
                    _WORKSHEET_REL
                ):
                    target = element.get("Target", "")
                    path = (
                        target.lstrip("/")
                        if target.startswith("/")
                        else posixpath.normpath(posixpath.join("xl", target))
                    )
                    targets[element.get("Id", "")] = path
        sheets: dict[str, str] = {}
        with self._open("xl/workbook.xml") as handle:
            for _event, element in _events(handle):
                if _local(element.tag) == "workbookPr":
                    self.date1904 = element.get("date1904", "").lower() in {"1", "true"}
                if _local(element.tag) == "sheet":
                    rel = element.get(f"{{{_REL}}}id", "")
                    if rel in targets:
                        sheets[element.get("name", "")] = targets[rel]
        return sheets

    def shared(self) -> list[str]:
        if self._shared is None:
            strings: list[str] = []
            if "xl/sharedStrings.xml" in self.archive.namelist():
                with self._open("xl/sharedStrings.xml") as handle:
                    for _event, element in _events(handle):
                        if _local(element.tag) == "si":
                            strings.append(_text_of(element))
                            element.clear()
            self._shared = strings
        return self._shared

    def date_styles(self) -> tuple[frozenset[int], frozenset[int]]:
        """The cell styles (indexes into cellXfs) whose number format shows a date or time, and
        those of them that show a duration — openpyxl's own tests of a format code."""
        if self._styles is None:
            custom: dict[int, str] = {}
            formats: list[int] = []
            if "xl/styles.xml" in self.archive.namelist():
                with self._open("xl/styles.xml") as handle:
                    in_cell_xfs = False
                    events = iterparse(handle, events=("start", "end"))  # noqa: S314 (see _open)
                    for event, element in events:
                        name = _local(element.tag)
                        if name == "cellXfs":
                            in_cell_xfs = event == "start"
                        elif event != "end":
                            continue
                        elif name == "numFmt":
                            custom[int(element.get("numFmtId") or 0)] = element.get(
                                "formatCode", ""
                            )
                        elif name == "xf" and in_cell_xfs:
                            formats.append(int(element.get("numFmtId") or 0))
            dates, durations = set(), set()
            for index, format_id in enumerate(formats):
                code = custom.get(format_id) or BUILTIN_FORMATS.get(format_id)
                if is_date_format(code) or (
                    format_id in _EAST_ASIAN_DATE_FORMATS and format_id not in custom
                ):
                    dates.add(index)
                if is_timedelta_format(code):
                    durations.add(index)
            self._styles = (frozenset(dates), frozenset(durations))
        return self._styles

    def rows(
        self, sheet: str, *, max_columns: int = 200, typed: bool = False
    ) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(row number, cells) for every row that has a non-empty cell, in order; a row ends at
        its last non-empty cell. Cells are text ("" when empty), or with `typed` the values
        openpyxl would give (None when empty)."""
        shared = self.shared()
        dates, durations = self.date_styles() if typed else (frozenset(), frozenset())
        epoch = MAC_EPOCH if self.date1904 else WINDOWS_EPOCH
        empty = None if typed else ""
        cell_tag = f"{{{_MAIN}}}c"
        row_tag = f"{{{_MAIN}}}row"
        value_tag = f"{{{_MAIN}}}v"
        inline_tag = f"{{{_MAIN}}}is"
        columns: dict[str, int] = {}
        try:
            with self._open(self.sheets[sheet]) as handle:
                last_row = 0
                for _event, element in _events(handle):
                    if element.tag != row_tag:
                        continue
                    number = int(element.get("r") or last_row + 1)
                    last_row = number
                    cells: dict[int, Any] = {}
                    next_column = 0
                    for cell in element:
                        if cell.tag != cell_tag:
                            continue
                        reference = cell.get("r")
                        if reference:
                            letters = reference.rstrip("0123456789")
                            column = columns.get(letters)
                            if column is None:
                                column = columns[letters] = _column_index(letters)
                        else:
                            column = next_column
                        next_column = column + 1
                        if column >= max_columns:
                            continue
                        kind = cell.get("t")
                        text = ""
                        for child in cell:
                            if child.tag == value_tag:
                                text = child.text or ""
                            elif child.tag == inline_tag:
                                text = _text_of(child)
                        if not text:
                            continue
                        if kind == "s":
                            index = int(text)
                            if index < 0:  # shared[-1] would be another cell's text
                                raise WorkbookUnreadable(f"shared string {index}")
                            if shared[index]:
                                cells[column] = shared[index]
                        elif typed:
                            cells[column] = _typed(
                                text, kind, cell.get("s"), dates, durations, epoch
                            )
                        elif kind == "b":
                            cells[column] = "TRUE" if text == "1" else "FALSE"
                        else:
                            cells[column] = text
                    element.clear()
                    if cells:
                        width = max(cells) + 1
                        yield number, tuple(cells.get(i, empty) for i in range(width))
        except WorkbookUnreadable:
            raise
        except (KeyError, IndexError, ValueError, SyntaxError) as exc:
            raise WorkbookUnreadable(str(exc)) from exc

    def close(self) -> None:
        self.archive.close()
