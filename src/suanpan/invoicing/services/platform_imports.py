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
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import DomainError
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.invoicing.choices import (
    REQUEST_ISSUABLE_STATUSES,
    BatchKind,
    InvoiceSource,
    RequestStatus,
)
from suanpan.invoicing.models import Invoice, InvoiceBatch, InvoiceRequest, InvoiceRequestLine
from suanpan.invoicing.selectors.requests import request_visible
from suanpan.invoicing.services.invoices import IssueInput, invoice_issue
from suanpan.invoicing.services.platform_export import (
    SERIES,
)
from suanpan.invoicing.services.platform_files import (
    TYPE_CODES,
    UNMATCHED,
    IssuedRow,
    _cell,
    _file_error,
    _issued_rows,
    _table,
    _workbook,
    _xml_row,
    cell_string,
)
from suanpan.invoicing.services.requests import SERIES as REQUEST_SERIES
from suanpan.ledger.services import business_dates_require
from suanpan.sales.services import orders_lock_for_invoicing
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

# --- the failure file -----------------------------------------------------------------------


IMPORT_PERMISSION = "invoicing.add_invoicebatch"
ISSUE_PERMISSION = "invoicing.issue_invoice"
MATCH_WINDOW_DAYS = 15
CHUNK = 2000
_REQUEST_NUMBER = re.compile(rf"{REQUEST_SERIES}-\d{{6}}-\d{{4,}}")
_RED_OF = re.compile(r"被红冲蓝字(?:数电|全电)?发票号码[：:]\s*(\d{20})")
MATCHED = "matched"
RECORDED = "recorded"
RED = "red"
INVALID = "invalid"


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
        wanted = TYPE_CODES.get(row.type_code)
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
