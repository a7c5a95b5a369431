"""The batch-issue workbook (《批量开票-导入开票模板》) the tax platform takes at 蓝字发票开具 ›
批量开具: approved requests (and failed ones sent again) out, one row per invoice on sheet
`1-发票基本信息` and one per line on `2-发票明细信息`, every cell as text.

With the user's freshly downloaded template the data goes into that workbook: the header row of
each sheet is found by its text (whitespace, line breaks, asterisks and notes aside) and every
other sheet (hidden drop-down lists, `excelVersion`) stays as it was. Without one a workbook is
generated with the same sheets and header rows (from data/batch_template_columns.csv, read from
the official V260401 template) and the hidden version stamp.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from suanpan.core.audit import audited
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.core.spreadsheets import MAX_BYTES, MAX_UNPACKED_BYTES
from suanpan.core.tax import VAT_RATES
from suanpan.invoicing.calculations.lines import MAX_FILE_LINES
from suanpan.invoicing.choices import BatchKind, InvoiceType, RequestStatus
from suanpan.invoicing.errors import PlatformFileInvalid, RequestNotInStatus
from suanpan.invoicing.models import InvoiceBatch, InvoiceRequest, InvoiceRequestLine
from suanpan.invoicing.selectors.requests import request_visible
from suanpan.invoicing.services.requests import request_problems
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

EXPORT_PERMISSION = "invoicing.add_invoicebatch"
SERIES = "PC"
SHEET_INVOICES = "1-发票基本信息"
SHEET_LINES = "2-发票明细信息"
SHEET_VERSION = "excelVersion"
TEMPLATE_VERSION = "pt:20260401"
# Requests that may go out in a workbook: approved, or failed at the platform and sent again.
EXPORTABLE_STATUSES = (RequestStatus.APPROVED, RequestStatus.FAILED)
REMARKS_LIMIT = 230
TEXT = "@"
_COLUMNS_FILE = Path(__file__).resolve().parent.parent / "data" / "batch_template_columns.csv"
_HEADER_NOISE = re.compile(r"[\s*＊]+")
_NOTE = re.compile(r"[（(\[【].*$")
_INSTRUCTION = (
    "填写说明：本表按《批量开票-导入开票模板》(V260401版) 生成。第2行为填写要求，第3行为表头，"
    "自第4行起每行一张发票（明细信息表每行一条明细），发票流水号关联各表；所有内容以文本填写。"
)

INVOICE_TYPE_TEXT = {
    InvoiceType.E_SPECIAL: "增值税专用发票",
    InvoiceType.E_NORMAL: "普通发票",
}


def header_key(text: object) -> str:
    """A header as compared: no whitespace, line breaks or asterisks (required marks)."""
    return _HEADER_NOISE.sub("", str(text or ""))


@dataclass(frozen=True)
class TemplateColumn:
    sheet: str
    block: str
    column: str
    header: str
    row2: str


@cache
def template_columns() -> tuple[TemplateColumn, ...]:
    """Every column of sheets 1–4 as the official template has them."""
    with _COLUMNS_FILE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    columns = []
    for row in csv.DictReader(lines):
        header = row["header"]
        if header.startswith("("):
            header = ""  # the merged cells under a header to their left
        row2 = re.sub(r"\s*\[[^\]]*\]", "", row["row2_text"]).strip()
        columns.append(
            TemplateColumn(
                sheet=row["sheet"],
                block=row["block"],
                column=row["column"],
                header=header,
                row2=row2,
            )
        )
    return tuple(columns)


# --- values ---------------------------------------------------------------------------------


def _decimal_text(value: Decimal, places: int | None = None) -> str:
    if places is not None:
        return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):.{places}f}"
    text = format(value.normalize(), "f")
    return text


def rate_text(line: InvoiceRequestLine) -> str:
    """税率 as the template wants it: a decimal, `0.13`, `0.06`, `0`."""
    rate = VAT_RATES[line.vat_rate_key].rate if line.vat_rate_key in VAT_RATES else line.vat_rate
    return _decimal_text(Decimal(rate))


def line_amount(line: InvoiceRequestLine, *, price_includes_tax: bool) -> Decimal:
    """金额 in the 是否含税 basis, before the discount (the platform prints the discount as its
    own line from 折扣金额)."""
    base = line.gross_amount if price_includes_tax else line.net_amount
    return base + line.discount_amount


def _unit_price(amount: Decimal, quantity: Decimal | None) -> str:
    if not quantity:
        return ""
    price = (amount / quantity).quantize(Decimal("1e-13"), rounding=ROUND_HALF_UP)
    return _decimal_text(price)


def invoice_row(request: InvoiceRequest) -> dict[str, str]:
    remarks = " ".join(part for part in (request.number, request.remarks.strip()) if part)
    return {
        "发票流水号": request.number,
        "发票类型": INVOICE_TYPE_TEXT.get(request.invoice_type, ""),  # type: ignore[call-overload]
        "是否含税": "是" if request.price_includes_tax else "否",
        "受票方自然人标识": "是" if request.buyer_is_person else "否",
        "购买方名称": request.buyer_name,
        "购买方纳税人识别号": request.buyer_tax_number,
        "购买方地址": request.buyer_address,
        "购买方电话": request.buyer_phone,
        "购买方开户银行": request.buyer_bank,
        "购买方银行账号": request.buyer_account,
        "备注": remarks[:REMARKS_LIMIT],
        "购买方邮箱": request.buyer_email,
    }


def line_row(request: InvoiceRequest, line: InvoiceRequestLine) -> dict[str, str]:
    amount = line_amount(line, price_includes_tax=request.price_includes_tax)
    exempt = VAT_RATES[line.vat_rate_key].is_exempt if line.vat_rate_key in VAT_RATES else False
    return {
        "发票流水号": request.number,
        "项目名称": line.item_name,
        "商品和服务税收编码": line.tax_code,
        "规格型号": line.specification,
        "单位": line.unit,
        "数量": _decimal_text(line.quantity) if line.quantity else "",
        "单价": _unit_price(amount, line.quantity),
        "金额": _decimal_text(amount, 2),
        "税率": rate_text(line),
        "折扣金额": _decimal_text(line.discount_amount, 2) if line.discount_amount else "",
        "是否使用优惠政策": "是" if exempt else "",
        "优惠政策类型": "免税" if exempt else "",
    }


# --- workbooks ------------------------------------------------------------------------------


def _text_cell(sheet: Any, row: int, column: int, value: str) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value or None
    if value and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    cell.number_format = TEXT


def _header_row(sheet: Any, *, wanted: str = "发票流水号") -> tuple[int, dict[str, int]]:
    """The header row (found by the 发票流水号 header in the first ten rows) and each header's
    column, keyed by its cleaned text."""
    for row in range(1, 11):
        keys = {
            header_key(sheet.cell(row=row, column=column).value): column
            for column in range(1, min(sheet.max_column, 200) + 1)
        }
        keys.pop("", None)
        if any(key == wanted or key.startswith(wanted) for key in keys):
            return row, keys
    raise PlatformFileInvalid(
        file=sheet.title, reason=_("no header row with 发票流水号 in its first ten rows.")
    )


def column_for(keys: dict[str, int], header: str) -> int | None:
    """A header's column: the exact text, else a header that starts with it (a note after it)."""
    if header in keys:
        return keys[header]
    for key, column in keys.items():
        stripped = _NOTE.sub("", key)
        if stripped == header or key.startswith(header):
            return column
    return None


def _fill(sheet: Any, rows: Sequence[dict[str, str]], *, template: str) -> None:
    header_row, keys = _header_row(sheet)
    wanted = {header for row in rows[:1] for header in row}
    columns: dict[str, int] = {}
    for header in wanted:
        column = column_for(keys, header)
        if column is None:
            raise PlatformFileInvalid(
                file=template,
                reason=_("sheet %(sheet)s has no column %(header)s; download the template again.")
                % {"sheet": sheet.title, "header": header},
            )
        columns[header] = column
    # An example row or data left from an earlier batch must not go out again.
    for row in sheet.iter_rows(min_row=header_row + 1, max_row=sheet.max_row):
        for cell in row:
            if cell.value is not None:
                cell.value = None
    for offset, values in enumerate(rows, start=1):
        for header, value in values.items():
            _text_cell(sheet, header_row + offset, columns[header], value)


def _zip_check(data: bytes, name: str) -> None:
    if len(data) > MAX_BYTES:
        raise PlatformFileInvalid(
            file=name,
            reason=_("it is larger than %(limit)s MB.") % {"limit": MAX_BYTES // (1024 * 1024)},
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PlatformFileInvalid(file=name, reason=_("it is not an xlsx workbook.")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise PlatformFileInvalid(file=name, reason=_("it unpacks to too much data."))


def template_fill(
    template: bytes,
    invoices: Sequence[dict[str, str]],
    lines: Sequence[dict[str, str]],
    *,
    name: str = "template",
) -> bytes:
    """The user's template with the rows written under its header rows; other sheets untouched."""
    _zip_check(template, name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(template))
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise PlatformFileInvalid(file=name, reason=_("it is not an xlsx workbook.")) from exc
    for sheet_name in (SHEET_INVOICES, SHEET_LINES):
        if sheet_name not in workbook.sheetnames:
            raise PlatformFileInvalid(
                file=name,
                reason=_("it has no sheet %(sheet)s; is it the batch-issue template?")
                % {"sheet": sheet_name},
            )
    _fill(workbook[SHEET_INVOICES], invoices, template=name)
    _fill(workbook[SHEET_LINES], lines, template=name)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _columns_by_sheet() -> dict[str, list[TemplateColumn]]:
    sheets: dict[str, list[TemplateColumn]] = {}
    for column in template_columns():
        sheets.setdefault(column.sheet, []).append(column)
    return sheets


def template_generate(
    invoices: Sequence[dict[str, str]] = (), lines: Sequence[dict[str, str]] = ()
) -> bytes:
    """A workbook shaped like the official template (sheets 1–4, instruction, requirement and
    header rows, the hidden version stamp) with the rows written from row 4."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet_name, columns in _columns_by_sheet().items():
        sheet = workbook.create_sheet(sheet_name)
        last = get_column_letter(len(columns))
        sheet["A1"] = _INSTRUCTION
        sheet["A1"].alignment = wrap
        sheet.merge_cells(f"A1:{last}1")
        sheet.row_dimensions[1].height = 45
        for index, column in enumerate(columns, start=1):
            _text_cell(sheet, 2, index, column.row2)
            header = sheet.cell(row=3, column=index)
            header.value = column.header or None
            header.font = bold
            header.alignment = wrap
            sheet.column_dimensions[get_column_letter(index)].width = max(
                12, min(30, len(column.header) * 2 + 2)
            )
        sheet.freeze_panes = "B4"
    version = workbook.create_sheet(SHEET_VERSION)
    version["A4"] = TEMPLATE_VERSION
    version.sheet_state = "hidden"
    if invoices:
        _fill(workbook[SHEET_INVOICES], invoices, template="")
    if lines:
        _fill(workbook[SHEET_LINES], lines, template="")
    for sheet_name in (SHEET_INVOICES, SHEET_LINES):
        # Every data cell is text, as the template's instructions say, for the rows people add.
        sheet = workbook[sheet_name]
        for index in range(1, len(_columns_by_sheet()[sheet_name]) + 1):
            sheet.column_dimensions[get_column_letter(index)].number_format = TEXT
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- the service ----------------------------------------------------------------------------


def _problems_text(request: InvoiceRequest, problems: dict[str, list[str]]) -> str:
    messages = "; ".join(message for messages in problems.values() for message in messages)
    return f"{request.number}: {messages}"


def export_requests(*, user: User, request_ids: Iterable[int]) -> list[InvoiceRequest]:
    """The visible requests named, locked in id order; an id not visible answers an error."""
    ids = sorted({int(pk) for pk in request_ids})
    if not ids:
        raise PlatformFileInvalid(
            file=_("batch-issue workbook"), reason=_("choose at least one approved request.")
        )
    visible = request_visible(user=user).filter(pk__in=ids).values_list("pk", flat=True)
    missing = sorted(set(ids) - set(visible))
    if missing:
        raise PlatformFileInvalid(
            file=_("batch-issue workbook"),
            reason=_("there is no request with id %(ids)s.")
            % {"ids": ", ".join(str(pk) for pk in missing)},
        )
    return list(
        for_update(InvoiceRequest.objects.filter(pk__in=ids))
        .select_related("customer")
        .prefetch_related("lines")
        .order_by("pk")
    )


def batch_file_name(batch_number: str) -> str:
    return f"批量开票-{batch_number}.xlsx"


@audited
@transaction.atomic
def batch_export(
    *,
    request_ids: Iterable[int],
    template: bytes | None = None,
    actor: User,
    template_name: str = "template.xlsx",
) -> tuple[bytes, InvoiceBatch]:
    """Write the approved (or failed) requests into the batch-issue workbook; they become
    exported in a new batch (kind export). Refuses the whole file when a request is in another
    status, would be refused by the platform, or the file would carry more than 2,000 lines."""
    permission_require(actor, EXPORT_PERMISSION)
    requests = export_requests(user=actor, request_ids=request_ids)
    problems = []
    line_count = 0
    for request in requests:
        if request.status not in EXPORTABLE_STATUSES:
            raise RequestNotInStatus(number=request.number, status=request.get_status_display())
        lines = list(request.lines.all())
        line_count += len(lines)
        found = request_problems(request, lines)
        if found:
            problems.append(_problems_text(request, found))
    if problems:
        raise PlatformFileInvalid(
            file=_("batch-issue workbook"),
            reason=_("the tax platform would refuse these requests: %(problems)s")
            % {"problems": " | ".join(problems)},
        )
    if line_count > MAX_FILE_LINES:
        raise PlatformFileInvalid(
            file=_("batch-issue workbook"),
            reason=_(
                "%(count)s invoice lines; the tax platform takes at most %(limit)s per file. "
                "Choose fewer requests and export them in several files."
            )
            % {"count": line_count, "limit": MAX_FILE_LINES},
        )
    invoices = [invoice_row(request) for request in requests]
    lines_rows = [
        line_row(request, line)
        for request in requests
        for line in sorted(request.lines.all(), key=lambda line: line.position)
    ]
    if template:
        data = template_fill(template, invoices, lines_rows, name=template_name)
    else:
        data = template_generate(invoices, lines_rows)
    number = number_next(series=SERIES, period=timezone.localdate().strftime("%Y%m"))
    batch = InvoiceBatch.objects.create(
        number=number,
        kind=BatchKind.EXPORT,
        file_name=batch_file_name(number),
        row_count=len(requests),
        notes=_("%(invoices)s invoices, %(lines)s lines; %(source)s.")
        % {
            "invoices": len(requests),
            "lines": line_count,
            "source": _("filled into the uploaded template") if template else _("generated"),
        },
        created_by=actor,
    )
    for request in requests:
        request.status = RequestStatus.EXPORTED
        request.batch = batch
        request.failure_reason = ""
        request.save(update_fields=["status", "batch", "failure_reason", "updated_at"])
    return data, batch
