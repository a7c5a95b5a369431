"""/api/v1/returns: customer returns, with the same services, selectors and rules as the
pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_QUANTITY, query_field
from suanpan.core.listing import PageNumbers
from suanpan.inventory.api.common import warehouse_named
from suanpan.inventory.forms.lines import MAX_LINES
from suanpan.inventory.models import DeliveryReturn
from suanpan.inventory.selectors import deliveries as delivery_selectors
from suanpan.inventory.selectors import returns as return_selectors
from suanpan.inventory.services import returns as return_services
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["returns"])


class ReturnLineOut(Schema):
    id: int
    delivery_line_id: int
    product_name: str
    quantity: Decimal
    cost_amount: Decimal
    net_amount: Decimal
    tax_amount: Decimal

    @staticmethod
    def resolve_product_name(obj: Any) -> str:
        return str(obj.delivery_line.order_line.product_name)


class ReturnListOut(Schema):
    id: int
    number: str
    delivery_id: int
    delivery_number: str
    customer_id: int
    customer_name: str
    warehouse_id: int
    returned_on: date
    reason: str
    cost_amount: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    created_at: datetime

    @staticmethod
    def resolve_delivery_number(obj: DeliveryReturn) -> str:
        return obj.delivery.number

    @staticmethod
    def resolve_customer_name(obj: DeliveryReturn) -> str:
        return obj.customer.name


class ReturnOut(ReturnListOut):
    lines: list[ReturnLineOut]

    @staticmethod
    def resolve_lines(obj: DeliveryReturn) -> list[Any]:
        return list(obj.lines.all())


class ReturnLineIn(Schema):
    delivery_line_id: int
    quantity: Decimal = Field(gt=0, le=MAX_QUANTITY, decimal_places=4)


class ReturnIn(Schema):
    delivery_id: int
    warehouse_id: int | None = Field(None, description="The delivery's warehouse by default.")
    returned_on: date
    reason: str = Field(min_length=1, max_length=300)
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=MAX_LINES)


class ReturnFilters(FilterSchema):
    q: str | None = query_field(description="Return or delivery number, customer, reason")
    warehouse: int | None = None
    customer: int | None = None
    delivery: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    ordering: str | None = query_field(
        description="number, date, customer, delivery, warehouse, cost or amount; "
        "prefix - for descending",
    )


@router.get("", response=list[ReturnListOut], summary="List customer returns")
@paginate(PageNumbers, page_size=50)
@api_permission("inventory.view_deliveryreturn")
def return_list(request: HttpRequest, filters: Query[ReturnFilters]) -> Any:
    return filtered_rows(
        return_selectors.return_list(user=request_user(request), filters=filter_params(filters))
    )


@router.get("/{int:pk}", response=ReturnOut, summary="Retrieve a customer return")
@api_permission("inventory.view_deliveryreturn")
def return_get(request: HttpRequest, pk: int) -> Any:
    return return_selectors.return_get(user=request_user(request), pk=pk)


@router.post("", response={201: ReturnOut}, summary="Record a return from a delivery")
@api_permission("inventory.add_deliveryreturn")
def return_create(request: HttpRequest, payload: ReturnIn) -> Any:
    delivery = delivery_selectors.delivery_get(user=request_user(request), pk=payload.delivery_id)
    returned = return_services.return_create(
        delivery=delivery,
        lines=[
            return_services.ReturnLineInput(
                delivery_line_id=x.delivery_line_id, quantity=x.quantity
            )
            for x in payload.lines
        ],
        reason=payload.reason,
        returned_on=payload.returned_on,
        warehouse=warehouse_named(payload.warehouse_id) if payload.warehouse_id else None,
        actor=request_user(request),
    )
    return Status(201, return_selectors.return_get(user=request_user(request), pk=returned.pk))
