"""/api/v1/warehouses: the same services, selectors and permission rules as the pages."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import PatchSchema, query_field
from suanpan.core.listing import PageNumbers
from suanpan.inventory.selectors import warehouses as warehouse_selectors
from suanpan.inventory.services import warehouses as warehouse_services
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["inventory"])


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


class WarehousePatch(PatchSchema):
    code: str | None = Field(None, min_length=1, max_length=20)
    name: str | None = Field(None, min_length=1, max_length=100)
    address: str | None = Field(None, max_length=300)


class WarehouseFilters(FilterSchema):
    q: str | None = query_field(description="Code, name or address")
    active: bool | None = None
    ordering: str | None = query_field(description="code or name; prefix - for descending")


@router.get("/warehouses", response=list[WarehouseListOut], summary="List warehouses")
@paginate(PageNumbers, page_size=50)
@api_permission("inventory.view_warehouse")
def warehouse_list(request: HttpRequest, filters: Query[WarehouseFilters]) -> Any:
    params = filter_params(filters, flags=["active"])
    return filtered_rows(
        warehouse_selectors.warehouse_list(user=request_user(request), filters=params)
    )


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
