"""Builders for the tax-platform tests: approved requests, a template built from the dataset
columns, the platform's issued export, failure file and 数电 XML, all made in the test."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from suanpan.invoicing.models import InvoiceRequest
from suanpan.invoicing.services import request_approve
from suanpan.users.models import User
from tests.invoicing.support import request_for, shipped_order

COLUMNS_CSV = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "suanpan"
    / "invoicing"
    / "data"
    / "batch_template_columns.csv"
)
BASIC_HEADERS = [
    "序号",
    "发票代码",
    "发票号码",
    "数电发票号码",
    "销方识别号",
    "销方名称",
    "购方识别号",
    "购买方名称",
    "开票日期",
    "金额",
    "税额",
    "价税合计",
    "发票来源",
    "发票票种",
    "发票状态",
    "是否正数发票",
    "发票风险等级",
    "开票人",
    "备注",
]
LINE_HEADERS = ["序号", "数电发票号码", "货物或应税劳务名称", "金额", "税率", "税额", "价税合计"]


def approved_request(*, maker: User, approver: User, **order: Any) -> InvoiceRequest:
    request = request_for(shipped_order(actor=maker, **order), actor=maker)
    return request_approve(request=request, actor=approver)


def official_like_template() -> bytes:
    """A template shaped like the official one: the four sheets with instruction, requirement
    and header rows (headers with the template's line breaks and asterisks), the hidden lists
    and the version sheet, and an example row that must not go out."""
    with COLUMNS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet_name in ("1-发票基本信息", "2-发票明细信息", "3-特定业务信息", "4-附加要素信息"):
        sheet = workbook.create_sheet(sheet_name)
        sheet["A1"] = "填写说明"
        for index, row in enumerate((r for r in rows if r["sheet"] == sheet_name), start=1):
            sheet.cell(row=2, column=index, value=row["row2_text"])
            header = row["header"]
            if header.startswith("("):
                continue
            if row["requirement"] == "required":
                header = f"*{header}"
            if header.endswith("商品和服务税收编码"):
                header = f"{header}\n（请填写19位末级编码）"
            sheet.cell(row=3, column=index, value=header)
        if sheet_name == "1-发票基本信息":
            sheet["A4"] = "示例流水号"
    hidden = workbook.create_sheet("sfzjlx")
    hidden["A1"] = "居民身份证"
    hidden.sheet_state = "hidden"
    version = workbook.create_sheet("excelVersion")
    version["A4"] = "pt:20260401"
    version.sheet_state = "hidden"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def sheet_rows(data: bytes, sheet: str) -> list[list[Any]]:
    workbook = load_workbook(io.BytesIO(data))
    return [list(row) for row in workbook[sheet].iter_rows(values_only=True)]


def issued_export(
    rows: Sequence[dict[str, Any]],
    lines: Sequence[dict[str, Any]] | None = None,
    *,
    number_header: str = "数电发票号码",
) -> bytes:
    """The platform's issued-invoice export: 发票基础信息 and, when given, 信息汇总表."""
    workbook = Workbook()
    basic = workbook.active
    basic.title = "发票基础信息"
    headers = [number_header if h == "数电发票号码" else h for h in BASIC_HEADERS]
    basic.append(headers)
    for index, row in enumerate(rows, start=1):
        values = {"序号": str(index), "发票来源": "电子发票服务平台", "发票状态": "正常", **row}
        basic.append([values.get(h if h != number_header else "数电发票号码") for h in headers])
    if lines is not None:
        sheet = workbook.create_sheet("信息汇总表")
        sheet.append(LINE_HEADERS)
        for index, line in enumerate(lines, start=1):
            sheet.append([{"序号": str(index), **line}.get(h) for h in LINE_HEADERS])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def blue_row(
    request: InvoiceRequest,
    number: str,
    *,
    issued_on: date,
    remarks: str | None = None,
    gross: Decimal | None = None,
    tax: Decimal | None = None,
    buyer: str | None = None,
) -> dict[str, Any]:
    gross = request.gross_amount if gross is None else gross
    tax = request.tax_amount if tax is None else tax
    return {
        "数电发票号码": number,
        "购方识别号": request.buyer_tax_number if buyer is None else buyer,
        "购买方名称": request.buyer_name,
        "开票日期": f"{issued_on:%Y-%m-%d} 10:15:00",
        "金额": f"{gross - tax:.2f}",
        "税额": f"{tax:.2f}",
        "价税合计": f"{gross:.2f}",
        "发票票种": "数电发票（增值税专用发票）",
        "是否正数发票": "是",
        "开票人": "王会计",
        "备注": request.number if remarks is None else remarks,
    }


def failure_file(rows: Sequence[tuple[str, str]], *, title_rows: int = 2) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "失败明细"
    for _ in range(title_rows):
        sheet.append(["批量导入开票失败明细"])
    sheet.append(["发票流水号", "发票类型", "购买方名称", "购买方纳税人识别号", "导入失败原因"])
    for number, reason in rows:
        sheet.append([number, "增值税专用发票", "测试客户有限公司", "", reason])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def einvoice_xml(
    request: InvoiceRequest,
    number: str,
    *,
    issued_on: date,
    namespace: str | None = None,
    remarks: str | None = None,
    label: str = "01",
) -> bytes:
    ns = f' xmlns="{namespace}"' if namespace else ""
    items = "".join(
        f"<IssuItemInformation><ItemName>*商品*{line.item_name}</ItemName>"
        f"<Amount>{line.net_amount:.2f}</Amount><TaxRate>0.13</TaxRate>"
        f"<ComTaxAm>{line.tax_amount:.2f}</ComTaxAm>"
        f"<TaxClassificationCode>{line.tax_code}</TaxClassificationCode></IssuItemInformation>"
        for line in request.lines.order_by("position")
    )
    remark = request.number if remarks is None else remarks
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<EInvoice{ns}>'
        f"<Header><EIid>{number}</EIid><EInvoiceTag>SWEI3500</EInvoiceTag>"
        f"<Version>0.1</Version><InherentLabel><InIssuType><LabelCode>Y</LabelCode>"
        f"</InIssuType><GeneralOrSpecialVAT><LabelCode>{label}</LabelCode>"
        f"<LabelName>增值税专用发票</LabelName></GeneralOrSpecialVAT></InherentLabel></Header>"
        f"<EInvoiceData><SellerInformation><SellerIdNum>91350100M000100Y43</SellerIdNum>"
        f"<SellerName>本公司</SellerName></SellerInformation>"
        f"<BuyerInformation><BuyerIdNum>{request.buyer_tax_number}</BuyerIdNum>"
        f"<BuyerName>{request.buyer_name}</BuyerName></BuyerInformation>"
        f"<BasicInformation><TotalAmWithoutTax>{request.net_amount:.2f}</TotalAmWithoutTax>"
        f"<TotalTaxAm>{request.tax_amount:.2f}</TotalTaxAm>"
        f"<TotalTax-includedAmount>{request.gross_amount:.2f}</TotalTax-includedAmount>"
        f"<Drawer>王会计</Drawer><RequestTime>{issued_on:%Y-%m-%d} 09:00:00</RequestTime>"
        f"</BasicInformation>{items}"
        f"<AdditionalInformation><Remark>{remark}</Remark></AdditionalInformation>"
        f"</EInvoiceData><TaxSupervisionInfo><InvoiceNumber>{number}</InvoiceNumber>"
        f"<IssueTime>{issued_on:%Y-%m-%d} 10:00:00</IssueTime></TaxSupervisionInfo></EInvoice>"
    ).encode()
