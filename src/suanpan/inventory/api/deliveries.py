"""/api/v1/deliveries: the same services, selectors and rules as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_QUANTITY, PatchSchema, query_field, text_field
from suanpan.core.listing import PageNumbers
from suanpan.inventory.api.common import warehouse_named
from suanpan.inventory.choices import DeliveryStatus
from suanpan.inventory.forms.lines import MAX_LINES
from suanpan.inventory.models import Delivery
from suanpan.inventory.selectors import deliveries as delivery_selectors
from suanpan.inventory.services import deliveries as delivery_services
from suanpan.sales import selectors as sales_selectors
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["deliveries"])


class DeliveryLineOut(Schema):
    id: int
    order_line_id: int
    position: int
    product_id: int
    product_name: str
    unit: str
    quantity: Decimal
    returned_quantity: Decimal
    cost_amount: Decimal
    net_amount: Decimal
    tax_amount: Decimal

    @staticmethod
    def resolve_position(obj: Any) -> int:
        return int(obj.order_line.position)

    @staticmethod
    def resolve_product_name(obj: Any) -> str:
        return str(obj.order_line.product_name)

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.order_line.unit)


class DeliveryListOut(Schema):
    id: int
    number: str
    order_id: int
    order_number: str
    customer_id: int
    customer_name: str
    warehouse_id: int
    status: DeliveryStatus
    shipped_on: date | None
    signed_on: date | None
    courier: str
    tracking_number: str
    net_amount: Decimal
    tax_amount: Decimal
    cost_amount: Decimal
    created_at: datetime

    @staticmethod
    def resolve_order_number(obj: Delivery) -> str:
        return obj.order.number

    @staticmethod
    def resolve_customer_name(obj: Delivery) -> str:
        return obj.customer.name


class VoucherRefOut(Schema):
    id: int
    number: str
    date: date
    summary: str
    source_event: str | None

    @staticmethod
    def resolve_number(obj: Any) -> str:
        return str(obj)


class DeliveryOut(DeliveryListOut):
    delivery_address: str
    notes: str
    lines: list[DeliveryLineOut]
    return_ids: list[int]
    vouchers: list[VoucherRefOut]

    @staticmethod
    def resolve_lines(obj: Delivery) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_return_ids(obj: Delivery) -> list[int]:
        return [r.pk for r in obj.returns.all()]

    @staticmethod
    def resolve_vouchers(obj: Delivery) -> list[Any]:
        return list(delivery_selectors.delivery_vouchers(delivery=obj))


class DeliveryLineIn(Schema):
    order_line_id: int
    quantity: Decimal = Field(gt=0, le=MAX_QUANTITY, decimal_places=4)


class DeliveryIn(Schema):
    order_id: int
    warehouse_id: int
    lines: list[DeliveryLineIn] | None = Field(
        None,
        max_length=MAX_LINES,
        description="Omit to deliver everything that remains on the order.",
    )
    courier: str = Field("", max_length=100)
    tracking_number: str = Field("", max_length=60)
    delivery_address: str | None = Field(
        None, max_length=300, description="Omit to take the order's delivery address."
    )
    notes: str = text_field()


class DeliveryPatch(PatchSchema):
    """A draft changes anything here; a shipped or signed delivery only its tracking."""

    nullable = frozenset({"signed_on"})

    warehouse_id: int | None = None
    courier: str | None = Field(None, max_length=100)
    tracking_number: str | None = Field(None, max_length=60)
    delivery_address: str | None = Field(None, max_length=300)
    notes: str | None = text_field(None)
    signed_on: date | None = None
    lines: list[DeliveryLineIn] | None = Field(None, max_length=MAX_LINES)


class ShipIn(Schema):
    shipped_on: date


class SignIn(Schema):
    signed_on: date


class DeliveryCancelIn(Schema):
    on: date | None = Field(None, description="Date of the reversal; today by default.")


class DeliveryFilters(FilterSchema):
    q: str | None = query_field(
        description="Delivery or order number, customer name or pinyin, tracking number"
    )
    status: DeliveryStatus | None = None
    warehouse: int | None = None
    customer: int | None = None
    order: int | None = None
    shipped_from: date | None = None
    shipped_to: date | None = None
    ordering: str | None = query_field(
        description="number, customer, shipped, signed, status, warehouse, cost, amount or "
        "created; prefix - for descending",
    )


def _delivery(request: HttpRequest, pk: int) -> Delivery:
    return delivery_selectors.delivery_get(user=request_user(request), pk=pk)


def _line_inputs(
    lines: list[DeliveryLineIn] | None,
) -> list[delivery_services.DeliveryLineInput] | None:
    if lines is None:
        return None
    return [
        delivery_services.DeliveryLineInput(order_line_id=x.order_line_id, quantity=x.quantity)
        for x in lines
    ]


@router.get("", response=list[DeliveryListOut], summary="List deliveries")
@paginate(PageNumbers, page_size=50)
@api_permission("inventory.view_delivery")
def delivery_list(request: HttpRequest, filters: Query[DeliveryFilters]) -> Any:
    return filtered_rows(
        delivery_selectors.delivery_list(user=request_user(request), filters=filter_params(filters))
    )


@router.get("/{int:pk}", response=DeliveryOut, summary="Retrieve a delivery")
@api_permission("inventory.view_delivery")
def delivery_get(request: HttpRequest, pk: int) -> Any:
    return _delivery(request, pk)


@router.post("", response={201: DeliveryOut}, summary="Create a draft delivery from an order")
@api_permission("inventory.add_delivery")
def delivery_create(request: HttpRequest, payload: DeliveryIn) -> Any:
    order = sales_selectors.order_for_delivery(user=request_user(request), pk=payload.order_id)
    delivery = delivery_services.delivery_create(
        order=order,
        warehouse=warehouse_named(payload.warehouse_id),
        actor=request_user(request),
        lines=_line_inputs(payload.lines),
        courier=payload.courier,
        tracking_number=payload.tracking_number,
        delivery_address=payload.delivery_address,
        notes=payload.notes,
    )
    return Status(201, _delivery(request, delivery.pk))


@router.patch("/{int:pk}", response=DeliveryOut, summary="Update a draft, or tracking")
def delivery_update(request: HttpRequest, pk: int, payload: DeliveryPatch) -> Any:
    delivery = _delivery(request, pk)
    data = payload.dict(exclude_unset=True, exclude={"lines"})
    if "warehouse_id" in data:
        warehouse_id = data.pop("warehouse_id")
        if warehouse_id is not None:
            data["warehouse"] = warehouse_named(warehouse_id)
    lines = payload.lines if "lines" in payload.model_fields_set else None
    delivery_services.delivery_update(
        delivery=delivery, data=data, lines=_line_inputs(lines), actor=request_user(request)
    )
    return _delivery(request, pk)


@router.post("/{int:pk}/ship", response=DeliveryOut, summary="Ship a draft delivery")
def delivery_ship(request: HttpRequest, pk: int, payload: ShipIn) -> Any:
    delivery_services.delivery_ship(
        delivery=_delivery(request, pk), shipped_on=payload.shipped_on, actor=request_user(request)
    )
    return _delivery(request, pk)


@router.post("/{int:pk}/sign", response=DeliveryOut, summary="Record the signed-for date")
def delivery_sign(request: HttpRequest, pk: int, payload: SignIn) -> Any:
    delivery_services.delivery_sign(
        delivery=_delivery(request, pk), signed_on=payload.signed_on, actor=request_user(request)
    )
    return _delivery(request, pk)


@router.post("/{int:pk}/cancel", response=DeliveryOut, summary="Cancel a delivery")
def delivery_cancel(request: HttpRequest, pk: int, payload: DeliveryCancelIn | None = None) -> Any:
    delivery_services.delivery_cancel(
        delivery=_delivery(request, pk),
        actor=request_user(request),
        on=payload.on if payload else None,
    )
    return _delivery(request, pk)
