"""/api/v1/goods-receipts: the same services, selectors and permission rules as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.catalog.types import MAX_PRICE
from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_QUANTITY, PatchSchema, text_field
from suanpan.core.listing import PageNumbers
from suanpan.inventory.api.common import (
    DocumentFilters,
    document_header,
    document_lines,
)
from suanpan.inventory.choices import StockDocumentStatus
from suanpan.inventory.models import GoodsReceipt
from suanpan.inventory.selectors import receipts as receipt_selectors
from suanpan.inventory.services import receipts as receipt_services
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["inventory"])


class ReceiptLineOut(Schema):
    position: int
    product_id: int
    quantity: Decimal
    unit_cost: Decimal
    amount: Decimal


class ReceiptListOut(Schema):
    id: int
    number: str
    warehouse_id: int
    received_on: date
    supplier: str
    status: StockDocumentStatus
    total_amount: Decimal
    created_at: datetime
    posted_at: datetime | None


class ReceiptOut(ReceiptListOut):
    notes: str
    lines: list[ReceiptLineOut]

    @staticmethod
    def resolve_lines(obj: GoodsReceipt) -> list[Any]:
        return list(obj.lines.all())


class ReceiptLineIn(Schema):
    product_id: int
    quantity: Decimal = Field(gt=0, le=MAX_QUANTITY, decimal_places=4)
    unit_cost: Decimal = Field(ge=0, le=MAX_PRICE, decimal_places=6)


class ReceiptIn(Schema):
    warehouse_id: int
    received_on: date
    supplier: str = Field("", max_length=200)
    notes: str = text_field()
    lines: list[ReceiptLineIn] = Field(min_length=1, max_length=500)


class ReceiptPatch(PatchSchema):
    warehouse_id: int | None = None
    received_on: date | None = None
    supplier: str | None = Field(None, max_length=200)
    notes: str | None = text_field(None)
    lines: list[ReceiptLineIn] | None = Field(None, min_length=1, max_length=500)


def _receipt(request: HttpRequest, pk: int) -> GoodsReceipt:
    return receipt_selectors.receipt_get(user=request_user(request), pk=pk)


@router.get("/goods-receipts", response=list[ReceiptListOut], summary="List goods receipts")
@paginate(PageNumbers, page_size=50)
@api_permission("inventory.view_goodsreceipt")
def receipt_list(request: HttpRequest, filters: Query[DocumentFilters]) -> Any:
    return filtered_rows(
        receipt_selectors.receipt_list(user=request_user(request), filters=filter_params(filters))
    )


@router.get("/goods-receipts/{int:pk}", response=ReceiptOut, summary="Retrieve a goods receipt")
def receipt_get(request: HttpRequest, pk: int) -> Any:
    return _receipt(request, pk)


@router.post("/goods-receipts", response={201: ReceiptOut}, summary="Create a draft goods receipt")
def receipt_create(request: HttpRequest, payload: ReceiptIn) -> Any:
    receipt = receipt_services.receipt_create(
        actor=request_user(request),
        data=document_header(payload, exclude_unset=False),
        lines=document_lines(
            payload.lines, current=(), line_input=receipt_services.ReceiptLineInput
        ),
    )
    return Status(201, _receipt(request, receipt.pk))


@router.patch(
    "/goods-receipts/{int:pk}",
    response=ReceiptOut,
    summary="Change a draft goods receipt (lines, when given, replace all lines)",
)
def receipt_update(request: HttpRequest, pk: int, payload: ReceiptPatch) -> Any:
    receipt = _receipt(request, pk)
    lines = document_lines(
        payload.lines, current=receipt.lines.all(), line_input=receipt_services.ReceiptLineInput
    )
    receipt_services.receipt_update(
        actor=request_user(request),
        receipt=receipt,
        data=document_header(payload, exclude_unset=True),
        lines=lines,
    )
    return _receipt(request, pk)


@router.post(
    "/goods-receipts/{int:pk}/post",
    response=ReceiptOut,
    summary="Post a goods receipt: stock in, Dr inventory / Cr payable",
)
def receipt_post(request: HttpRequest, pk: int) -> Any:
    receipt_services.receipt_post(actor=request_user(request), receipt=_receipt(request, pk))
    return _receipt(request, pk)


@router.post(
    "/goods-receipts/{int:pk}/cancel",
    response=ReceiptOut,
    summary="Cancel a goods receipt (a posted one only while its goods are on hand)",
)
def receipt_cancel(request: HttpRequest, pk: int) -> Any:
    receipt_services.receipt_cancel(actor=request_user(request), receipt=_receipt(request, pk))
    return _receipt(request, pk)
