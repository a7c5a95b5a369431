"""/api/v1/receivables/settlements: a customer's open items side by side, settling them (核销)
by hand or automatically, and undoing a settlement."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_AMOUNT, MAX_ITEMS, column_field, query_field
from suanpan.core.listing import PageNumbers
from suanpan.customers.selectors import customer_get
from suanpan.receivables import selectors, services
from suanpan.receivables.choices import AutoMatchRule, SettlementKind
from suanpan.receivables.models import Settlement
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["settlements"])


class SettlementLineOut(Schema):
    amount: Decimal
    debit_source_type: str
    debit_source_id: str
    debit_label: str
    credit_source_type: str
    credit_source_id: str
    credit_label: str
    is_transfer: bool


class SettlementOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_name: str
    settled_on: date
    kind: SettlementKind
    amount: Decimal
    advance_amount: Decimal
    receipt_id: int | None
    notes: str
    undone_on: date | None
    created_at: datetime

    @staticmethod
    def resolve_customer_name(obj: Settlement) -> str:
        return obj.customer.name


class SettlementDetailOut(SettlementOut):
    lines: list[SettlementLineOut]

    @staticmethod
    def resolve_lines(obj: Settlement) -> list[Any]:
        return list(obj.lines.all())


class SettleableItemOut(Schema):
    id: int = Field(..., alias="pk")
    voucher: str = Field(..., alias="voucher_number")
    posted_on: date
    due_on: date
    summary: str
    amount: Decimal
    open_amount: Decimal
    source_type: str
    source_id: str


class OpenSidesOut(Schema):
    customer_id: int
    debits: list[SettleableItemOut]
    credits: list[SettleableItemOut]
    debit_total: Decimal
    credit_total: Decimal


class SettlementPairIn(Schema):
    debit_item_id: int
    credit_item_id: int
    amount: Decimal = Field(..., gt=0, le=MAX_AMOUNT, decimal_places=2)


class SettlementIn(Schema):
    customer_id: int
    pairs: list[SettlementPairIn] = Field(..., min_length=1, max_length=MAX_ITEMS)
    settled_on: date | None = Field(None, description="Today when left out.")
    notes: str = column_field(Settlement, "notes", "")


class SettlementAutoIn(Schema):
    customer_id: int
    rule: AutoMatchRule = AutoMatchRule.OLDEST_DUE
    settled_on: date | None = None


class SettlementUndoIn(Schema):
    on: date | None = Field(None, description="Today when left out.")


class SettlementFilters(FilterSchema):
    q: str | None = query_field(description="Settlement number or customer")
    kind: SettlementKind | None = None
    customer: int | None = None
    undone: bool | None = None
    ordering: str | None = query_field(
        description="settled, number, customer or amount; prefix - for descending"
    )


def _settlement(request: HttpRequest, pk: int) -> Settlement:
    return selectors.settlement_get(user=request_user(request), pk=pk)


@router.get("", response=list[SettlementOut], summary="List settlements")
@paginate(PageNumbers, page_size=50)
@api_permission("receivables.view_settlement")
def settlement_list(request: HttpRequest, filters: Query[SettlementFilters]) -> Any:
    return filtered_rows(
        selectors.settlement_list(user=request_user(request), filters=filter_params(filters))
    )


@router.get(
    "/open-items",
    response=OpenSidesOut,
    summary="A customer's open debits and credits, side by side",
)
@api_permission("receivables.view_settlement")
def open_sides(request: HttpRequest, customer: int) -> Any:
    found = customer_get(user=request_user(request), pk=customer)
    sides = selectors.customer_open_sides(customer=found)
    return {
        "customer_id": found.pk,
        "debits": sides.debits,
        "credits": sides.credits,
        "debit_total": sides.debit_total,
        "credit_total": sides.credit_total,
    }


@router.get("/{int:pk}", response=SettlementDetailOut, summary="Retrieve a settlement")
@api_permission("receivables.view_settlement")
def settlement_get(request: HttpRequest, pk: int) -> Any:
    return _settlement(request, pk)


@router.post("", response={201: SettlementDetailOut}, summary="Settle chosen items (核销)")
@api_permission("receivables.add_settlement")
def settlement_make(request: HttpRequest, payload: SettlementIn) -> Any:
    settlement = services.settlement_make(
        customer_id=payload.customer_id,
        pairs=[services.Pair(p.debit_item_id, p.credit_item_id, p.amount) for p in payload.pairs],
        on=payload.settled_on,
        notes=payload.notes,
        actor=request_user(request),
    )
    return Status(201, _settlement(request, settlement.pk))


@router.post(
    "/automatic",
    response={201: SettlementDetailOut, 204: None},
    summary="Settle a customer's open items automatically (204: nothing to settle)",
)
@api_permission("receivables.add_settlement")
def settlement_auto(request: HttpRequest, payload: SettlementAutoIn) -> Any:
    settlement = services.settlement_auto(
        customer_id=payload.customer_id,
        rule=payload.rule,
        on=payload.settled_on,
        actor=request_user(request),
    )
    if settlement is None:
        return Status(204, None)
    return Status(201, _settlement(request, settlement.pk))


@router.post("/{int:pk}/undo", response=SettlementDetailOut, summary="Undo a settlement")
@api_permission("receivables.undo_settlement")
def settlement_undo(request: HttpRequest, pk: int, payload: SettlementUndoIn) -> Any:
    services.settlement_undo(
        settlement=_settlement(request, pk), on=payload.on, actor=request_user(request)
    )
    return _settlement(request, pk)
