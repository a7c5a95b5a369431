"""/api/v1/receivables/receipts: receipts (收款单), with the same services, selectors and rules
as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_AMOUNT, MAX_ITEMS, column_field, query_field
from suanpan.core.listing import PageNumbers
from suanpan.receivables import selectors, services
from suanpan.receivables.choices import ReceiptMethod, ReceiptStatus
from suanpan.receivables.models import Receipt
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["receipts"])

Amount = Field(..., gt=0, le=MAX_AMOUNT, decimal_places=2)


class CustomerReceiptOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_name: str
    received_on: date
    amount: Decimal
    method: ReceiptMethod
    bank_account_id: int | None
    bill_number: str
    bill_matures_on: date | None
    payer_name: str
    payer_account: str
    reference: str
    notes: str
    status: ReceiptStatus
    cancelled_on: date | None
    cancel_reason: str
    created_at: datetime

    @staticmethod
    def resolve_customer_name(obj: Receipt) -> str:
        return obj.customer.name


class CustomerReceiptDetailOut(CustomerReceiptOut):
    open_amount: Decimal = Field(..., description="What is still unsettled (advance or credit).")


class ReceiptAllocationIn(Schema):
    item_id: int = Field(..., description="An open item the customer owes (an invoice's).")
    amount: Decimal = Amount


class CustomerReceiptIn(Schema):
    customer_id: int
    received_on: date
    amount: Decimal = Amount
    method: ReceiptMethod = ReceiptMethod.BANK_TRANSFER
    bank_account_id: int | None = None
    bill_number: str = column_field(Receipt, "bill_number", "")
    bill_matures_on: date | None = None
    payer_name: str = column_field(Receipt, "payer_name", "")
    payer_account: str = column_field(Receipt, "payer_account", "")
    reference: str = column_field(Receipt, "reference", "")
    notes: str = column_field(Receipt, "notes", "")
    allocations: list[ReceiptAllocationIn] = Field(
        [], max_length=MAX_ITEMS, description="Settle these invoices with the receipt at once."
    )


class CustomerReceiptCancelIn(Schema):
    reason: str = column_field(Receipt, "cancel_reason")
    on: date | None = Field(None, description="The day of the red voucher; today when left out.")


class CustomerReceiptFilters(FilterSchema):
    q: str | None = query_field(description="Receipt number, customer, payer or reference")
    status: ReceiptStatus | None = None
    method: ReceiptMethod | None = None
    customer: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    ordering: str | None = query_field(
        description="received, number, customer, amount or method; prefix - for descending"
    )


def _detail(request: HttpRequest, pk: int) -> Receipt:
    receipt = selectors.receipt_get(user=request_user(request), pk=pk)
    receipt.open_amount = selectors.receipt_open(receipt)["open"]  # type: ignore[attr-defined]
    return receipt


@router.get("", response=list[CustomerReceiptOut], summary="List receipts")
@paginate(PageNumbers, page_size=50)
@api_permission("receivables.view_receipt")
def receipt_list(request: HttpRequest, filters: Query[CustomerReceiptFilters]) -> Any:
    return filtered_rows(
        selectors.receipt_list(user=request_user(request), filters=filter_params(filters))
    )


@router.get("/{int:pk}", response=CustomerReceiptDetailOut, summary="Retrieve a receipt")
@api_permission("receivables.view_receipt")
def receipt_get(request: HttpRequest, pk: int) -> Any:
    return _detail(request, pk)


@router.post(
    "",
    response={201: CustomerReceiptDetailOut},
    summary="Record and post a receipt, settling invoices with it at once",
)
@api_permission("receivables.add_receipt")
def receipt_create(request: HttpRequest, payload: CustomerReceiptIn) -> Any:
    data = payload.dict()
    allocations = tuple(
        services.Allocation(item_id=a["item_id"], amount=a["amount"])
        for a in data.pop("allocations")
    )
    receipt = services.receipt_create(
        data=services.ReceiptInput(**data, allocations=allocations), actor=request_user(request)
    )
    return Status(201, _detail(request, receipt.pk))


@router.post(
    "/{int:pk}/cancel", response=CustomerReceiptDetailOut, summary="Cancel a receipt in red"
)
@api_permission("receivables.cancel_receipt")
def receipt_cancel(request: HttpRequest, pk: int, payload: CustomerReceiptCancelIn) -> Any:
    services.receipt_cancel(
        receipt=selectors.receipt_get(user=request_user(request), pk=pk),
        reason=payload.reason,
        on=payload.on,
        actor=request_user(request),
    )
    return _detail(request, pk)
