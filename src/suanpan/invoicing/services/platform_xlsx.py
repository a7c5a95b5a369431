"""A lean reader of the platform's xlsx files: every cell as the text stored in the file.

openpyxl builds an object per cell and turns numbers into floats; an issued-invoice export of
50,000 invoices (a million cells) then takes minutes, and a 20-digit number stored as a number
comes back rounded. This reads the sheet XML with the C parser (a part that declares a DTD,
and so could declare entities, is refused before parsing), resolves shared and inline strings, and gives numbers as the digits written in
the file — so a number a spreadsheet already rounded (2.6352E+19) is seen as such and refused.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import iterparse

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# A DTD comes before the root element: the first few kilobytes of a part hold it if any.
_PROLOG_BYTES = 4096


class WorkbookUnreadable(ValueError):
    """Not an xlsx workbook this reader understands."""


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


class Book:
    """The sheets of a workbook by name, in order; rows read on demand."""

    def __init__(self, data: bytes) -> None:
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            self.sheets = self._sheets()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise WorkbookUnreadable(str(exc)) from exc
        except Exception as exc:  # malformed or hostile XML
            raise WorkbookUnreadable(str(exc)) from exc
        self._shared: list[str] | None = None

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)

    def _open(self, name: str) -> Any:
        """A part to parse; refused when its prolog declares a DTD (entities: XML bombs)."""
        with self.archive.open(name) as handle:
            head = handle.read(_PROLOG_BYTES)
        if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
            raise WorkbookUnreadable(f"{name} declares a DTD")
        return self.archive.open(name)

    def _sheets(self) -> dict[str, str]:
        targets: dict[str, str] = {}
        with self._open("xl/_rels/workbook.xml.rels") as handle:
            for _event, element in _events(handle):
                if _local(element.tag) == "Relationship":
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
                if _local(element.tag) == "sheet":
                    rel = element.get(f"{{{_REL}}}id", "")
                    if rel in targets:
                        sheets[element.get("name", "")] = targets[rel]
        if not sheets:
            raise ValueError("no worksheet")
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

    def rows(self, sheet: str, *, max_columns: int = 200) -> Iterator[tuple[int, tuple[str, ...]]]:
        """(row number, cells as text) for every row that has a cell, in order."""
        shared = self.shared()
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
                    cells: dict[int, str] = {}
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
                        if kind == "s" and text:
                            text = shared[int(text)]
                        elif kind == "b":
                            text = "TRUE" if text == "1" else "FALSE"
                        if text:
                            cells[column] = text
                    element.clear()
                    if cells:
                        width = max(cells) + 1
                        yield number, tuple(cells.get(i, "") for i in range(width))
        except WorkbookUnreadable:
            raise
        except (KeyError, IndexError, ValueError, SyntaxError) as exc:
            raise WorkbookUnreadable(str(exc)) from exc

    def close(self) -> None:
        self.archive.close()
