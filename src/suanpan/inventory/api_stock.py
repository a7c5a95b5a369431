"""/api/v1 warehouses, stock, goods receipts and stock adjustments: the same services,
selectors and permission rules as the pages."""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from suanpan.catalog.models import Product
from suanpan.core.errors import ValidationFailed
from suanpan.inventory.choices import MoveKind, ReceiptStatus
from suanpan.inventory.models import GoodsReceipt, StockAdjustment, StockLevel, Warehouse
from suanpan.inventory.selectors import adjustments as adjustment_selectors
from suanpan.inventory.selectors import receipts as receipt_selectors
from suanpan.inventory.selectors import stock as stock_selectors
from suanpan.inventory.selectors import warehouses as warehouse_selectors
from suanpan.inventory.services import adjustments as adjustment_services
from suanpan.inventory.services import receipts as receipt_services
from suanpan.inventory.services import warehouses as warehouse_services
from suanpan.users.http import request_permission_require, request_user

router = Router(tags=["inventory"])


def _params(filters: Schema) -> dict[str, Any]:
    return {k: v for k, v in filters.dict().items() if v not in (None, "")}


def _filter_errors(filterset: Any) -> None:
    if not filterset.is_valid():
        raise ValidationFailed(
            fields={name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
        )


def _products(ids: Sequence[int]) -> dict[int, Product]:
    found = Product.objects.in_bulk(set(ids))
    missing = {
        f"lines.{i}.product_id": [f"No product with id {pk}."]
        for i, pk in enumerate(ids)
        if pk not in found
    }
    if missing:
        raise ValidationFailed(fields=missing)
    return found


def _warehouse(pk: int | None, *, field: str = "warehouse_id") -> Warehouse | None:
    if pk is None:
        return None
    warehouse = Warehouse.objects.filter(pk=pk).first()
    if warehouse is None:
        raise ValidationFailed(fields={field: [f"No warehouse with id {pk}."]})
    return warehouse


# ---------------------------------------------------------------------------- warehouses


class WarehouseOut(Schema):
    id: int
    code: str
    name: str
    address: str
    is_active: bool


class WarehouseListOut(WarehouseOut):
    products_held: int
    quantity_held: Decimal

    @staticmethod
    def resolve_quantity_held(obj: Any) -> Decimal:
        return obj.quantity_held or Decimal(0)


class WarehouseIn(Schema):
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=100)
    address: str = Field("", max_length=300)


class WarehousePatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=20)
    name: str | None = Field(None, min_length=1, max_length=100)
    address: str | None = Field(None, max_length=300)


class WarehouseFilters(FilterSchema):
    q: str | None = Field(None, description="Code, name or address")
    active: bool | None = None
    ordering: str | None = Field(None, description="code or name; prefix - for descending")


@router.get("/warehouses", response=list[WarehouseListOut], summary="List warehouses")
@paginate(PageNumberPagination, page_size=50)
def warehouse_list(request: HttpRequest, filters: Query[WarehouseFilters]) -> Any:
    request_permission_require(request, "inventory.view_warehouse")
    params = _params(filters)
    if "active" in params:
        params["active"] = "true" if params["active"] else "false"
    queryset, filterset = warehouse_selectors.warehouse_list(
        user=request_user(request), filters=params
    )
    _filter_errors(filterset)
    return queryset


@router.get("/warehouses/{int:pk}", response=WarehouseOut, summary="Retrieve a warehouse")
def warehouse_get(request: HttpRequest, pk: int) -> Any:
    return warehouse_selectors.warehouse_get(user=request_user(request), pk=pk)


@router.post("/warehouses", response={201: WarehouseOut}, summary="Create a warehouse")
def warehouse_create(request: HttpRequest, payload: WarehouseIn) -> Any:
    return Status(
        201, warehouse_services.warehouse_create(actor=request_user(request), data=payload.dict())
    )


@router.patch("/warehouses/{int:pk}", response=WarehouseOut, summary="Update a warehouse")
def warehouse_update(request: HttpRequest, pk: int, payload: WarehousePatch) -> Any:
    warehouse = warehouse_selectors.warehouse_get(user=request_user(request), pk=pk)
    return warehouse_services.warehouse_update(
        actor=request_user(request), warehouse=warehouse, data=payload.dict(exclude_unset=True)
    )


@router.post(
    "/warehouses/{int:pk}/deactivate",
    response=WarehouseOut,
    summary="Deactivate a warehouse (refused while it holds stock)",
)
def warehouse_deactivate(request: HttpRequest, pk: int) -> Any:
    warehouse = warehouse_selectors.warehouse_get(user=request_user(request), pk=pk)
    return warehouse_services.warehouse_deactivate(actor=request_user(request), warehouse=warehouse)


@router.post("/warehouses/{int:pk}/reactivate", response=WarehouseOut, summary="Reactivate")
def warehouse_reactivate(request: HttpRequest, pk: int) -> Any:
    warehouse = warehouse_selectors.warehouse_get(user=request_user(request), pk=pk)
    return warehouse_services.warehouse_reactivate(actor=request_user(request), warehouse=warehouse)


# ---------------------------------------------------------------------------- stock


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
    q: str | None = Field(None, description="Product code, name, pinyin or initials")
    warehouse: int | None = None
    product: int | None = None
    nonzero: bool | None = Field(None, description="Only levels with stock on hand")
    ordering: str | None = Field(
        None,
        description="product, name, warehouse, quantity, unit_cost or value; "
        "prefix - for descending",
    )


@router.get("/stock", response=list[StockLevelOut], summary="List stock on hand")
@paginate(PageNumberPagination, page_size=50)
def stock_list(request: HttpRequest, filters: Query[StockFilters]) -> Any:
    request_permission_require(request, "inventory.view_stocklevel")
    params = _params(filters)
    if "nonzero" in params:
        params["nonzero"] = "true" if params["nonzero"] else "false"
    queryset, filterset = stock_selectors.stock_list(user=request_user(request), filters=params)
    _filter_errors(filterset)
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
    page: int = Field(1, ge=1)


@router.get(
    "/stock/moves",
    response=StockLedgerOut,
    summary="A product's stock ledger: moves with running balances between opening and closing",
)
def stock_ledger(request: HttpRequest, filters: Query[StockMoveFilters]) -> Any:
    request_permission_require(request, "inventory.view_stocklevel")
    params = _params(filters)
    page_number = params.pop("page", 1)
    product = params.pop("product")
    ledger = stock_selectors.stock_ledger(
        user=request_user(request), product_pk=product, filters=params
    )
    _filter_errors(ledger.filterset)
    paginator = Paginator(ledger.moves, settings.PAGE_SIZE)
    page = paginator.get_page(page_number)
    return {
        "product_id": ledger.product.pk,
        "warehouse_id": ledger.warehouse.pk if ledger.warehouse else None,
        "date_from": ledger.date_from,
        "date_to": ledger.date_to,
        "opening_quantity": ledger.opening_quantity,
        "opening_value": ledger.opening_value,
        "closing_quantity": ledger.closing_quantity,
        "closing_value": ledger.closing_value,
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "items": ledger.with_balances(page.object_list),
    }


# ---------------------------------------------------------------------------- documents


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
    status: ReceiptStatus
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
    quantity: Decimal = Field(gt=0, max_digits=16, decimal_places=4)
    unit_cost: Decimal = Field(ge=0, max_digits=18, decimal_places=6)


class ReceiptIn(Schema):
    warehouse_id: int
    received_on: date
    supplier: str = Field("", max_length=200)
    notes: str = ""
    lines: list[ReceiptLineIn] = Field(min_length=1, max_length=500)


class ReceiptPatch(Schema):
    warehouse_id: int | None = None
    received_on: date | None = None
    supplier: str | None = Field(None, max_length=200)
    notes: str | None = None
    lines: list[ReceiptLineIn] | None = Field(None, min_length=1, max_length=500)


class DocumentFilters(FilterSchema):
    q: str | None = Field(None, description="Number, supplier or reason")
    warehouse: int | None = None
    status: ReceiptStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    ordering: str | None = Field(
        None, description="number, date, warehouse, status (receipts also supplier, total)"
    )


def _receipt_lines(lines: Sequence[ReceiptLineIn]) -> list[receipt_services.ReceiptLineInput]:
    products = _products([line.product_id for line in lines])
    return [
        receipt_services.ReceiptLineInput(
            product=products[line.product_id], quantity=line.quantity, unit_cost=line.unit_cost
        )
        for line in lines
    ]


def _header(payload: Schema, *, exclude_unset: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=exclude_unset, exclude={"lines"})
    if "warehouse_id" in data:
        data["warehouse"] = _warehouse(data.pop("warehouse_id"))
    return {k: v for k, v in data.items() if v is not None or not exclude_unset}


def _receipt(request: HttpRequest, pk: int) -> GoodsReceipt:
    return receipt_selectors.receipt_get(user=request_user(request), pk=pk)


@router.get("/goods-receipts", response=list[ReceiptListOut], summary="List goods receipts")
@paginate(PageNumberPagination, page_size=50)
def receipt_list(request: HttpRequest, filters: Query[DocumentFilters]) -> Any:
    request_permission_require(request, "inventory.view_goodsreceipt")
    queryset, filterset = receipt_selectors.receipt_list(
        user=request_user(request), filters=_params(filters)
    )
    _filter_errors(filterset)
    return queryset


@router.get("/goods-receipts/{int:pk}", response=ReceiptOut, summary="Retrieve a goods receipt")
def receipt_get(request: HttpRequest, pk: int) -> Any:
    return _receipt(request, pk)


@router.post("/goods-receipts", response={201: ReceiptOut}, summary="Create a draft goods receipt")
def receipt_create(request: HttpRequest, payload: ReceiptIn) -> Any:
    receipt = receipt_services.receipt_create(
        actor=request_user(request),
        data=_header(payload, exclude_unset=False),
        lines=_receipt_lines(payload.lines),
    )
    return Status(201, _receipt(request, receipt.pk))


@router.patch(
    "/goods-receipts/{int:pk}",
    response=ReceiptOut,
    summary="Change a draft goods receipt (lines, when given, replace all lines)",
)
def receipt_update(request: HttpRequest, pk: int, payload: ReceiptPatch) -> Any:
    receipt = _receipt(request, pk)
    lines = (
        _receipt_lines(payload.lines)
        if payload.lines is not None
        else [
            receipt_services.ReceiptLineInput(line.product, line.quantity, line.unit_cost)
            for line in receipt.lines.all()
        ]
    )
    receipt_services.receipt_update(
        actor=request_user(request),
        receipt=receipt,
        data=_header(payload, exclude_unset=True),
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
    status: ReceiptStatus
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
        description="Positive for a gain, negative for a loss", max_digits=16, decimal_places=4
    )
    unit_cost: Decimal | None = Field(
        None,
        ge=0,
        description="Gains only; blank for the moving average",
        max_digits=18,
        decimal_places=6,
    )


class AdjustmentIn(Schema):
    warehouse_id: int
    adjusted_on: date
    reason: str = Field(min_length=1, max_length=300)
    lines: list[AdjustmentLineIn] = Field(min_length=1, max_length=500)


class AdjustmentPatch(Schema):
    warehouse_id: int | None = None
    adjusted_on: date | None = None
    reason: str | None = Field(None, min_length=1, max_length=300)
    lines: list[AdjustmentLineIn] | None = Field(None, min_length=1, max_length=500)


def _adjustment_lines(
    lines: Sequence[AdjustmentLineIn],
) -> list[adjustment_services.AdjustmentLineInput]:
    products = _products([line.product_id for line in lines])
    return [
        adjustment_services.AdjustmentLineInput(
            product=products[line.product_id], quantity=line.quantity, unit_cost=line.unit_cost
        )
        for line in lines
    ]


def _adjustment(request: HttpRequest, pk: int) -> StockAdjustment:
    return adjustment_selectors.adjustment_get(user=request_user(request), pk=pk)


@router.get(
    "/stock-adjustments", response=list[AdjustmentListOut], summary="List stock adjustments"
)
@paginate(PageNumberPagination, page_size=50)
def adjustment_list(request: HttpRequest, filters: Query[DocumentFilters]) -> Any:
    request_permission_require(request, "inventory.view_stockadjustment")
    queryset, filterset = adjustment_selectors.adjustment_list(
        user=request_user(request), filters=_params(filters)
    )
    _filter_errors(filterset)
    return queryset


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
        data=_header(payload, exclude_unset=False),
        lines=_adjustment_lines(payload.lines),
    )
    return Status(201, _adjustment(request, adjustment.pk))


@router.patch(
    "/stock-adjustments/{int:pk}",
    response=AdjustmentOut,
    summary="Change a draft stock adjustment (lines, when given, replace all lines)",
)
def adjustment_update(request: HttpRequest, pk: int, payload: AdjustmentPatch) -> Any:
    adjustment = _adjustment(request, pk)
    lines = (
        _adjustment_lines(payload.lines)
        if payload.lines is not None
        else [
            adjustment_services.AdjustmentLineInput(line.product, line.quantity, line.unit_cost)
            for line in adjustment.lines.all()
        ]
    )
    adjustment_services.adjustment_update(
        actor=request_user(request),
        adjustment=adjustment,
        data=_header(payload, exclude_unset=True),
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
