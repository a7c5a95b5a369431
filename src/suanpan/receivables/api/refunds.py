"""/api/v1/receivables/refunds: refunds (退款单), with the same services, selectors and rules as
the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_AMOUNT, column_field, query_field
from suanpan.core.listing import PageNumbers
from suanpan.receivables import selectors, services
from suanpan.receivables.choices import ReceiptStatus, RefundMethod
from suanpan.receivables.models import Refund
from suanpan.receivables.selectors.refunds import refund_lines
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["refunds"])


class RefundLineOut(Schema):
    credit_source_type: str
    credit_source_id: str
    credit_label: str
    amount: Decimal


class RefundOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_name: str
    refunded_on: date
    amount: Decimal
    method: RefundMethod
    bank_account_id: int | None
    payee_name: str
    payee_account: str
    reason: str
    status: ReceiptStatus
    cancelled_on: date | None
    cancel_reason: str
    created_at: datetime

    @staticmethod
    def resolve_customer_name(obj: Refund) -> str:
        return obj.customer.name


class RefundDetailOut(RefundOut):
    lines: list[RefundLineOut] = Field(..., description="The credits the refund paid back.")

    @staticmethod
    def resolve_lines(obj: Refund) -> list[Any]:
        return list(refund_lines(obj))


class RefundIn(Schema):
    customer_id: int
    refunded_on: date
    amount: Decimal = Field(..., gt=0, le=MAX_AMOUNT, decimal_places=2)
    reason: str = column_field(Refund, "reason")
    method: RefundMethod = RefundMethod.BANK_TRANSFER
    bank_account_id: int | None = None
    payee_name: str = column_field(Refund, "payee_name", "")
    payee_account: str = column_field(Refund, "payee_account", "")


class RefundCancelIn(Schema):
    reason: str = column_field(Refund, "cancel_reason")
    on: date | None = Field(None, description="The day of the red voucher; today when left out.")


class RefundFilters(FilterSchema):
    q: str | None = query_field(description="Refund number, customer, payee or reason")
    status: ReceiptStatus | None = None
    customer: int | None = None
    refunded_from: date | None = None
    refunded_to: date | None = None
    ordering: str | None = query_field(
        description="refunded, number, customer or amount; prefix - for descending"
    )


@router.get("", response=list[RefundOut], summary="List refunds")
@paginate(PageNumbers, page_size=50)
@api_permission("receivables.view_refund")
def refund_list(request: HttpRequest, filters: Query[RefundFilters]) -> Any:
    return filtered_rows(
        selectors.refund_list(user=request_user(request), filters=filter_params(filters))
    )


@router.get("/{int:pk}", response=RefundDetailOut, summary="Retrieve a refund")
@api_permission("receivables.view_refund")
def refund_get(request: HttpRequest, pk: int) -> Any:
    return selectors.refund_get(user=request_user(request), pk=pk)


@router.post(
    "",
    response={201: RefundDetailOut},
    summary="Record and post a refund of the customer's advances and credits, oldest first",
)
@api_permission("receivables.add_refund")
def refund_create(request: HttpRequest, payload: RefundIn) -> Any:
    refund = services.refund_create(
        data=services.RefundInput(**payload.dict()), actor=request_user(request)
    )
    return Status(201, selectors.refund_get(user=request_user(request), pk=refund.pk))


@router.post("/{int:pk}/cancel", response=RefundDetailOut, summary="Cancel a refund in red")
@api_permission("receivables.cancel_refund")
def refund_cancel(request: HttpRequest, pk: int, payload: RefundCancelIn) -> Any:
    services.refund_cancel(
        refund=selectors.refund_get(user=request_user(request), pk=pk),
        reason=payload.reason,
        on=payload.on,
        actor=request_user(request),
    )
    return selectors.refund_get(user=request_user(request), pk=pk)
