"""/api/v1/receivables/writeoffs: bad-debt write-offs (坏账核销) made by one user and approved
by another, and recoveries of what was written off."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.limits import MAX_AMOUNT, MAX_ITEMS, column_field, query_field
from suanpan.core.listing import PageNumbers
from suanpan.receivables import selectors, services
from suanpan.receivables.choices import WriteOffStatus
from suanpan.receivables.models import Recovery, WriteOff
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["bad debts"])

Amount = Field(..., gt=0, le=MAX_AMOUNT, decimal_places=2)


class WriteOffLineOut(Schema):
    item_id: int
    amount: Decimal
    label: str
    source_type: str
    source_id: str


class WriteOffRecoveryOut(Schema):
    id: int
    number: str
    recovered_on: date
    amount: Decimal
    notes: str


class WriteOffOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_name: str
    written_off_on: date
    amount: Decimal
    recovered_amount: Decimal
    reason: str
    status: WriteOffStatus
    created_by: str
    approved_by: str | None
    created_at: datetime
    reversed_on: date | None
    reverse_reason: str

    @staticmethod
    def resolve_customer_name(obj: WriteOff) -> str:
        return obj.customer.name

    @staticmethod
    def resolve_created_by(obj: WriteOff) -> str:
        return str(obj.created_by)

    @staticmethod
    def resolve_approved_by(obj: WriteOff) -> str | None:
        return str(obj.approved_by) if obj.approved_by_id else None


class WriteOffDetailOut(WriteOffOut):
    lines: list[WriteOffLineOut]
    recoveries: list[WriteOffRecoveryOut]

    @staticmethod
    def resolve_lines(obj: WriteOff) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_recoveries(obj: WriteOff) -> list[Any]:
        return list(obj.recoveries.all())


class WriteOffItemIn(Schema):
    item_id: int = Field(..., description="An open item the customer owes (an invoice's).")
    amount: Decimal = Amount


class WriteOffIn(Schema):
    customer_id: int
    reason: str = column_field(WriteOff, "reason")
    items: list[WriteOffItemIn] = Field(..., min_length=1, max_length=MAX_ITEMS)
    written_off_on: date | None = Field(None, description="Today when left out.")


class WriteOffApproveIn(Schema):
    on: date | None = Field(None, description="The day it is posted; today when left out.")


class WriteOffRecoverIn(Schema):
    amount: Decimal = Amount
    on: date | None = Field(None, description="Today when left out.")
    notes: str = column_field(Recovery, "notes", "")


class WriteOffFilters(Schema):
    q: str | None = query_field(description="Number, customer or reason")
    status: WriteOffStatus | None = None


def _writeoff(request: HttpRequest, pk: int) -> WriteOff:
    return selectors.writeoff_get(user=request_user(request), pk=pk)


@router.get("", response=list[WriteOffOut], summary="List bad-debt write-offs")
@paginate(PageNumbers, page_size=50)
@api_permission("receivables.view_writeoff")
def writeoff_list(request: HttpRequest, filters: Query[WriteOffFilters]) -> Any:
    return selectors.writeoff_list(
        user=request_user(request), filters={"q": filters.q, "status": filters.status}
    )


@router.get("/{int:pk}", response=WriteOffDetailOut, summary="Retrieve a write-off")
@api_permission("receivables.view_writeoff")
def writeoff_get(request: HttpRequest, pk: int) -> Any:
    return _writeoff(request, pk)


@router.post("", response={201: WriteOffDetailOut}, summary="Propose a write-off (awaits approval)")
@api_permission("receivables.add_writeoff")
def writeoff_create(request: HttpRequest, payload: WriteOffIn) -> Any:
    writeoff = services.writeoff_create(
        data=services.WriteOffInput(
            customer_id=payload.customer_id,
            reason=payload.reason,
            items=[services.WriteOffItem(i.item_id, i.amount) for i in payload.items],
            written_off_on=payload.written_off_on,
        ),
        actor=request_user(request),
    )
    return Status(201, _writeoff(request, writeoff.pk))


@router.post(
    "/{int:pk}/approve",
    response=WriteOffDetailOut,
    summary="Approve and post another user's write-off",
)
@api_permission("receivables.approve_writeoff")
def writeoff_approve(request: HttpRequest, pk: int, payload: WriteOffApproveIn) -> Any:
    services.writeoff_approve(
        writeoff=_writeoff(request, pk), on=payload.on, actor=request_user(request)
    )
    return _writeoff(request, pk)


@router.post(
    "/{int:pk}/cancel", response=WriteOffDetailOut, summary="Cancel a write-off awaiting approval"
)
@api_permission("receivables.add_writeoff")
def writeoff_cancel(request: HttpRequest, pk: int) -> Any:
    services.writeoff_cancel(writeoff=_writeoff(request, pk), actor=request_user(request))
    return _writeoff(request, pk)


class WriteOffReverseIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)
    on: date | None = Field(None, description="The day of the red voucher; today when left out.")


@router.post(
    "/{int:pk}/reverse",
    response=WriteOffDetailOut,
    summary="Reverse a posted write-off in red: the invoices are open again",
)
@api_permission("receivables.approve_writeoff")
def writeoff_reverse(request: HttpRequest, pk: int, payload: WriteOffReverseIn) -> Any:
    services.writeoff_reverse(
        writeoff=_writeoff(request, pk),
        reason=payload.reason,
        on=payload.on,
        actor=request_user(request),
    )
    return _writeoff(request, pk)


@router.post(
    "/{int:pk}/recover",
    response={201: WriteOffDetailOut},
    summary="Record money recovered on a write-off",
)
@api_permission("receivables.add_recovery")
def writeoff_recover(request: HttpRequest, pk: int, payload: WriteOffRecoverIn) -> Any:
    services.recovery_create(
        writeoff=_writeoff(request, pk),
        amount=payload.amount,
        on=payload.on,
        notes=payload.notes,
        actor=request_user(request),
    )
    return Status(201, _writeoff(request, pk))
