"""Reading the tax platform's files into rows: cells as text (numbers never become floats),
the failure file's and the issued export's tables, and a 数电 XML invoice. No writes."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

from suanpan.core.spreadsheets import MAX_ROWS
from suanpan.core.xlsx_reader import Book, WorkbookUnreadable
from suanpan.invoicing.errors import PlatformFileInvalid
from suanpan.invoicing.models import InvoiceRequest
from suanpan.invoicing.services.platform_export import (
    _zip_check,
    column_for,
    header_key,
)

MAX_XML_BYTES = 2 * 1024 * 1024
HEADER_SEARCH_ROWS = 10

SHEET_BASIC = "发票基础信息"
SHEET_LINES = "信息汇总表"
NUMBER_HEADERS = ("数电发票号码", "全电发票号码", "发票号码")

_SERIAL = re.compile(r"^[1-9]\d{4}(\.\d+)?$")
_FLOAT_TEXT = re.compile(r"^\d+(\.\d+)?[eE][+-]?\d+$")

UNMATCHED = "unmatched"


def _file_error(name: str, reason: str) -> PlatformFileInvalid:
    return PlatformFileInvalid(file=name or _("the file"), reason=reason)


# --- reading cells as text ------------------------------------------------------------------


class FloatNumber(ValueError):
    """A number a spreadsheet stored as a float: its last digits are gone."""


def cell_string(value: Any) -> str:
    """A cell as the text the platform wrote: ints as digits, dates in ISO; a float that is not
    a small whole number is refused (FloatNumber)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def number_text(value: Any) -> str:
    """An invoice number as text; a float or scientific text lost digits: refuse it."""
    if isinstance(value, float) and not (value.is_integer() and abs(value) < 1e15):
        raise FloatNumber(repr(value))
    text = "".join(cell_string(value).split())
    if _FLOAT_TEXT.match(text):
        raise FloatNumber(text)
    return text


def amount_value(text: str) -> Decimal | None:
    text = text.replace(",", "").replace("¥", "").replace("￥", "").strip()
    if not text:
        return None
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def date_value(text: str) -> datetime.date | None:
    text = text.strip()
    if _SERIAL.match(text):
        # A date cell: Excel's day count from 1899-12-30.
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(float(text)))
    for fmt, width in (
        ("%Y-%m-%d", 10),
        ("%Y/%m/%d", 10),
        ("%Y%m%d", 8),
        ("%Y年%m月%d日", 11),
    ):
        try:
            return datetime.datetime.strptime(text[:width], fmt).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None


@dataclass
class Table:
    """One worksheet read as text: header cells (cleaned) to column index, and the rows below."""

    name: str
    header_row: int
    columns: dict[str, int]
    rows: list[tuple[int, tuple[Any, ...]]]

    def column(self, *headers: str) -> int | None:
        for header in headers:
            index = column_for(self.columns, header)
            if index is not None:
                return index
        return None


def _workbook(data: bytes, name: str) -> Book:
    if not data:
        raise _file_error(name, _("it is empty."))
    _zip_check(data, name)
    try:
        return Book(data)
    except WorkbookUnreadable as exc:
        raise _file_error(name, _("it is not an xlsx workbook.")) from exc


def _table(book: Book, sheet: str, wanted: Sequence[str], *, name: str) -> Table | None:
    """The sheet's header row (the first of the first ten rows naming any of `wanted`) and its
    data rows; None when no such row."""
    try:
        rows = book.rows(sheet)
        header_row = 0
        columns: dict[str, int] = {}
        for number, raw in rows:
            if number > HEADER_SEARCH_ROWS:
                return None
            keys = {header_key(value): index for index, value in enumerate(raw) if value}
            keys.pop("", None)
            if any(column_for(keys, header) is not None for header in wanted):
                header_row, columns = number, keys
                break
        if not header_row:
            return None
        data: list[tuple[int, tuple[Any, ...]]] = []
        for number, raw in rows:
            if not any(value.strip() for value in raw):
                continue
            if len(data) >= MAX_ROWS:
                raise _file_error(
                    name,
                    _("it has more than %(limit)s rows; split it into smaller files.")
                    % {"limit": f"{MAX_ROWS:,}"},
                )
            data.append((number, raw))
    except WorkbookUnreadable as exc:
        raise _file_error(
            name, _("the workbook is damaged and could not be read to the end.")
        ) from exc
    return Table(name=sheet, header_row=header_row, columns=columns, rows=data)


def _cell(row: tuple[Any, ...], index: int | None) -> Any:
    if index is None or index >= len(row):
        return None
    return row[index]


# --- issued invoices: rows, matching, report --------------------------------------------------


@dataclass
class IssuedLine:
    name: str
    net: Decimal | None
    tax: Decimal | None


@dataclass
class IssuedRow:
    """One invoice as the platform issued it, and what the import makes of it."""

    row: int
    number: str
    issued_on: datetime.date | None
    buyer_tax_number: str = ""
    buyer_name: str = ""
    net: Decimal | None = None
    tax: Decimal | None = None
    gross: Decimal | None = None
    remarks: str = ""
    drawer: str = ""
    blue: bool = True
    type_code: str = ""
    lines: list[IssuedLine] | None = None
    status: str = UNMATCHED
    request: InvoiceRequest | None = None
    matched_by: str = ""
    findings: list[str] = field(default_factory=list)
    message: str = ""
    red_of: str = ""

    @property
    def request_number(self) -> str:
        return self.request.number if self.request else ""


def _issued_rows(data: bytes, name: str) -> list[IssuedRow]:
    workbook = _workbook(data, name)
    try:
        if SHEET_BASIC in workbook.sheetnames:
            basic = _table(workbook, SHEET_BASIC, NUMBER_HEADERS, name=name)
        else:
            basic = None
            for sheet in workbook.sheetnames:
                basic = _table(workbook, sheet, NUMBER_HEADERS[:2], name=name)
                if basic is not None:
                    break
        if basic is None:
            raise _file_error(
                name,
                _(
                    "it has no sheet 发票基础信息 with a 数电发票号码 column; "
                    "export the invoices from 发票查询 › 导出 again."
                ),
            )
        lines_table = (
            _table(workbook, SHEET_LINES, NUMBER_HEADERS, name=name)
            if SHEET_LINES in workbook.sheetnames
            else None
        )
    finally:
        workbook.close()
    col = basic.column
    number_col = col(*NUMBER_HEADERS)
    columns = {
        "positive": col("是否正数发票"),
        "buyer_tax": col("购方识别号", "购买方识别号", "购买方纳税人识别号"),
        "buyer_name": col("购买方名称", "购方名称"),
        "issued_on": col("开票日期"),
        "net": col("金额"),
        "tax": col("税额"),
        "gross": col("价税合计"),
        "remarks": col("备注"),
        "drawer": col("开票人"),
        "type": col("发票票种"),
    }
    missing = [
        header
        for header, key in (("开票日期", "issued_on"), ("价税合计", "gross"))
        if columns[key] is None
    ]
    if missing:
        raise _file_error(
            name, _("it has no column %(columns)s.") % {"columns": ", ".join(missing)}
        )
    result: list[IssuedRow] = []
    for row_number, raw in basic.rows:
        text = {key: cell_string(_cell(raw, index)) for key, index in columns.items()}
        try:
            number = number_text(_cell(raw, number_col))
        except FloatNumber as exc:
            raise _file_error(
                name,
                _(
                    "row %(row)s: the invoice number %(value)s was saved as a number and lost "
                    "its last digits. Open the platform's export as it was downloaded (do not "
                    "re-save it in a spreadsheet), or format the column as text."
                )
                % {"row": row_number, "value": exc.args[0]},
            ) from exc
        remarks = text["remarks"]
        positive = text["positive"]
        gross = amount_value(text["gross"])
        issued = IssuedRow(
            row=row_number,
            number=number,
            issued_on=date_value(text["issued_on"]),
            buyer_tax_number=text["buyer_tax"].upper(),
            buyer_name=text["buyer_name"],
            net=amount_value(text["net"]),
            tax=amount_value(text["tax"]),
            gross=gross,
            remarks=remarks,
            drawer=text["drawer"],
            blue=not (positive == "否" or (gross is not None and gross < 0)),
        )
        result.append(issued)
    if lines_table is not None:
        _attach_lines(result, lines_table, name)
    return result


def _attach_lines(rows: list[IssuedRow], table: Table, name: str) -> None:
    number_col = table.column(*NUMBER_HEADERS)
    name_col = table.column("货物或应税劳务名称", "项目名称", "货物或应税劳务、服务名称")
    net_col = table.column("金额")
    tax_col = table.column("税额")
    by_number: dict[str, list[IssuedLine]] = {}
    for row_number, raw in table.rows:
        try:
            number = number_text(_cell(raw, number_col))
        except FloatNumber as exc:
            raise _file_error(
                name,
                _(
                    "sheet 信息汇总表 row %(row)s: the invoice number %(value)s lost its last digits."
                )
                % {"row": row_number, "value": exc.args[0]},
            ) from exc
        by_number.setdefault(number, []).append(
            IssuedLine(
                name=cell_string(_cell(raw, name_col)),
                net=amount_value(cell_string(_cell(raw, net_col))),
                tax=amount_value(cell_string(_cell(raw, tax_col))),
            )
        )
    for row in rows:
        if row.number in by_number:
            row.lines = by_number[row.number]


# --- 数电 XML -------------------------------------------------------------------------------


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _find(element: Any, *path: str) -> Any:
    """The first descendant at the path of local names (namespaces ignored), at any depth for
    its first step."""
    candidates = [node for node in element.iter() if _local(node.tag) == path[0]]
    for node in candidates:
        current = node
        for step in path[1:]:
            current = next((child for child in current if _local(child.tag) == step), None)
            if current is None:
                break
        if current is not None:
            return current
    return None


def _text(element: Any, *path: str) -> str:
    node = _find(element, *path)
    return (node.text or "").strip() if node is not None else ""


def _xml_row(data: bytes, name: str) -> IssuedRow:
    if not data or not data.strip():
        raise _file_error(name, _("it is empty."))
    if len(data) > MAX_XML_BYTES:
        raise _file_error(
            name,
            _("it is larger than %(limit)s MB; a 数电 invoice file is much smaller.")
            % {"limit": MAX_XML_BYTES // (1024 * 1024)},
        )
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise _file_error(
            name, _("it declares entities or a document type, which invoice files never do.")
        ) from exc
    except SafeElementTree.ParseError as exc:
        raise _file_error(name, _("it is not XML (%(error)s).") % {"error": exc}) from exc
    if _local(root.tag) != "EInvoice":
        raise _file_error(name, _("it is not a 数电 invoice (no EInvoice element)."))
    number = _text(root, "Header", "EIid") or _text(root, "TaxSupervisionInfo", "InvoiceNumber")
    issued_text = _text(root, "TaxSupervisionInfo", "IssueTime") or _text(
        root, "BasicInformation", "RequestTime"
    )
    gross = amount_value(_text(root, "BasicInformation", "TotalTax-includedAmount"))
    label = _text(root, "InIssuType", "LabelCode")
    lines = [
        IssuedLine(
            name=_text(item, "ItemName"),
            net=amount_value(_text(item, "Amount")),
            tax=amount_value(_text(item, "ComTaxAm")),
        )
        for item in root.iter()
        if _local(item.tag) == "IssuItemInformation"
    ]
    remarks = " ".join(
        (node.text or "").strip()
        for node in root.iter()
        if _local(node.tag) in ("Remark", "Remarks", "Note", "BZ") and node.text
    )
    return IssuedRow(
        row=1,
        number="".join(number.split()),
        issued_on=date_value(issued_text),
        buyer_tax_number=_text(root, "BuyerInformation", "BuyerIdNum").upper(),
        buyer_name=_text(root, "BuyerInformation", "BuyerName"),
        net=amount_value(_text(root, "BasicInformation", "TotalAmWithoutTax")),
        tax=amount_value(_text(root, "BasicInformation", "TotalTaxAm")),
        gross=gross,
        remarks=remarks,
        drawer=_text(root, "BasicInformation", "Drawer"),
        blue=label != "N" and not (gross is not None and gross < 0),
        type_code=_text(root, "GeneralOrSpecialVAT", "LabelCode"),
        lines=lines or None,
    )


# GeneralOrSpecialVAT LabelCode → the invoice type a request asked for.
TYPE_CODES = {"01": "e_special", "02": "e_normal"}
