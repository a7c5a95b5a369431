"""/api/v1/orders: the same services, selectors and visibility rules as the order pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.catalog.types import MAX_PRICE
from suanpan.core.errors import ValidationFailed
from suanpan.core.filtering import filter_params, filterset_require_valid
from suanpan.core.limits import MAX_QUANTITY, PatchSchema, query_field, text_field
from suanpan.core.listing import capped_pagination
from suanpan.customers.selectors import customer_get
from suanpan.sales.api.common import CustomerOwnerNames, LineInSchema, PricedLineOut
from suanpan.sales.choices import OrderActivityKind, OrderStatus
from suanpan.sales.errors import QuoteAlreadyConverted
from suanpan.sales.forms.lines import MAX_LINES
from suanpan.sales.models import Contract, OrderActivity, Quote, SalesOrder, SalesOrderLine
from suanpan.sales.selectors import orders as selectors
from suanpan.sales.selectors.common import row_by_id, visible_by_id
from suanpan.sales.selectors.contracts import contract_visible
from suanpan.sales.selectors.quotes import quote_visible
from suanpan.sales.services import orders as services
from suanpan.sales.services.lines import LineInput, line_inputs_stored
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user
from suanpan.users.models import User

router = Router(tags=["orders"])


class OrderLineOut(PricedLineOut):
    shipped_quantity: Decimal
    invoiced_quantity: Decimal
    open_quantity: Decimal

    @staticmethod
    def resolve_open_quantity(obj: SalesOrderLine) -> Decimal:
        return obj.open_quantity


class ActivityOut(Schema):
    id: int
    kind: OrderActivityKind
    from_status: str
    to_status: str
    note: str
    actor: str
    at: datetime

    @staticmethod
    def resolve_actor(obj: OrderActivity) -> str:
        return str(obj.actor)


class OrderListOut(CustomerOwnerNames):
    id: int
    number: str
    customer_id: int
    customer: str
    status: OrderStatus
    ordered_on: date
    delivery_due_on: date | None
    owner_id: int
    owner: str
    price_includes_tax: bool
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    created_at: datetime


class OrderOut(OrderListOut):
    quote_id: int | None
    contract_id: int | None
    customer_reference: str
    delivery_address: str
    contact_name: str
    contact_phone: str
    notes: str
    confirmed_at: datetime | None
    confirmed_by_id: int | None
    credit_approved_by_id: int | None
    credit_approval_reason: str
    cancel_reason: str
    updated_at: datetime
    lines: list[OrderLineOut]
    activities: list[ActivityOut]

    @staticmethod
    def resolve_lines(obj: SalesOrder) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_activities(obj: SalesOrder) -> list[Any]:
        return list(selectors.order_activities(order=obj))


class OrderLineIn(LineInSchema):
    product_id: int
    quantity: Decimal = Field(gt=0, le=MAX_QUANTITY, decimal_places=4)
    unit_price: Decimal | None = Field(
        None,
        ge=0,
        le=MAX_PRICE,
        decimal_places=6,
        description="In the order's tax basis; leave out for the product's list price.",
    )


class OrderIn(Schema):
    customer_id: int
    ordered_on: date
    delivery_due_on: date | None = None
    price_includes_tax: bool = True
    customer_reference: str = Field("", max_length=60)
    delivery_address: str = Field("", max_length=300)
    contact_name: str = Field("", max_length=100)
    contact_phone: str = Field("", max_length=40)
    notes: str = text_field()
    owner_id: int | None = None
    quote_id: int | None = None
    contract_id: int | None = None
    lines: list[OrderLineIn] = Field(min_length=1, max_length=MAX_LINES)


class OrderPatch(PatchSchema):
    nullable = frozenset({"delivery_due_on", "quote_id", "contract_id"})

    customer_id: int | None = None
    ordered_on: date | None = None
    delivery_due_on: date | None = None
    price_includes_tax: bool | None = None
    customer_reference: str | None = Field(None, max_length=60)
    delivery_address: str | None = Field(None, max_length=300)
    contact_name: str | None = Field(None, max_length=100)
    contact_phone: str | None = Field(None, max_length=40)
    notes: str | None = text_field(None)
    quote_id: int | None = None
    contract_id: int | None = None
    lines: list[OrderLineIn] | None = Field(None, min_length=1, max_length=MAX_LINES)


class OrderFilters(FilterSchema):
    q: str | None = query_field(description="Order number, or the customer's name or pinyin")
    status: OrderStatus | None = None
    customer: int | None = None
    owner: int | None = None
    ordered_after: date | None = None
    ordered_before: date | None = None
    ordering: str | None = query_field(
        description="ordered_on, number, status or amount; prefix - for descending "
        "(default: newest first)",
    )


class ConfirmIn(Schema):
    credit_approval_reason: str = Field(
        "",
        max_length=300,
        description="Needed over the credit limit; only finance managers may give it.",
    )


class OrderCancelIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class NoteIn(Schema):
    note: str = text_field(..., min_length=1)


class FromQuoteIn(Schema):
    ordered_on: date | None = None


def _detail(request: HttpRequest, pk: int) -> SalesOrder:
    return selectors.order_get(user=request_user(request), pk=pk)


def _document(request: HttpRequest, model: type[Quote] | type[Contract], pk: int | None) -> Any:
    """The quote or contract the order refers to, among those the user sees."""
    field = f"{model._meta.model_name}_id"
    visible = (quote_visible if model is Quote else contract_visible)(user=request_user(request))
    found = visible_by_id(visible, pk)
    if pk is not None and found is None:
        raise ValidationFailed(fields={field: [f"No {model._meta.model_name} with id {pk}."]})
    return found


def _owner(pk: int | None) -> User | None:
    user = row_by_id(User, pk)
    if pk is not None and user is None:
        raise ValidationFailed(fields={"owner_id": [f"No user with id {pk}."]})
    return user


def _input(request: HttpRequest, values: dict[str, Any], lines: list[LineInput]) -> Any:
    return services.OrderInput(
        customer=customer_get(user=request_user(request), pk=values["customer_id"]),
        ordered_on=values["ordered_on"],
        delivery_due_on=values.get("delivery_due_on"),
        price_includes_tax=values.get("price_includes_tax", True),
        customer_reference=values.get("customer_reference") or "",
        delivery_address=values.get("delivery_address") or "",
        contact_name=values.get("contact_name") or "",
        contact_phone=values.get("contact_phone") or "",
        notes=values.get("notes") or "",
        owner=_owner(values.get("owner_id")),
        quote=_document(request, Quote, values.get("quote_id")),
        contract=_document(request, Contract, values.get("contract_id")),
        lines=lines,
    )


@router.get("", response=list[OrderListOut], summary="List sales orders")
# The count stops at core.listing.COUNT_CAP: a million orders answer as fast as a thousand.
@paginate(capped_pagination("orders"))
@api_permission("sales.view_salesorder")
def order_list(request: HttpRequest, filters: Query[OrderFilters]) -> Any:
    params = filter_params(filters)
    queryset, filterset = selectors.order_list(user=request_user(request), filters=params)
    filterset_require_valid(filterset)
    return queryset


@router.get("/{int:pk}", response=OrderOut, summary="Retrieve a sales order with its lines")
@api_permission("sales.view_salesorder")
def order_get(request: HttpRequest, pk: int) -> Any:
    return _detail(request, pk)


@router.post("", response={201: OrderOut}, summary="Create a draft sales order")
@api_permission("sales.add_salesorder")
def order_create(request: HttpRequest, payload: OrderIn) -> Any:
    data = _input(request, payload.dict(), [line.line_input() for line in payload.lines])
    order = services.order_create(actor=request_user(request), data=data)
    return Status(201, _detail(request, order.pk))


@router.patch("/{int:pk}", response=OrderOut, summary="Change a draft sales order")
@api_permission("sales.change_salesorder")
def order_update(request: HttpRequest, pk: int, payload: OrderPatch) -> Any:
    order = _detail(request, pk)
    given = payload.dict(exclude_unset=True)
    current = {
        "customer_id": order.customer_id,
        "ordered_on": order.ordered_on,
        "delivery_due_on": order.delivery_due_on,
        "price_includes_tax": order.price_includes_tax,
        "customer_reference": order.customer_reference,
        "delivery_address": order.delivery_address,
        "contact_name": order.contact_name,
        "contact_phone": order.contact_phone,
        "notes": order.notes,
        "owner_id": order.owner_id,
        "quote_id": order.quote_id,
        "contract_id": order.contract_id,
    }
    # null clears the optional links and the delivery date; elsewhere it leaves the field be.
    clearable = ("delivery_due_on", "quote_id", "contract_id")
    for name, value in given.items():
        if name != "lines" and (value is not None or name in clearable):
            current[name] = value
    if payload.lines is not None:
        lines = [line.line_input() for line in payload.lines]
    else:
        # Unchanged lines keep their prices: the stored unit price, not today's list price.
        lines = line_inputs_stored(order.lines.all())
    services.order_update(
        actor=request_user(request), order=order, data=_input(request, current, lines)
    )
    return _detail(request, pk)


@router.post("/{int:pk}/confirm", response=OrderOut, summary="Confirm (with the credit check)")
@api_permission("sales.confirm_salesorder", "sales.approve_credit")
def order_confirm(request: HttpRequest, pk: int, payload: ConfirmIn | None = None) -> Any:
    services.order_confirm(
        actor=request_user(request),
        order=_detail(request, pk),
        credit_approval_reason=payload.credit_approval_reason if payload else "",
    )
    return _detail(request, pk)


@router.post("/{int:pk}/pick", response=OrderOut, summary="Start picking (备货)")
@api_permission("sales.change_salesorder", "inventory.add_delivery")
def order_pick(request: HttpRequest, pk: int) -> Any:
    services.order_pick(actor=request_user(request), order=_detail(request, pk))
    return _detail(request, pk)


@router.post("/{int:pk}/complete", response=OrderOut, summary="Complete a shipped order")
@api_permission("sales.change_salesorder")
def order_complete(request: HttpRequest, pk: int) -> Any:
    services.order_complete(actor=request_user(request), order=_detail(request, pk))
    return _detail(request, pk)


@router.post("/{int:pk}/cancel", response=OrderOut, summary="Cancel an order that shipped nothing")
@api_permission("sales.change_salesorder")
def order_cancel(request: HttpRequest, pk: int, payload: OrderCancelIn) -> Any:
    services.order_cancel(
        actor=request_user(request), order=_detail(request, pk), reason=payload.reason
    )
    return _detail(request, pk)


@router.post("/{int:pk}/notes", response={201: ActivityOut}, summary="Add a note to the timeline")
@api_permission("sales.change_salesorder", "sales.approve_credit", "inventory.add_delivery")
def order_note_add(request: HttpRequest, pk: int, payload: NoteIn) -> Any:
    activity = services.order_note_add(
        actor=request_user(request), order=_detail(request, pk), note=payload.note
    )
    return Status(201, activity)


@router.post(
    "/from-quote/{int:quote_id}",
    response={201: OrderOut, 200: OrderOut},
    summary="Create a draft order from a sent or accepted quote",
    description=(
        "A quote has one order (a cancelled one does not count): when it already has one, "
        "that order is answered with 200 and nothing is created, so a repeated request is "
        "harmless. Another order from the same offer is made from a copy of the quote."
    ),
)
@api_permission("sales.add_salesorder")
def order_create_from_quote(
    request: HttpRequest, quote_id: int, payload: FromQuoteIn | None = None
) -> Any:
    quote = selectors.order_source_quote(user=request_user(request), pk=quote_id)
    try:
        order = services.order_create_from_quote(
            actor=request_user(request),
            quote=quote,
            ordered_on=payload.ordered_on if payload else None,
        )
    except QuoteAlreadyConverted as exc:
        return Status(200, _detail(request, exc.params["existing_id"]))
    return Status(201, _detail(request, order.pk))
