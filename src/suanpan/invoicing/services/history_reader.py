"""Read a history file row by row without holding it: csv through the csv module over a decoding
stream, xlsx through openpyxl's read-only workbook. Every cell comes back as trimmed text with
the row number a person sees in Excel, as core.spreadsheets gives it for small files."""

from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from suanpan.core.csv_encodings import ENCODINGS, _csv_encoding_detect
from suanpan.core.spreadsheets import cell_text, cell_unneutralise
from suanpan.invoicing.errors import HistoryFileInvalid

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Bytes read to tell the encoding of a csv file that carries no BOM.
_SAMPLE = 1024 * 1024


@dataclass
class HistoryRows:
    """The header and a stream of (row number, cells); `fraction()` says how far it got."""

    format: str
    header: list[str]
    header_row: int
    rows: Iterator[tuple[int, tuple[str, ...]]]
    _position: list[float] = field(default_factory=lambda: [0.0])

    def fraction(self) -> float:
        return min(self._position[0], 1.0)


def _clean(cell: str) -> str:
    cell = cell.strip()
    return cell_unneutralise(cell) if cell[:1] == "'" else cell


def _codec(sample: bytes, encoding: str | None) -> str:
    if encoding:
        if encoding not in ENCODINGS:
            raise HistoryFileInvalid(reason=_("unknown encoding %s") % encoding)
        return {"utf-8": "utf-8-sig", "utf-16": "utf-16"}.get(encoding, encoding)
    if sample.startswith(_UTF8_BOM):
        return "utf-8-sig"
    if sample.startswith(_UTF16_BOMS):
        return "utf-16"
    if b"\x00" in sample:
        raise HistoryFileInvalid(reason=_("it is not a text (CSV) file"))
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # The sample cut at its last line end, so no character is split.
    cut = sample[: sample.rfind(b"\n") + 1] or sample
    try:
        return _csv_encoding_detect(cut)
    except Exception as exc:
        raise HistoryFileInvalid(reason=str(exc)) from exc


def history_rows_open(path: str | Path, *, encoding: str | None = None) -> HistoryRows:
    """Open a csv or xlsx file for streaming. Raises HistoryFileInvalid when it cannot be read."""
    path = Path(path)
    with path.open("rb") as probe:
        head = probe.read(_SAMPLE)
    if not head.strip():
        raise HistoryFileInvalid(reason=_("the file is empty"))
    if head.startswith(_OLE_MAGIC):
        raise HistoryFileInvalid(
            reason=_("it is an old Excel (.xls) or password-protected workbook; save it as .xlsx")
        )
    if head.startswith(_ZIP_MAGIC):
        return _xlsx_open(path)
    return _csv_open(path, codec=_codec(head, encoding))


def _first_row(
    rows: Iterator[tuple[int, tuple[str, ...]]],
) -> tuple[int, list[str]]:
    for number, cells in rows:
        if any(cells):
            return number, list(cells)
    raise HistoryFileInvalid(reason=_("the file has no header row"))


def _csv_open(path: Path, *, codec: str) -> HistoryRows:
    size = max(os.path.getsize(path), 1)
    binary = path.open("rb")
    text = io.TextIOWrapper(binary, encoding=codec, newline="")
    position = [0.0]

    def rows() -> Iterator[tuple[int, tuple[str, ...]]]:
        try:
            for number, record in enumerate(csv.reader(text), start=1):
                if number % 1000 == 0:
                    position[0] = binary.tell() / size
                yield number, tuple(_clean(cell) for cell in record)
        except UnicodeDecodeError as exc:
            raise HistoryFileInvalid(
                reason=_("it cannot be read as %(encoding)s") % {"encoding": codec}
            ) from exc
        except csv.Error as exc:
            raise HistoryFileInvalid(reason=str(exc)) from exc
        finally:
            position[0] = 1.0
            text.close()

    stream = rows()
    header_row, header = _first_row(stream)
    return HistoryRows("csv", header, header_row, stream, position)


def _xlsx_open(path: Path) -> HistoryRows:
    handle: IO[bytes] = path.open("rb")
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        handle.close()
        raise HistoryFileInvalid(reason=_("it is not a readable .xlsx workbook")) from exc
    sheet = workbook.worksheets[0]
    total = max(int(getattr(sheet, "max_row", 0) or 0), 1)
    position = [0.0]

    def rows() -> Iterator[tuple[int, tuple[str, ...]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number % 1000 == 0:
                    position[0] = number / total
                yield number, tuple(cell_unneutralise(cell_text(value)) for value in values)
        finally:
            position[0] = 1.0
            workbook.close()
            handle.close()

    stream = rows()
    header_row, header = _first_row(stream)
    return HistoryRows("xlsx", header, header_row, stream, position)
