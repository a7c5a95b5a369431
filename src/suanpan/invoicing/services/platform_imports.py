"""Files back from the tax platform: the failure file of a batch import, the issued-invoice
export (发票查询 › 导出) and single 数电 XML invoices.

The failure file marks the requests it names failed, with the platform's reason. The issued
export and XML files are matched to requests — by the request number in 备注 first, else by the
buyer's taxpayer number, the total and an issue date within 15 days of the export, when exactly
one request fits — and, on commit, recorded through `invoice_issue`, all in one transaction.
A dry run (commit=False) writes nothing and reports each row: matched (with what differs from
the request), unmatched, already recorded (a re-import skips it), or red (recorded through the
red-letter form instead). Invoice numbers are read as text: a number a spreadsheet turned into
a float (2.635e+19) has lost digits and is refused.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import DomainError
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.core.spreadsheets import MAX_ROWS
from suanpan.invoicing.choices import (
    REQUEST_ISSUABLE_STATUSES,
    BatchKind,
    InvoiceSource,
    RequestStatus,
)
from suanpan.invoicing.errors import PlatformFileInvalid
from suanpan.invoicing.models import Invoice, InvoiceBatch, InvoiceRequest, InvoiceRequestLine
from suanpan.invoicing.selectors.requests import request_visible
from suanpan.invoicing.services.invoices import IssueInput, invoice_issue
from suanpan.invoicing.services.platform_export import (
    SERIES,
    _zip_check,
    column_for,
    header_key,
)
from suanpan.invoicing.services.platform_xlsx import Book, WorkbookUnreadable
from suanpan.invoicing.services.requests import SERIES as REQUEST_SERIES
from suanpan.ledger.services import business_dates_require
from suanpan.sales.services import orders_lock_for_invoicing
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

IMPORT_PERMISSION = "invoicing.add_invoicebatch"
ISSUE_PERMISSION = "invoicing.issue_invoice"
MATCH_WINDOW_DAYS = 15
MAX_XML_BYTES = 2 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
CHUNK = 2000

SHEET_BASIC = "发票基础信息"
SHEET_LINES = "信息汇总表"
NUMBER_HEADERS = ("数电发票号码", "全电发票号码", "发票号码")

_REQUEST_NUMBER = re.compile(rf"{REQUEST_SERIES}-\d{{6}}-\d{{4,}}")
_RED_OF = re.compile(r"被红冲蓝字(?:数电|全电)?发票号码[：:]\s*(\d{20})")
_SERIAL = re.compile(r"^[1-9]\d{4}(\.\d+)?$")
_FLOAT_TEXT = re.compile(r"^\d+(\.\d+)?[eE][+-]?\d+$")

MATCHED = "matched"
UNMATCHED = "unmatched"
RECORDED = "recorded"
RED = "red"
INVALID = "invalid"


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


# --- the failure file -----------------------------------------------------------------------


@dataclass
class FailuresResult:
    batch: InvoiceBatch | None
    failed: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def _failure_rows(data: bytes, name: str) -> list[tuple[int, str, str]]:
    workbook = _workbook(data, name)
    try:
        for sheet in workbook.sheetnames:
            table = _table(workbook, sheet, ("导入失败原因",), name=name)
            if table is None:
                continue
            number_col = table.column("发票流水号")
            reason_col = table.column("导入失败原因", "失败原因")
            if number_col is None:
                raise _file_error(name, _("it has no column 发票流水号."))
            return [
                (
                    row_number,
                    cell_string(_cell(row, number_col)),
                    cell_string(_cell(row, reason_col)),
                )
                for row_number, row in table.rows
            ]
    finally:
        workbook.close()
    raise _file_error(
        name,
        _(
            "no sheet has the columns 发票流水号 and 导入失败原因 in its first ten rows; "
            "is it the platform's failure file?"
        ),
    )


@audited
@transaction.atomic
def failures_import(*, data: bytes, filename: str, actor: User) -> FailuresResult:
    """Mark each request the failure file names failed, with the platform's reason. Every
    流水号 must be an exported (or already failed) request: otherwise nothing is written and
    the unknown ones are listed."""
    permission_require(actor, IMPORT_PERMISSION)
    rows = _failure_rows(data, filename)
    reasons: dict[str, list[str]] = {}
    for _row, number, reason in rows:
        if number:
            reasons.setdefault(number, [])
            if reason and reason not in reasons[number]:
                reasons[number].append(reason)
    if not reasons:
        raise _file_error(filename, _("it names no 发票流水号."))
    found = {
        request.number: request
        for request in for_update(
            InvoiceRequest.objects.filter(
                pk__in=request_visible(user=actor).filter(number__in=list(reasons)).values("pk")
            )
        ).order_by("pk")
    }
    unknown = sorted(set(reasons) - set(found))
    if unknown:
        raise _file_error(
            filename,
            _("these 流水号 are not requests of this company: %(numbers)s. Nothing was recorded.")
            % {"numbers": ", ".join(unknown)},
        )
    wrong = [
        f"{request.number} ({request.get_status_display()})"
        for request in found.values()
        if request.status not in (RequestStatus.EXPORTED, RequestStatus.FAILED)
    ]
    if wrong:
        raise _file_error(
            filename,
            _(
                "these requests were not sent to the tax platform: %(numbers)s. Nothing was recorded."
            )
            % {"numbers": ", ".join(wrong)},
        )
    batch = InvoiceBatch.objects.create(
        number=number_next(series=SERIES, period=timezone.localdate().strftime("%Y%m")),
        kind=BatchKind.FAILURES,
        file_name=filename[:255],
        row_count=len(rows),
        failed_count=len(found),
        created_by=actor,
    )
    result = FailuresResult(batch=batch)
    for number, request in sorted(found.items(), key=lambda item: item[1].pk):
        reason = "；".join(reasons[number]) or _("The tax platform gave no reason.")
        request.status = RequestStatus.FAILED
        request.failure_reason = reason[:500]
        request.save(update_fields=["status", "failure_reason", "updated_at"])
        result.failed.append((number, reason))
    return result


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


@dataclass
class IssuedReport:
    filename: str
    kind: str
    rows: list[IssuedRow] = field(default_factory=list)
    batch: InvoiceBatch | None = None
    recorded: int = 0

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def matched(self) -> list[IssuedRow]:
        return [row for row in self.rows if row.status == MATCHED]

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "batch": self.batch.number if self.batch else None,
            "recorded": self.recorded,
            "counts": {
                status: self.count(status)
                for status in (MATCHED, UNMATCHED, RECORDED, RED, INVALID)
            },
            "rows": [
                {
                    "row": row.row,
                    "number": row.number,
                    "issued_on": row.issued_on.isoformat() if row.issued_on else None,
                    "buyer_tax_number": row.buyer_tax_number,
                    "gross": str(row.gross) if row.gross is not None else None,
                    "status": row.status,
                    "request": row.request_number or None,
                    "matched_by": row.matched_by or None,
                    "differences": row.findings,
                    "message": row.message,
                }
                for row in self.rows
            ],
        }


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


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _differences(row: IssuedRow, request: InvoiceRequest, lines: Sequence[Any]) -> list[str]:
    """What the platform issued differently from the request, one sentence each."""
    findings = []
    if row.gross is not None and row.gross != request.gross_amount:
        findings.append(
            _("Total %(issued)s issued, %(requested)s requested.")
            % {"issued": _money(row.gross), "requested": _money(request.gross_amount)}
        )
    if row.tax is not None and row.tax != request.tax_amount:
        findings.append(
            _("Tax %(issued)s issued, %(requested)s requested.")
            % {"issued": _money(row.tax), "requested": _money(request.tax_amount)}
        )
    if row.buyer_tax_number and row.buyer_tax_number != request.buyer_tax_number.upper():
        findings.append(
            _("Buyer taxpayer number %(issued)s issued, %(requested)s requested.")
            % {"issued": row.buyer_tax_number, "requested": request.buyer_tax_number or "—"}
        )
    if row.lines is not None:
        expected = list(lines)
        discounts = any(line.discount_amount for line in expected)
        if not discounts and len(row.lines) != len(expected):
            findings.append(
                _("%(issued)s lines issued, %(requested)s requested.")
                % {"issued": len(row.lines), "requested": len(expected)}
            )
        elif not discounts:
            for position, (issued, wanted) in enumerate(
                zip(row.lines, expected, strict=True), start=1
            ):
                if issued.net is not None and issued.net != wanted.net_amount:
                    findings.append(
                        _("Line %(position)s: amount %(issued)s issued, %(requested)s requested.")
                        % {
                            "position": position,
                            "issued": _money(issued.net),
                            "requested": _money(wanted.net_amount),
                        }
                    )
                if issued.tax is not None and issued.tax != wanted.tax_amount:
                    findings.append(
                        _("Line %(position)s: tax %(issued)s issued, %(requested)s requested.")
                        % {
                            "position": position,
                            "issued": _money(issued.tax),
                            "requested": _money(wanted.tax_amount),
                        }
                    )
    return findings


def match_rows(rows: list[IssuedRow], *, user: User) -> None:
    """Decide each row: recorded already, red, invalid, matched to a request, or unmatched.
    A handful of queries for the whole file, whatever its size."""
    numbers = [row.number for row in rows if row.number]
    existing: set[str] = set()
    for chunk in _chunks(numbers):
        existing.update(
            Invoice.objects.filter(code="", number__in=list(chunk)).values_list("number", flat=True)
        )
    visible = request_visible(user=user)
    wanted_numbers = sorted(
        {found for row in rows for found in _REQUEST_NUMBER.findall(row.remarks)}
    )
    by_number: dict[str, InvoiceRequest] = {}
    for chunk in _chunks(wanted_numbers):
        for named in visible.filter(number__in=list(chunk)).select_related("batch"):
            by_number[named.number] = named
    tax_numbers = sorted({row.buyer_tax_number for row in rows if row.buyer_tax_number})
    by_buyer: dict[tuple[str, Decimal], list[InvoiceRequest]] = {}
    for chunk in _chunks(tax_numbers):
        for exported in (
            visible.filter(
                status=RequestStatus.EXPORTED,
                buyer_tax_number__in=list(chunk),
                batch__isnull=False,
            )
            .select_related("batch")
            .order_by("pk")
        ):
            key = (exported.buyer_tax_number.upper(), exported.gross_amount)
            by_buyer.setdefault(key, []).append(exported)
    claimed: dict[int, IssuedRow] = {}
    seen_numbers: set[str] = set()
    # Checked once per date: a file of 50,000 invoices has a few dozen dates.
    date_problems: dict[datetime.date, str] = {}
    for row in rows:
        if not row.number:
            row.status, row.message = INVALID, _("No invoice number.")
            continue
        if row.number in existing:
            row.status, row.message = RECORDED, _("Already recorded; skipped.")
            continue
        if row.number in seen_numbers:
            row.status, row.message = INVALID, _("The number appears twice in the file.")
            continue
        seen_numbers.add(row.number)
        if not row.blue:
            found = _RED_OF.search(row.remarks)
            row.red_of = found.group(1) if found else ""
            row.status = RED
            row.message = (
                _("Red invoice reversing %(number)s: record it through the red-letter form.")
                % {"number": row.red_of}
                if row.red_of
                else _("Red invoice: record it through the red-letter form.")
            )
            continue
        if row.issued_on is None:
            row.status, row.message = INVALID, _("No issue date that can be read.")
            continue
        if len(row.number) != 20 or not row.number.isdigit():
            row.status = INVALID
            row.message = _("A digital invoice number is 20 digits; %(number)s is not.") % {
                "number": row.number
            }
            continue
        request: InvoiceRequest | None = None
        for found_number in _REQUEST_NUMBER.findall(row.remarks):
            if found_number in by_number:
                request = by_number[found_number]
                row.matched_by = "remarks"
                break
        if request is None and row.buyer_tax_number and row.gross is not None:
            candidates = [
                candidate
                for candidate in by_buyer.get((row.buyer_tax_number, row.gross), [])
                if candidate.batch is not None
                and abs((row.issued_on - timezone.localdate(candidate.batch.created_at)).days)
                <= MATCH_WINDOW_DAYS
                and candidate.pk not in claimed
            ]
            if len(candidates) == 1:
                request, row.matched_by = candidates[0], "buyer"
            elif len(candidates) > 1:
                row.message = _(
                    "%(count)s exported requests have this buyer and total; note the request "
                    "number in 备注 or record it on the request."
                ) % {"count": len(candidates)}
        if request is None:
            row.status = UNMATCHED
            row.message = row.message or _("No request matches this invoice.")
            continue
        if request.status not in REQUEST_ISSUABLE_STATUSES:
            row.status = UNMATCHED
            row.request = request
            row.message = _("Request %(number)s is %(status)s.") % {
                "number": request.number,
                "status": request.get_status_display(),
            }
            continue
        if request.pk in claimed:
            row.status = UNMATCHED
            row.message = _("Request %(number)s is matched by row %(row)s already.") % {
                "number": request.number,
                "row": claimed[request.pk].row,
            }
            continue
        if row.issued_on not in date_problems:
            try:
                business_dates_require({"issued_on": row.issued_on})
                date_problems[row.issued_on] = ""
            except DomainError as exc:
                date_problems[row.issued_on] = str(exc.message)
        if date_problems[row.issued_on]:
            row.status, row.message = INVALID, date_problems[row.issued_on]
            continue
        claimed[request.pk] = row
        row.request = request
        row.status = MATCHED
    _findings(rows)


def _findings(rows: list[IssuedRow]) -> None:
    matched = [row for row in rows if row.status == MATCHED and row.request is not None]
    lines_by_request: dict[int, list[Any]] = {}
    if any(row.lines is not None for row in matched):
        ids = [row.request.pk for row in matched if row.lines is not None and row.request]
        for chunk in _chunks(ids):
            for line in InvoiceRequestLine.objects.filter(request_id__in=list(chunk)).order_by(
                "request_id", "position"
            ):
                lines_by_request.setdefault(line.request_id, []).append(line)
    for row in matched:
        if row.request is None:
            continue
        row.findings = _differences(row, row.request, lines_by_request.get(row.request.pk, []))


def _record(report: IssuedReport, *, actor: User, kind: str) -> None:
    """Record every matched row through invoice_issue, in request order, in one batch."""
    matched = sorted(report.matched, key=lambda row: row.request.pk if row.request else 0)
    if not matched:
        return
    # The requests first, in id order, then every order they bill: the batch holds them all
    # before its first posting takes a month, as the lock order wants (docs/locking.md).
    requests = list(
        for_update(
            InvoiceRequest.objects.filter(pk__in=[row.request.pk for row in matched if row.request])
        ).order_by("pk")
    )
    orders_lock_for_invoicing(
        order_ids=sorted({request.order_id for request in requests if request.order_id})
    )
    batch = InvoiceBatch.objects.create(
        number=number_next(series=SERIES, period=timezone.localdate().strftime("%Y%m")),
        kind=kind,
        file_name=report.filename[:255],
        row_count=len(report.rows),
        matched_count=len(matched),
        failed_count=report.count(UNMATCHED) + report.count(INVALID),
        notes=_("%(recorded)s recorded, %(skipped)s already recorded, %(red)s red.")
        % {
            "recorded": len(matched),
            "skipped": report.count(RECORDED),
            "red": report.count(RED),
        },
        created_by=actor,
    )
    source = InvoiceSource.XML if kind == BatchKind.XML else InvoiceSource.ISSUED_EXPORT
    for row in matched:
        if row.request is None or row.issued_on is None:
            continue
        invoice_issue(
            request=row.request,
            data=IssueInput(
                number=row.number,
                issued_on=row.issued_on,
                drawer=row.drawer,
                differences="\n".join(row.findings),
                source=source,
                batch=batch,
            ),
            actor=actor,
        )
    report.batch = batch
    report.recorded = len(matched)


@audited
@transaction.atomic
def issued_import(*, data: bytes, filename: str, actor: User, commit: bool = False) -> IssuedReport:
    """Read the platform's issued-invoice export and match each blue invoice to its request; on
    commit, record the matched ones (all or none). Re-importing the same file records nothing
    twice: numbers already recorded are skipped."""
    permission_require(actor, ISSUE_PERMISSION)
    permission_require(actor, IMPORT_PERMISSION)
    rows = _issued_rows(data, filename)
    report = IssuedReport(filename=filename, kind=BatchKind.ISSUED, rows=rows)
    match_rows(rows, user=actor)
    if commit:
        _record(report, actor=actor, kind=BatchKind.ISSUED)
    return report


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


_TYPE_CODES = {"01": "e_special", "02": "e_normal"}


@audited
@transaction.atomic
def xml_import(*, data: bytes, filename: str, actor: User, commit: bool = False) -> IssuedReport:
    """One 数电 XML invoice, matched and recorded like a row of the issued export."""
    permission_require(actor, ISSUE_PERMISSION)
    permission_require(actor, IMPORT_PERMISSION)
    row = _xml_row(data, filename)
    report = IssuedReport(filename=filename, kind=BatchKind.XML, rows=[row])
    match_rows(report.rows, user=actor)
    if row.status == MATCHED and row.request is not None:
        wanted = _TYPE_CODES.get(row.type_code)
        if wanted and wanted != row.request.invoice_type:
            row.findings.append(
                _("Invoice type %(issued)s issued, %(requested)s requested.")
                % {
                    "issued": "专票" if row.type_code == "01" else "普票",
                    "requested": row.request.get_invoice_type_display(),
                }
            )
    if commit:
        _record(report, actor=actor, kind=BatchKind.XML)
    return report


def report_rows(report: IssuedReport, statuses: Iterable[str]) -> list[IssuedRow]:
    wanted = set(statuses)
    return [row for row in report.rows if row.status in wanted]
