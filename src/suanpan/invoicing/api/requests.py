"""/api/v1/invoicing/requests: invoice requests through the same services, selectors and
rules as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_AMOUNT, MAX_QUANTITY, query_field
from suanpan.core.listing import PageNumbers
from suanpan.invoicing.calculations.lines import LINE_LIMIT
from suanpan.invoicing.choices import InvoiceType, RequestSource, RequestStatus
from suanpan.invoicing.models import InvoiceRequest
from suanpan.invoicing.selectors import requests as selectors
from suanpan.invoicing.services import invoice_issue
from suanpan.invoicing.services import requests as services
from suanpan.invoicing.services.buyers import BuyerInput
from suanpan.invoicing.services.invoices import IssueInput
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["invoice requests"])


class RequestLineOut(Schema):
    id: int
    position: int
    order_line_id: int | None
    product_id: int | None
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


class BuyerOut(Schema):
    name: str = Field(alias="buyer_name")
    tax_number: str = Field(alias="buyer_tax_number")
    is_person: bool = Field(alias="buyer_is_person")
    address: str = Field(alias="buyer_address")
    phone: str = Field(alias="buyer_phone")
    bank: str = Field(alias="buyer_bank")
    account: str = Field(alias="buyer_account")
    email: str = Field(alias="buyer_email")


class RequestListOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_name: str
    source: RequestSource
    order_id: int | None
    order_number: str | None
    instalment_id: int | None
    delivery_numbers: str
    invoice_type: InvoiceType
    status: RequestStatus
    buyer_name: str
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    requested_by_id: int
    requested_on: date
    created_at: datetime

    @staticmethod
    def resolve_customer_name(obj: InvoiceRequest) -> str:
        return obj.customer.name

    @staticmethod
    def resolve_order_number(obj: InvoiceRequest) -> str | None:
        return obj.order.number if obj.order is not None else None


class RequestOut(RequestListOut):
    buyer: BuyerOut
    price_includes_tax: bool
    remarks: str
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    reject_reason: str
    failure_reason: str
    invoice_id: int | None
    invoice_number: str | None
    lines: list[RequestLineOut]

    @staticmethod
    def resolve_buyer(obj: InvoiceRequest) -> InvoiceRequest:
        return obj

    @staticmethod
    def resolve_lines(obj: InvoiceRequest) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_invoice_id(obj: InvoiceRequest) -> int | None:
        invoice = selectors.request_invoice(request=obj)
        return invoice.pk if invoice is not None else None

    @staticmethod
    def resolve_invoice_number(obj: InvoiceRequest) -> str | None:
        invoice = selectors.request_invoice(request=obj)
        return invoice.number if invoice is not None else None


class BuyerIn(Schema):
    """Fields left out take the customer's invoicing details."""

    name: str = Field("", max_length=100)
    tax_number: str = Field("", max_length=20)
    is_person: bool | None = None
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=60)
    bank: str = Field("", max_length=100)
    account: str = Field("", max_length=60)
    email: str = Field("", max_length=72)


class RequestLineIn(Schema):
    """An order line and a quantity (orders, deliveries), or a typed line (instalments) with
    its amount including tax."""

    order_line_id: int | None = None
    quantity: Decimal | None = Field(None, gt=0, le=MAX_QUANTITY, decimal_places=4)
    item_name: str = Field("", max_length=100)
    tax_code: str = Field("", max_length=19)
    specification: str = Field("", max_length=100)
    unit: str = Field("", max_length=20)
    vat_rate_key: str = Field("", max_length=10)
    amount: Decimal | None = Field(None, gt=0, le=MAX_AMOUNT, decimal_places=2)
    discount: Decimal = Field(Decimal(0), ge=0, le=MAX_AMOUNT, decimal_places=2)


class RequestChangeIn(Schema):
    invoice_type: InvoiceType
    lines: list[RequestLineIn] | None = Field(
        None,
        max_length=LINE_LIMIT,
        description="Omit to request all that remains (orders) or the deliveries' quantities.",
    )
    buyer: BuyerIn | None = Field(None, description="Omit to take the customer's details.")
    remarks: str = Field("", max_length=200)


class RequestIn(RequestChangeIn):
    source: RequestSource
    order_id: int | None = None
    delivery_ids: list[int] = Field(default_factory=list, max_length=100)
    instalment_id: int | None = None
    requested_on: date | None = Field(None, description="Today when omitted.")


class RejectIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class IssueIn(Schema):
    number: str = Field(..., min_length=1, max_length=20)
    issued_on: date
    code: str = Field("", max_length=12, description="Paper invoices only.")
    drawer: str = Field("", max_length=40)


class IssueOut(Schema):
    invoice_id: int
    number: str


class RequestFilters(FilterSchema):
    q: str | None = query_field(description="Request number, buyer name or order number")
    status: RequestStatus | None = None
    customer: int | None = None
    invoice_type: InvoiceType | None = None
    requested_from: date | None = None
    requested_to: date | None = None
    ordering: str | None = query_field(
        description="number, customer, buyer, requested, status, type, amount or created; "
        "prefix - for descending",
    )


def _request(request: HttpRequest, pk: int) -> InvoiceRequest:
    return selectors.request_get(user=request_user(request), pk=pk)


def _lines(lines: list[RequestLineIn] | None) -> tuple[services.RequestLineInput, ...] | None:
    if lines is None:
        return None
    return tuple(services.RequestLineInput(**line.dict()) for line in lines)


def _buyer(buyer: BuyerIn | None) -> BuyerInput:
    return BuyerInput(**buyer.dict()) if buyer is not None else BuyerInput()


@router.get("", response=list[RequestListOut], summary="List invoice requests")
@paginate(PageNumbers, page_size=50)
@api_permission("invoicing.view_invoicerequest")
def request_list(request: HttpRequest, filters: Query[RequestFilters]) -> Any:
    return filtered_rows(
        selectors.request_list(user=request_user(request), filters=filter_params(filters))
    )


@router.get("/{int:pk}", response=RequestOut, summary="Retrieve an invoice request")
@api_permission("invoicing.view_invoicerequest")
def request_get(request: HttpRequest, pk: int) -> Any:
    return _request(request, pk)


@router.post("", response={201: RequestOut}, summary="Raise an invoice request")
@api_permission("invoicing.add_invoicerequest")
def request_create(request: HttpRequest, payload: RequestIn) -> Any:
    made = services.request_create(
        data=services.RequestInput(
            source=payload.source,
            invoice_type=payload.invoice_type,
            order_id=payload.order_id,
            delivery_ids=tuple(payload.delivery_ids),
            instalment_id=payload.instalment_id,
            lines=_lines(payload.lines),
            buyer=_buyer(payload.buyer),
            remarks=payload.remarks,
            requested_on=payload.requested_on,
        ),
        actor=request_user(request),
    )
    return Status(201, _request(request, made.pk))


@router.put("/{int:pk}", response=RequestOut, summary="Change an invoice request")
@api_permission("invoicing.change_invoicerequest")
def request_update(request: HttpRequest, pk: int, payload: RequestChangeIn) -> Any:
    """Replaces type, buyer, remarks and lines of a pending, rejected or failed request; it
    goes back to pending approval. Lines left out keep the request's own."""
    current = _request(request, pk)
    lines = _lines(payload.lines)
    if lines is None:
        lines = tuple(
            services.RequestLineInput(order_line_id=line.order_line_id, quantity=line.quantity)
            if line.order_line_id is not None
            else services.RequestLineInput(
                item_name=line.item_name,
                tax_code=line.tax_code,
                specification=line.specification,
                unit=line.unit,
                quantity=line.quantity,
                vat_rate_key=line.vat_rate_key,
                amount=line.gross_amount + line.discount_amount,
                discount=line.discount_amount,
            )
            for line in current.lines.all()
        )
    services.request_update(
        request=current,
        data=services.RequestInput(
            source=current.source,
            invoice_type=payload.invoice_type,
            lines=lines,
            buyer=_buyer(payload.buyer),
            remarks=payload.remarks,
        ),
        actor=request_user(request),
    )
    return _request(request, pk)


@router.post("/{int:pk}/approve", response=RequestOut, summary="Approve an invoice request")
@api_permission("invoicing.approve_invoicerequest")
def request_approve(request: HttpRequest, pk: int) -> Any:
    services.request_approve(request=_request(request, pk), actor=request_user(request))
    return _request(request, pk)


@router.post("/{int:pk}/reject", response=RequestOut, summary="Reject an invoice request")
@api_permission("invoicing.approve_invoicerequest")
def request_reject(request: HttpRequest, pk: int, payload: RejectIn) -> Any:
    services.request_reject(
        request=_request(request, pk), reason=payload.reason, actor=request_user(request)
    )
    return _request(request, pk)


@router.post("/{int:pk}/cancel", response=RequestOut, summary="Cancel an invoice request")
@api_permission("invoicing.change_invoicerequest")
def request_cancel(request: HttpRequest, pk: int) -> Any:
    services.request_cancel(request=_request(request, pk), actor=request_user(request))
    return _request(request, pk)


@router.post(
    "/{int:pk}/issue",
    response={201: IssueOut},
    summary="Record the invoice issued at the tax platform for an approved request",
)
@api_permission("invoicing.issue_invoice")
def request_issue(request: HttpRequest, pk: int, payload: IssueIn) -> Any:
    invoice = invoice_issue(
        request=_request(request, pk),
        data=IssueInput(
            number=payload.number,
            issued_on=payload.issued_on,
            code=payload.code,
            drawer=payload.drawer,
        ),
        actor=request_user(request),
    )
    return Status(201, {"invoice_id": invoice.pk, "number": invoice.number})
