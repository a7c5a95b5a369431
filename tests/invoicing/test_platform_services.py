"""The tax-platform round trip: the batch workbook out (generated and into a template), the
failure file, the issued-invoice export and 数电 XML back in."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from suanpan.core.errors import DomainError, PermissionDeniedError
from suanpan.invoicing.choices import BatchKind, InvoiceSource, RequestStatus
from suanpan.invoicing.errors import PlatformFileInvalid, RequestNotInStatus
from suanpan.invoicing.models import Invoice, InvoiceBatch
from suanpan.invoicing.services import (
    batch_export,
    failures_import,
    issued_import,
    xml_import,
)
from suanpan.invoicing.services.platform_export import template_columns
from suanpan.invoicing.services.platform_files import FloatNumber, number_text
from suanpan.ledger.selectors import vouchers_for_source
from tests.factories import UserFactory
from tests.invoicing.platform_support import (
    approved_request,
    blue_row,
    einvoice_xml,
    failure_file,
    issued_export,
    official_like_template,
    sheet_rows,
)
from tests.invoicing.support import invoice_number, request_for, shipped_order

pytestmark = pytest.mark.django_db
D = Decimal


def _exported(clerk, approver, count=1, **order):
    requests = [approved_request(maker=clerk, approver=approver, **order) for _ in range(count)]
    data, batch = batch_export(request_ids=[r.pk for r in requests], actor=approver)
    for request in requests:
        request.refresh_from_db()
    return requests, data, batch


# --- export ----------------------------------------------------------------------------------


def test_generated_workbook_has_the_template_shape_and_text_cells(delivery_books, clerk, approver):
    first = approved_request(maker=clerk, approver=approver)
    second = approved_request(
        maker=clerk, approver=approver, lines=[("2", "56.50"), ("3", "113.00")]
    )
    data, batch = batch_export(request_ids=[first.pk, second.pk], actor=approver)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [
        "1-发票基本信息",
        "2-发票明细信息",
        "3-特定业务信息",
        "4-附加要素信息",
        "excelVersion",
    ]
    assert workbook["excelVersion"]["A4"].value == "pt:20260401"
    assert workbook["excelVersion"].sheet_state == "hidden"
    invoices = workbook["1-发票基本信息"]
    headers = [cell.value for cell in invoices[3]]
    assert headers[:4] == ["发票流水号", "发票类型", "特定业务类型", "是否含税"]
    assert len(headers) == len([c for c in template_columns() if c.sheet == "1-发票基本信息"])
    assert invoices["A2"].value.startswith("必填")
    row = {headers[i]: cell for i, cell in enumerate(invoices[4]) if headers[i]}
    assert row["发票流水号"].value == first.number
    assert row["发票类型"].value == "增值税专用发票"
    assert row["是否含税"].value == "是"
    assert row["受票方自然人标识"].value == "否"
    assert row["购买方纳税人识别号"].value == first.buyer_tax_number
    assert row["备注"].value.startswith(first.number)
    assert all(
        cell.data_type == "s" and cell.number_format == "@" for cell in row.values() if cell.value
    )
    assert invoices["A5"].value == second.number
    assert invoices["A6"].value is None
    lines = workbook["2-发票明细信息"]
    line_headers = [cell.value for cell in lines[3]]
    detail = [
        {line_headers[i]: c for i, c in enumerate(r) if line_headers[i]}
        for r in lines.iter_rows(min_row=4)
    ]
    detail = [r for r in detail if r["发票流水号"].value]
    assert [r["发票流水号"].value for r in detail] == [first.number, second.number, second.number]
    line = detail[0]
    assert line["税率"].value == "0.13"
    assert line["金额"].value == "1130.00"
    assert line["数量"].value == "10"
    assert line["单价"].value == "113"
    assert line["商品和服务税收编码"].value == first.lines.get().tax_code
    assert line["商品和服务税收编码"].data_type == "s"
    assert all(c.number_format == "@" for c in line.values() if c.value)
    assert detail[1]["金额"].value == "113.00"
    first.refresh_from_db()
    assert first.status == RequestStatus.EXPORTED
    assert first.batch == batch
    assert batch.kind == BatchKind.EXPORT
    assert batch.number.startswith("PC-")
    assert batch.row_count == 2
    assert batch.file_name.endswith(".xlsx")


def test_template_is_filled_by_header_text_and_other_sheets_kept(delivery_books, clerk, approver):
    request = approved_request(maker=clerk, approver=approver)
    data, _batch = batch_export(
        request_ids=[request.pk], template=official_like_template(), actor=approver
    )
    workbook = load_workbook(io.BytesIO(data))
    assert "sfzjlx" in workbook.sheetnames
    assert workbook["sfzjlx"].sheet_state == "hidden"
    assert workbook["excelVersion"]["A4"].value == "pt:20260401"
    invoices = sheet_rows(data, "1-发票基本信息")
    assert invoices[2][0] == "*发票流水号"
    assert invoices[3][0] == request.number  # the example row is replaced
    assert invoices[3][3] == "是"
    assert len([r for r in invoices[3:] if r[0]]) == 1
    lines = sheet_rows(data, "2-发票明细信息")
    assert lines[3][0] == request.number
    assert lines[3][2] == request.lines.get().tax_code  # under the header with its note
    assert lines[3][8] == "0.13"


def test_template_without_the_sheets_is_refused(delivery_books, clerk, approver):
    request = approved_request(maker=clerk, approver=approver)
    workbook = Workbook()
    output = io.BytesIO()
    workbook.save(output)
    with pytest.raises(PlatformFileInvalid):
        batch_export(request_ids=[request.pk], template=output.getvalue(), actor=approver)
    with pytest.raises(PlatformFileInvalid):
        batch_export(request_ids=[request.pk], template=b"not a zip", actor=approver)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert not InvoiceBatch.objects.exists()


def test_export_refuses_pending_requests_and_unknown_ids(delivery_books, clerk, approver):
    pending = request_for(shipped_order(actor=clerk), actor=clerk)
    with pytest.raises(RequestNotInStatus):
        batch_export(request_ids=[pending.pk], actor=approver)
    with pytest.raises(PlatformFileInvalid):
        batch_export(request_ids=[999999], actor=approver)
    with pytest.raises(PlatformFileInvalid):
        batch_export(request_ids=[], actor=approver)
    assert not InvoiceBatch.objects.exists()


def test_export_refuses_a_file_over_the_line_limit(delivery_books, clerk, approver, monkeypatch):
    from suanpan.invoicing.services import platform_export

    monkeypatch.setattr(platform_export, "MAX_FILE_LINES", 2)
    request = approved_request(
        maker=clerk, approver=approver, lines=[("1", "10.00"), ("1", "10.00"), ("1", "10.00")]
    )
    with pytest.raises(PlatformFileInvalid, match="at most 2"):
        batch_export(request_ids=[request.pk], actor=approver)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED


def test_export_rechecks_requests(delivery_books, clerk, approver):
    request = approved_request(maker=clerk, approver=approver)
    request.lines.update(tax_code="123")
    with pytest.raises(PlatformFileInvalid, match=request.number):
        batch_export(request_ids=[request.pk], actor=approver)


def test_export_needs_the_permission(delivery_books, clerk, approver, seller):
    request = approved_request(maker=clerk, approver=approver)
    with pytest.raises(PermissionDeniedError):
        batch_export(request_ids=[request.pk], actor=seller)


# --- failure file ------------------------------------------------------------------------------


def test_failure_file_marks_requests_failed_and_they_go_out_again(delivery_books, clerk, approver):
    (first, second), _data, _batch = _exported(clerk, approver, count=2)
    reason = "第4行税率不合法，请使用如下税率：0.03、0.01、0。"
    result = failures_import(
        data=failure_file([(first.number, reason)]), filename="失败明细.xlsx", actor=approver
    )
    assert result.failed == [(first.number, reason)]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RequestStatus.FAILED
    assert first.failure_reason == reason
    assert second.status == RequestStatus.EXPORTED
    assert result.batch.kind == BatchKind.FAILURES
    _data, again = batch_export(request_ids=[first.pk], actor=approver)
    first.refresh_from_db()
    assert first.status == RequestStatus.EXPORTED
    assert first.failure_reason == ""
    assert first.batch == again


def test_failure_file_with_an_unknown_number_writes_nothing(delivery_books, clerk, approver):
    (request,), _data, _batch = _exported(clerk, approver)
    with pytest.raises(PlatformFileInvalid, match="KP-000000-9999"):
        failures_import(
            data=failure_file([(request.number, "错"), ("KP-000000-9999", "错")]),
            filename="f.xlsx",
            actor=approver,
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPORTED
    assert not InvoiceBatch.objects.filter(kind=BatchKind.FAILURES).exists()


def test_failure_file_without_its_columns_is_refused(delivery_books, approver):
    workbook = Workbook()
    workbook.active.append(["流水", "原因"])
    output = io.BytesIO()
    workbook.save(output)
    with pytest.raises(PlatformFileInvalid, match="导入失败原因"):
        failures_import(data=output.getvalue(), filename="f.xlsx", actor=approver)
    with pytest.raises(PlatformFileInvalid):
        failures_import(data=b"", filename="f.xlsx", actor=approver)


# --- issued export -----------------------------------------------------------------------------


def test_issued_export_dry_run_reports_and_writes_nothing(delivery_books, clerk, approver):
    (by_remarks, different), _data, _batch = _exported(clerk, approver, count=2)
    other = approved_request(maker=clerk, approver=approver)  # approved, never exported
    today = timezone.localdate()
    numbers = [invoice_number() for _ in range(4)]
    rows = [
        blue_row(by_remarks, numbers[0], issued_on=today, remarks=f"订单 {by_remarks.number}"),
        blue_row(different, numbers[1], issued_on=today, gross=D("1129.99"), tax=D("129.99")),
        {**blue_row(other, numbers[2], issued_on=today, remarks="无关"), "价税合计": "77.00"},
        {
            **blue_row(
                by_remarks, numbers[3], issued_on=today, gross=D("-1130.00"), tax=D("-130.00")
            ),
            "是否正数发票": "否",
            "备注": f"被红冲蓝字数电发票号码：{numbers[0]} 红字发票信息确认单编号：1",
        },
    ]
    report = issued_import(data=issued_export(rows), filename="发票.xlsx", actor=approver)
    found = {row.number: row for row in report.rows}
    assert found[numbers[0]].status == "matched"
    assert found[numbers[0]].request == by_remarks
    assert found[numbers[0]].matched_by == "remarks"
    assert found[numbers[0]].findings == []
    assert found[numbers[1]].status == "matched"
    assert found[numbers[1]].request == different
    assert any("1,129.99" in finding for finding in found[numbers[1]].findings)
    assert any("129.99" in finding for finding in found[numbers[1]].findings[1:])
    assert found[numbers[2]].status == "unmatched"
    assert found[numbers[3]].status == "red"
    assert numbers[0] in found[numbers[3]].message
    assert report.as_dict()["counts"] == {
        "matched": 2,
        "unmatched": 1,
        "recorded": 0,
        "red": 1,
        "invalid": 0,
    }
    assert not Invoice.objects.exists()
    assert not InvoiceBatch.objects.filter(kind=BatchKind.ISSUED).exists()


def test_issued_export_fallback_match_and_commit(delivery_books, clerk, approver):
    (by_remarks,), _d, _b = _exported(clerk, approver)
    (by_buyer,), _d, _b = _exported(clerk, approver, lines=[("5", "113.00")])
    (different,), _d, _b = _exported(clerk, approver, lines=[("2", "113.00")])
    today = timezone.localdate()
    numbers = [invoice_number() for _ in range(4)]
    rows = [
        blue_row(by_remarks, numbers[0], issued_on=today),
        blue_row(by_buyer, numbers[1], issued_on=today, remarks="客户自提"),
        blue_row(different, numbers[2], issued_on=today, gross=D("227.00"), tax=D("27.00")),
        {**blue_row(by_remarks, numbers[3], issued_on=today, remarks="无"), "价税合计": "1.00"},
    ]
    lines = [
        {
            "数电发票号码": numbers[0],
            "货物或应税劳务名称": "*商品*x",
            "金额": "1000.00",
            "税额": "130.00",
        },
        {
            "数电发票号码": numbers[0],
            "货物或应税劳务名称": "*商品*y",
            "金额": "0.00",
            "税额": "0.00",
        },
    ]
    data = issued_export(rows, lines)
    report = issued_import(data=data, filename="发票.xlsx", actor=approver)
    by_number = {row.number: row for row in report.rows}
    assert by_number[numbers[1]].status == "matched"
    assert by_number[numbers[1]].matched_by == "buyer"
    assert by_number[numbers[1]].request == by_buyer
    assert any("2 lines issued, 1 requested" in f for f in by_number[numbers[0]].findings)
    assert by_number[numbers[2]].findings
    assert by_number[numbers[3]].status == "unmatched"
    report = issued_import(data=data, filename="发票.xlsx", actor=approver, commit=True)
    assert report.recorded == 3
    batch = report.batch
    assert batch.kind == BatchKind.ISSUED
    assert batch.matched_count == 3
    assert batch.failed_count == 1
    invoice = Invoice.objects.get(number=numbers[1])
    assert invoice.request == by_buyer
    assert invoice.source == InvoiceSource.ISSUED_EXPORT
    assert invoice.batch == batch
    assert invoice.drawer == "王会计"
    assert isinstance(invoice.number, str) and len(invoice.number) == 20
    assert vouchers_for_source(
        source_type="invoicing.invoice", source_ids=[str(invoice.pk)]
    ).exists()
    differing = Invoice.objects.get(number=numbers[2])
    assert "227.00" in differing.differences
    by_buyer.refresh_from_db()
    assert by_buyer.status == RequestStatus.ISSUED
    # Importing the same file again records nothing twice.
    again = issued_import(data=data, filename="发票.xlsx", actor=approver, commit=True)
    assert again.recorded == 0
    assert again.count("recorded") == 3
    assert Invoice.objects.count() == 3


def test_fallback_refuses_ambiguous_candidates(delivery_books, clerk, approver):
    (first, _second), _d, _b = _exported(clerk, approver, count=2)
    row = blue_row(first, invoice_number(), issued_on=timezone.localdate(), remarks="")
    report = issued_import(data=issued_export([row]), filename="f.xlsx", actor=approver)
    assert report.rows[0].status == "unmatched"
    assert "2 exported requests" in report.rows[0].message


def test_float_mangled_numbers_are_refused(delivery_books, clerk, approver):
    (request,), _d, _b = _exported(clerk, approver)
    row = blue_row(request, "x", issued_on=timezone.localdate())
    row["数电发票号码"] = 2.6352000000012346e19
    with pytest.raises(PlatformFileInvalid, match="lost"):
        issued_import(data=issued_export([row]), filename="f.xlsx", actor=approver)
    row["数电发票号码"] = "2.6352E+19"
    with pytest.raises(PlatformFileInvalid, match="lost"):
        issued_import(data=issued_export([row]), filename="f.xlsx", actor=approver)


def test_number_cells_read_as_text(delivery_books):
    assert number_text(12345678) == "12345678"
    assert number_text(" 0263 5000 ") == "02635000"
    with pytest.raises(FloatNumber):
        number_text(2.6352e19)
    with pytest.raises(FloatNumber):
        number_text("2.6352E+19")


def test_older_header_and_leading_zeros(delivery_books, clerk, approver):
    (request,), _d, _b = _exported(clerk, approver)
    number = "0" + invoice_number()[1:]
    row = blue_row(request, number, issued_on=timezone.localdate())
    report = issued_import(
        data=issued_export([row], number_header="全电发票号码"),
        filename="f.xlsx",
        actor=approver,
        commit=True,
    )
    assert report.recorded == 1
    assert Invoice.objects.get().number == number


def test_malformed_issued_files_are_refused(delivery_books, approver):
    for data in (b"", b"PK\x03\x04broken", b"plain text"):
        with pytest.raises(PlatformFileInvalid):
            issued_import(data=data, filename="f.xlsx", actor=approver)
    workbook = Workbook()
    workbook.active.append(["a", "b"])
    output = io.BytesIO()
    workbook.save(output)
    with pytest.raises(PlatformFileInvalid, match="发票基础信息"):
        issued_import(data=output.getvalue(), filename="f.xlsx", actor=approver)


def test_commit_is_all_or_nothing(delivery_books, clerk, approver, monkeypatch):
    (first, second), _d, _b = _exported(clerk, approver, count=2)
    today = timezone.localdate()
    data = issued_export(
        [
            blue_row(first, invoice_number(), issued_on=today),
            blue_row(second, invoice_number(), issued_on=today),
        ]
    )
    from suanpan.invoicing.services import platform_imports

    calls = []
    real = platform_imports.invoice_issue

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise DomainError("boom")
        return real(**kwargs)

    monkeypatch.setattr(platform_imports, "invoice_issue", failing)
    with pytest.raises(DomainError):
        issued_import(data=data, filename="f.xlsx", actor=approver, commit=True)
    assert not Invoice.objects.exists()
    assert not InvoiceBatch.objects.filter(kind=BatchKind.ISSUED).exists()
    first.refresh_from_db()
    assert first.status == RequestStatus.EXPORTED


def test_issued_import_needs_the_issue_permission(delivery_books, seller):
    with pytest.raises(PermissionDeniedError):
        issued_import(data=issued_export([]), filename="f.xlsx", actor=seller)


# --- XML ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("namespace", [None, "http://www.chinatax.gov.cn/eInvoice"])
def test_xml_matched_and_recorded(delivery_books, clerk, approver, namespace):
    (request,), _d, _b = _exported(clerk, approver)
    number = invoice_number()
    data = einvoice_xml(request, number, issued_on=timezone.localdate(), namespace=namespace)
    report = xml_import(data=data, filename="dzfp.xml", actor=approver)
    row = report.rows[0]
    assert row.status == "matched"
    assert row.request == request
    assert row.findings == []
    assert not Invoice.objects.exists()
    report = xml_import(data=data, filename="dzfp.xml", actor=approver, commit=True)
    invoice = Invoice.objects.get()
    assert invoice.number == number
    assert invoice.source == InvoiceSource.XML
    assert invoice.batch.kind == BatchKind.XML
    assert invoice.issued_on == timezone.localdate()


def test_xml_type_difference_is_flagged(delivery_books, clerk, approver):
    (request,), _d, _b = _exported(clerk, approver)
    data = einvoice_xml(request, invoice_number(), issued_on=timezone.localdate(), label="02")
    row = xml_import(data=data, filename="x.xml", actor=approver).rows[0]
    assert any("普票" in finding for finding in row.findings)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not xml at all",
        b"<Other><a/></Other>",
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><EInvoice>&lol2;</EInvoice>'
        ),
        b"<EInvoice>" + b" " * (3 * 1024 * 1024) + b"</EInvoice>",
    ],
)
def test_hostile_or_malformed_xml_is_refused(delivery_books, approver, data):
    with pytest.raises(PlatformFileInvalid):
        xml_import(data=data, filename="x.xml", actor=approver)


def test_permission_for_imports(delivery_books):
    viewer = UserFactory()
    with pytest.raises(PermissionDeniedError):
        failures_import(data=failure_file([]), filename="f.xlsx", actor=viewer)


def test_workbook_part_with_a_dtd_is_refused(delivery_books, clerk, approver):
    import zipfile

    (request,), _d, _b = _exported(clerk, approver)
    data = issued_export([blue_row(request, invoice_number(), issued_on=timezone.localdate())])
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b"<worksheet",
                    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet',
                    1,
                )
            target.writestr(item, content)
    with pytest.raises(PlatformFileInvalid):
        issued_import(data=output.getvalue(), filename="f.xlsx", actor=approver)
