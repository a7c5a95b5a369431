"""Files for the history import tests: csv text in any encoding, or an xlsx workbook."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

HEADER = (
    "发票号码",
    "开票日期",
    "客户编码",
    "项目名称",
    "数量",
    "单价",
    "金额",
    "税率",
    "原发票号码",
)


def csv_file(
    tmp_path: Path,
    rows: Sequence[Sequence[str]],
    *,
    header: Sequence[str] = HEADER,
    encoding: str = "utf-8",
    name: str = "history.csv",
) -> Path:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def xlsx_file(
    tmp_path: Path, rows: Sequence[Sequence[object]], *, header: Sequence[str] = HEADER
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / "history.xlsx"
    workbook.save(path)
    return path


def number(n: int) -> str:
    """A 20-digit digital invoice number."""
    return f"2611{n:016d}"
