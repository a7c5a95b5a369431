"""/api/v1/stock-adjustments: the same services, selectors and permission rules as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.catalog.types import MAX_PRICE
from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_QUANTITY, PatchSchema
from suanpan.core.listing import PageNumbers
from suanpan.inventory.api.common import (
    DocumentFilters,
    document_header,
    document_lines,
)
from suanpan.inventory.choices import StockDocumentStatus
from suanpan.inventory.models import StockAdjustment
from suanpan.inventory.selectors import adjustments as adjustment_selectors
from suanpan.inventory.services import adjustments as adjustment_services
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["inventory"])


class AdjustmentLineOut(Schema):
    position: int
    product_id: int
    quantity: Decimal
    unit_cost: Decimal | None
    value_amount: Decimal


class AdjustmentListOut(Schema):
    id: int
    number: str
    warehouse_id: int
    adjusted_on: date
    reason: str
    status: StockDocumentStatus
    created_at: datetime
    posted_at: datetime | None


class AdjustmentOut(AdjustmentListOut):
    lines: list[AdjustmentLineOut]

    @staticmethod
    def resolve_lines(obj: StockAdjustment) -> list[Any]:
        return list(obj.lines.all())


class AdjustmentLineIn(Schema):
    product_id: int
    quantity: Decimal = Field(
        ge=-MAX_QUANTITY,
        le=MAX_QUANTITY,
        description="Positive for a gain, negative for a loss",
        decimal_places=4,
    )
    unit_cost: Decimal | None = Field(
        None,
        ge=0,
        le=MAX_PRICE,
        description="Gains only; blank for the moving average",
        max_digits=18,
        decimal_places=6,
    )


class AdjustmentIn(Schema):
    warehouse_id: int
    adjusted_on: date
    reason: str = Field(min_length=1, max_length=300)
    lines: list[AdjustmentLineIn] = Field(min_length=1, max_length=500)


class AdjustmentPatch(PatchSchema):
    warehouse_id: int | None = None
    adjusted_on: date | None = None
    reason: str | None = Field(None, min_length=1, max_length=300)
    lines: list[AdjustmentLineIn] | None = Field(None, min_length=1, max_length=500)


def _adjustment(request: HttpRequest, pk: int) -> StockAdjustment:
    return adjustment_selectors.adjustment_get(user=request_user(request), pk=pk)


@router.get(
    "/stock-adjustments", response=list[AdjustmentListOut], summary="List stock adjustments"
)
@paginate(PageNumbers, page_size=50)
@api_permission("inventory.view_stockadjustment")
def adjustment_list(request: HttpRequest, filters: Query[DocumentFilters]) -> Any:
    return filtered_rows(
        adjustment_selectors.adjustment_list(
            user=request_user(request), filters=filter_params(filters)
        )
    )


@router.get(
    "/stock-adjustments/{int:pk}", response=AdjustmentOut, summary="Retrieve a stock adjustment"
)
def adjustment_get(request: HttpRequest, pk: int) -> Any:
    return _adjustment(request, pk)


@router.post(
    "/stock-adjustments", response={201: AdjustmentOut}, summary="Create a draft stock adjustment"
)
def adjustment_create(request: HttpRequest, payload: AdjustmentIn) -> Any:
    adjustment = adjustment_services.adjustment_create(
        actor=request_user(request),
        data=document_header(payload, exclude_unset=False),
        lines=document_lines(
            payload.lines, current=(), line_input=adjustment_services.AdjustmentLineInput
        ),
    )
    return Status(201, _adjustment(request, adjustment.pk))


@router.patch(
    "/stock-adjustments/{int:pk}",
    response=AdjustmentOut,
    summary="Change a draft stock adjustment (lines, when given, replace all lines)",
)
def adjustment_update(request: HttpRequest, pk: int, payload: AdjustmentPatch) -> Any:
    adjustment = _adjustment(request, pk)
    lines = document_lines(
        payload.lines,
        current=adjustment.lines.all(),
        line_input=adjustment_services.AdjustmentLineInput,
    )
    adjustment_services.adjustment_update(
        actor=request_user(request),
        adjustment=adjustment,
        data=document_header(payload, exclude_unset=True),
        lines=lines,
    )
    return _adjustment(request, pk)


@router.post(
    "/stock-adjustments/{int:pk}/post",
    response=AdjustmentOut,
    summary="Post a stock adjustment: gains in, losses out, booked to stock gains and losses",
)
def adjustment_post(request: HttpRequest, pk: int) -> Any:
    adjustment_services.adjustment_post(
        actor=request_user(request), adjustment=_adjustment(request, pk)
    )
    return _adjustment(request, pk)


@router.post(
    "/stock-adjustments/{int:pk}/cancel",
    response=AdjustmentOut,
    summary="Cancel a draft stock adjustment",
)
def adjustment_cancel(request: HttpRequest, pk: int) -> Any:
    adjustment_services.adjustment_cancel(
        actor=request_user(request), adjustment=_adjustment(request, pk)
    )
    return _adjustment(request, pk)
