"""/api/v1/stock and /api/v1/stock/moves: stock on hand and a product's stock ledger, with
the same selectors and permission rules as the pages."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from suanpan.core.filtering import filter_params, filterset_require_valid
from suanpan.core.limits import query_field
from suanpan.core.listing import MAX_PAGE, PageNumbers, page_counted
from suanpan.inventory.choices import MoveKind
from suanpan.inventory.models import StockLevel
from suanpan.inventory.selectors import stock as stock_selectors
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["inventory"])


class StockLevelOut(Schema):
    product_id: int
    product_code: str
    product_name: str
    unit: str
    warehouse_id: int
    warehouse_code: str
    quantity: Decimal
    unit_cost: Decimal | None = Field(description="Moving-average cost per unit (4 places)")
    value_amount: Decimal = Field(description="Quantity at the moving average, to the fen")

    @staticmethod
    def resolve_product_code(obj: StockLevel) -> str:
        return obj.product.code

    @staticmethod
    def resolve_product_name(obj: StockLevel) -> str:
        return obj.product.name

    @staticmethod
    def resolve_unit(obj: StockLevel) -> str:
        return obj.product.unit

    @staticmethod
    def resolve_warehouse_code(obj: StockLevel) -> str:
        return obj.warehouse.code

    @staticmethod
    def resolve_unit_cost(obj: StockLevel) -> Decimal | None:
        [row] = stock_selectors.stock_rows_value([obj])
        return getattr(row, "unit_cost", None)

    @staticmethod
    def resolve_value_amount(obj: StockLevel) -> Decimal:
        [row] = stock_selectors.stock_rows_value([obj])
        return getattr(row, "value_amount", Decimal(0))


class StockFilters(FilterSchema):
    q: str | None = query_field(description="Product code, name, pinyin or initials")
    warehouse: int | None = None
    product: int | None = None
    nonzero: bool | None = Field(None, description="Only levels with stock on hand")
    ordering: str | None = query_field(
        description="product, name, warehouse, quantity, unit_cost or value; "
        "prefix - for descending",
    )


@router.get("/stock", response=list[StockLevelOut], summary="List stock on hand")
@paginate(PageNumbers, page_size=50)
@api_permission("inventory.view_stocklevel")
def stock_list(request: HttpRequest, filters: Query[StockFilters]) -> Any:
    params = filter_params(filters)
    if "nonzero" in params:
        params["nonzero"] = "true" if params["nonzero"] else "false"
    queryset, filterset = stock_selectors.stock_list(user=request_user(request), filters=params)
    filterset_require_valid(filterset)
    return queryset


class StockMoveOut(Schema):
    id: int
    moved_on: date
    kind: MoveKind
    warehouse_id: int
    quantity: Decimal
    value_amount: Decimal
    source_type: str
    source_id: str
    reference: str
    balance_quantity: Decimal
    balance_value: Decimal


class StockLedgerOut(Schema):
    product_id: int
    warehouse_id: int | None
    date_from: date | None
    date_to: date | None
    opening_quantity: Decimal
    opening_value: Decimal
    closing_quantity: Decimal
    closing_value: Decimal
    count: int
    page: int
    pages: int
    items: list[StockMoveOut]


class StockMoveFilters(Schema):
    product: int = Field(description="The product whose stock ledger to read")
    warehouse: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)


@router.get(
    "/stock/moves",
    response=StockLedgerOut,
    summary="A product's stock ledger: moves with running balances between opening and closing",
)
@api_permission("inventory.view_stocklevel")
def stock_ledger(request: HttpRequest, filters: Query[StockMoveFilters]) -> Any:
    params = filter_params(filters)
    page_number = params.pop("page", 1)
    product = params.pop("product")
    ledger = stock_selectors.stock_ledger(
        user=request_user(request), product_pk=product, filters=params
    )
    filterset_require_valid(ledger.filterset)
    page = page_counted(ledger.moves, number=page_number)
    return {
        "product_id": ledger.product.pk,
        "warehouse_id": ledger.warehouse.pk if ledger.warehouse else None,
        "date_from": ledger.date_from,
        "date_to": ledger.date_to,
        "opening_quantity": ledger.opening_quantity,
        "opening_value": ledger.opening_value,
        "closing_quantity": ledger.closing_quantity,
        "closing_value": ledger.closing_value,
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": ledger.with_balances(page.object_list),
    }
