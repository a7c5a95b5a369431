"""/api/v1/invoicing/invoices: the invoice list and one invoice with its lines, its PDF, an
invoice issued elsewhere entered by hand, and the output VAT report — the same selectors,
services and visibility as the pages."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.catalog.choices import VatRateKey
from suanpan.core.capitals import amount_in_capitals
from suanpan.core.filtering import filter_params, filterset_require_valid
from suanpan.core.limits import MAX_QUANTITY, query_field
from suanpan.core.listing import capped_pagination
from suanpan.invoicing.calculations.lines import LINE_LIMIT
from suanpan.invoicing.choices import InvoiceKind, InvoiceSource, InvoiceStatus, InvoiceType
from suanpan.invoicing.models import Invoice
from suanpan.invoicing.selectors import invoices as selectors
from suanpan.invoicing.selectors.vat_report import VatCell, vat_output_report
from suanpan.invoicing.services.buyers import BuyerInput
from suanpan.invoicing.services.invoice_pdf import invoice_pdf_render
from suanpan.invoicing.services.manual import (
    ManualInvoiceInput,
    ManualLineInput,
    invoice_enter,
)
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["invoices"])
MAX_LINE_AMOUNT = Decimal("9999999999.99")


class InvoiceLineOut(Schema):
    id: int
    position: int
    product_id: int | None
    order_line_id: int | None
    item_name: str
    tax_code: str
    specification: str
    unit: str
    quantity: Decimal | None
    unit_price: Decimal | None
    net_amount: Decimal
    discount_amount: Decimal
    vat_rate_key: str
    vat_rate: Decimal
    tax_amount: Decimal
    gross_amount: Decimal


class InvoiceListOut(Schema):
    id: int
    code: str = Field(description="Paper invoices only; empty for digital (数电) invoices.")
    number: str = Field(description="Text: 20 digits for a digital invoice, 8 on paper.")
    kind: InvoiceKind
    invoice_type: InvoiceType
    status: InvoiceStatus
    source: InvoiceSource
    customer_id: int
    customer: str
    buyer_name: str
    buyer_tax_number: str
    issued_on: date
    first_due_on: date | None
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    posted: bool
    original_id: int | None
    request_id: int | None

    @staticmethod
    def resolve_customer(obj: Invoice) -> str:
        return obj.customer.name


class InvoiceOut(InvoiceListOut):
    buyer_is_person: bool
    buyer_address: str
    buyer_phone: str
    buyer_bank: str
    buyer_account: str
    buyer_email: str
    price_includes_tax: bool
    red_reason: str
    remarks: str
    drawer: str
    differences: str
    voided_on: date | None
    void_reason: str
    gross_in_words: str = Field(description="价税合计 in Chinese capitals (大写).")
    lines: list[InvoiceLineOut]

    @staticmethod
    def resolve_gross_in_words(obj: Invoice) -> str:
        return amount_in_capitals(obj.gross_amount)

    @staticmethod
    def resolve_lines(obj: Invoice) -> list[Any]:
        return selectors.invoice_lines(invoice=obj)


class InvoiceFilters(FilterSchema):
    q: str | None = query_field(description="Invoice number, buyer name or taxpayer number")
    kind: InvoiceKind | None = None
    status: InvoiceStatus | None = None
    invoice_type: InvoiceType | None = None
    customer: int | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    posted: bool | None = None
    ordering: str | None = query_field(
        description="issued, number, buyer, status or amount; prefix - for descending "
        "(default: newest first)",
    )


class ManualLineIn(Schema):
    item_name: str = Field(min_length=1, max_length=100)
    tax_code: str = Field(description="商品和服务税收分类编码, 19 digits.", max_length=19)
    vat_rate_key: VatRateKey
    amount: Decimal = Field(
        gt=0,
        le=MAX_LINE_AMOUNT,
        decimal_places=2,
        description="In the invoice's basis: including tax when prices include tax.",
    )
    quantity: Decimal | None = Field(None, gt=0, le=MAX_QUANTITY, decimal_places=4)
    unit: str = Field("", max_length=20)
    specification: str = Field("", max_length=100)


class ManualInvoiceIn(Schema):
    customer_id: int
    invoice_type: InvoiceType
    number: str = Field(max_length=40, description="Kept as text; spaces are dropped.")
    code: str = Field("", max_length=12, description="Paper invoices only.")
    issued_on: date
    price_includes_tax: bool = True
    buyer_name: str = Field("", max_length=100, description="Blank: the customer's title.")
    buyer_tax_number: str = Field("", max_length=20, description="Blank: the customer's.")
    remarks: str = Field("", max_length=300)
    drawer: str = Field("", max_length=40)
    lines: list[ManualLineIn] = Field(min_length=1, max_length=LINE_LIMIT)


class VatCellOut(Schema):
    net_amount: Decimal
    tax_amount: Decimal
    blue_count: int
    red_count: int


class VatRateCellOut(VatCellOut):
    vat_rate_key: str


class VatMonthOut(Schema):
    month: int
    rates: list[VatRateCellOut]
    total: VatCellOut
    ledger_credit: Decimal | None = Field(
        description="Credits on the output VAT account that month; null without the account."
    )
    difference: Decimal | None


class VatReportOut(Schema):
    year: int
    months: list[VatMonthOut]
    total: VatCellOut
    ledger_credit: Decimal | None
    difference: Decimal | None


def _cell(cell: VatCell, key: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "net_amount": cell.net_amount,
        "tax_amount": cell.tax_amount,
        "blue_count": cell.blue_count,
        "red_count": cell.red_count,
    }
    if key is not None:
        data["vat_rate_key"] = key
    return data


@router.get("", response=list[InvoiceListOut], summary="List invoices")
# The count stops at core.listing.COUNT_CAP: invoices grow without bound.
@paginate(capped_pagination("invoices"))
@api_permission("invoicing.view_invoice")
def invoice_list(request: HttpRequest, filters: Query[InvoiceFilters]) -> Any:
    params = filter_params(filters, flags=("posted",))
    queryset, filterset = selectors.invoice_list(user=request_user(request), filters=params)
    filterset_require_valid(filterset)
    return queryset


@router.get(
    "/vat-report",
    response=VatReportOut,
    summary="Output VAT by rate and month of a year, tied out against the ledger",
)
@api_permission("ledger.view_voucher")
def vat_report(request: HttpRequest, year: int = Query(..., ge=2000, le=2100)) -> Any:
    report = vat_output_report(user=request_user(request), year=year)
    return {
        "year": report.year,
        "months": [
            {
                "month": month.month,
                "rates": [
                    _cell(cell, key)
                    for (key, _label), cell in zip(report.rates, month.cells, strict=True)
                    if cell.blue_count or cell.red_count
                ],
                "total": _cell(month.total),
                "ledger_credit": month.ledger_credit,
                "difference": month.difference,
            }
            for month in report.months
        ],
        "total": _cell(report.total),
        "ledger_credit": report.ledger_credit,
        "difference": report.difference,
    }


@router.get("/{int:pk}", response=InvoiceOut, summary="Retrieve an invoice with its lines")
@api_permission("invoicing.view_invoice")
def invoice_get(request: HttpRequest, pk: int) -> Any:
    return selectors.invoice_get(user=request_user(request), pk=pk)


@router.get(
    "/{int:pk}/pdf",
    summary="The invoice as a PDF copy",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "The invoice in the 数电 layout as an A4 PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
@api_permission("invoicing.view_invoice")
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = selectors.invoice_get(user=request_user(request), pk=pk)
    content = invoice_pdf_render(invoice=invoice, lines=selectors.invoice_lines(invoice=invoice))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice}.pdf"'
    return response


@router.post(
    "",
    response={201: InvoiceOut},
    summary="Record and post an invoice issued elsewhere, without a request",
)
@api_permission("invoicing.issue_invoice")
def invoice_create(request: HttpRequest, payload: ManualInvoiceIn) -> Any:
    actor = request_user(request)
    invoice = invoice_enter(
        data=ManualInvoiceInput(
            customer_id=payload.customer_id,
            invoice_type=payload.invoice_type,
            number=payload.number,
            code=payload.code,
            issued_on=payload.issued_on,
            price_includes_tax=payload.price_includes_tax,
            buyer=BuyerInput(name=payload.buyer_name, tax_number=payload.buyer_tax_number),
            remarks=payload.remarks,
            drawer=payload.drawer,
            lines=tuple(
                ManualLineInput(
                    item_name=line.item_name,
                    tax_code=line.tax_code,
                    vat_rate_key=line.vat_rate_key,
                    amount=line.amount,
                    quantity=line.quantity,
                    unit=line.unit,
                    specification=line.specification,
                )
                for line in payload.lines
            ),
        ),
        actor=actor,
    )
    return Status(201, selectors.invoice_get(user=actor, pk=invoice.pk))
