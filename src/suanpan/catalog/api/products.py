"""/api/v1/products: the same services, selectors and permission rules as the pages."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.catalog import calculations, selectors, services
from suanpan.catalog.api._common import OPERATION_PREFIX
from suanpan.catalog.api.tax_categories import TaxCategoryOut
from suanpan.catalog.choices import ProductKind, VatRateKey
from suanpan.catalog.filters import SORTS
from suanpan.catalog.models import Product
from suanpan.catalog.types import MAX_PRICE, PRICE_PLACES
from suanpan.core.errors import ValidationFailed
from suanpan.core.filtering import filterset_require_valid
from suanpan.core.limits import QUERY_MAX_LENGTH, PatchSchema, column_field, query_field, text_field
from suanpan.core.listing import PageNumbers
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

products = Router(tags=["products"])


class ProductOut(Schema):
    id: int
    code: str
    name: str
    specification: str
    unit: str
    kind: ProductKind
    tax_category: TaxCategoryOut
    list_price: Decimal
    price_includes_tax: bool
    unit_net_amount: Decimal = Field(description="One unit at list price excluding tax, to the fen")
    unit_gross_amount: Decimal = Field(
        description="One unit at list price including tax, to the fen"
    )
    standard_cost: Decimal
    is_active: bool
    notes: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_unit_net_amount(obj: Product) -> Decimal:
        return _unit_prices(obj).net_amount

    @staticmethod
    def resolve_unit_gross_amount(obj: Product) -> Decimal:
        return _unit_prices(obj).gross_amount


def _unit_prices(product: Product) -> calculations.UnitPrices:
    return calculations.unit_prices(
        product.list_price,
        product.tax_category.vat_rate,
        price_includes_tax=product.price_includes_tax,
    )


class ProductSearchOut(Schema):
    """What quote and order line entry needs of a product."""

    id: int
    code: str
    name: str
    specification: str
    unit: str
    kind: ProductKind
    list_price: Decimal
    price_includes_tax: bool
    vat_rate_key: VatRateKey
    vat_rate: Decimal
    standard_cost: Decimal

    @staticmethod
    def resolve_vat_rate_key(obj: Product) -> str:
        return obj.tax_category.vat_rate_key

    @staticmethod
    def resolve_vat_rate(obj: Product) -> Decimal:
        return obj.tax_category.vat_rate


class ProductIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    specification: str = Field("", max_length=200)
    unit: str = Field(min_length=1, max_length=20)
    kind: ProductKind = ProductKind.GOODS
    tax_category_id: int
    list_price: Decimal = Field(Decimal(0), ge=0, le=MAX_PRICE, decimal_places=PRICE_PLACES)
    price_includes_tax: bool = True
    standard_cost: Decimal = Field(Decimal(0), ge=0, le=MAX_PRICE, decimal_places=PRICE_PLACES)
    is_active: bool = True
    notes: str = text_field()


class ProductPatch(PatchSchema):
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=200)
    specification: str | None = Field(None, max_length=200)
    unit: str | None = Field(None, min_length=1, max_length=20)
    kind: ProductKind | None = None
    tax_category_id: int | None = None
    list_price: Decimal | None = Field(None, ge=0, le=MAX_PRICE, decimal_places=PRICE_PLACES)
    price_includes_tax: bool | None = None
    standard_cost: Decimal | None = Field(None, ge=0, le=MAX_PRICE, decimal_places=PRICE_PLACES)
    notes: str | None = text_field(None)


class ProductFilters(FilterSchema):
    q: str | None = query_field(description="Code, name, pinyin or its initials, specification")
    kind: ProductKind | None = None
    tax_category: int | None = Field(None, description="Tax category id")
    active: bool | None = Field(None, description="true: active only; false: inactive only")
    price_min: Decimal | None = Field(None, ge=0, le=MAX_PRICE, description="List price from")
    price_max: Decimal | None = Field(None, ge=0, le=MAX_PRICE, description="List price up to")
    ordering: str | None = query_field(
        description=", ".join(name for _field, name in SORTS) + "; prefix - for descending",
    )


class ProductDeactivateIn(Schema):
    # The reason is kept as the history entry's change reason: as long as that column.
    reason: str = column_field(Product.history.model, "history_change_reason", "")


@contextmanager
def _api_field_names() -> Iterator[None]:
    """The services name the foreign key `tax_category`; the API calls it `tax_category_id`."""
    try:
        yield
    except ValidationFailed as exc:
        if "tax_category" in exc.fields:
            exc.fields["tax_category_id"] = exc.fields.pop("tax_category")
        raise


def _product_data(payload: Schema, *, exclude_unset: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=exclude_unset)
    if "tax_category_id" in data:
        pk = data.pop("tax_category_id")
        category = selectors.tax_category_find(pk=pk)
        if category is None:
            raise ValidationFailed(fields={"tax_category_id": [f"No tax category with id {pk}."]})
        data["tax_category"] = category
    return {name: value for name, value in data.items() if value is not None}


def _product(request: HttpRequest, pk: int) -> Product:
    return selectors.product_get(user=request_user(request), pk=pk)


@products.get(
    "",
    response=list[ProductOut],
    summary="List products",
    operation_id=f"{OPERATION_PREFIX}product_list",
)
@paginate(PageNumbers, page_size=50)
@api_permission("catalog.view_product")
def product_list(request: HttpRequest, filters: Query[ProductFilters]) -> Any:
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    if "active" in params:
        params["active"] = "true" if params["active"] else "false"
    queryset, filterset = selectors.product_list(user=request_user(request), filters=params)
    filterset_require_valid(filterset)
    return queryset


@products.get(
    "/search",
    response=list[ProductSearchOut],
    summary="Search active products for line entry",
    operation_id=f"{OPERATION_PREFIX}product_search",
)
@api_permission("catalog.view_product")
def product_search(
    request: HttpRequest,
    q: str = Query("", max_length=QUERY_MAX_LENGTH),
    limit: int = Query(20, ge=1, le=selectors.SEARCH_LIMIT_MAX),
) -> Any:
    return list(selectors.product_search(q=q, limit=limit))


@products.get(
    "/{int:pk}",
    response=ProductOut,
    summary="Retrieve a product",
    operation_id=f"{OPERATION_PREFIX}product_get",
)
@api_permission("catalog.view_product")
def product_get(request: HttpRequest, pk: int) -> Any:
    return _product(request, pk)


@products.post(
    "",
    response={201: ProductOut},
    summary="Create a product",
    operation_id=f"{OPERATION_PREFIX}product_create",
)
def product_create(request: HttpRequest, payload: ProductIn) -> Any:
    with _api_field_names():
        product = services.product_create(
            actor=request_user(request), data=_product_data(payload, exclude_unset=False)
        )
    return Status(201, _product(request, product.pk))


@products.patch(
    "/{int:pk}",
    response=ProductOut,
    summary="Update a product",
    operation_id=f"{OPERATION_PREFIX}product_update",
)
@api_permission("catalog.view_product")
def product_update(request: HttpRequest, pk: int, payload: ProductPatch) -> Any:
    product = _product(request, pk)
    with _api_field_names():
        services.product_update(
            actor=request_user(request),
            product=product,
            data=_product_data(payload, exclude_unset=True),
        )
    return _product(request, pk)


@products.post(
    "/{int:pk}/deactivate",
    response=ProductOut,
    summary="Deactivate a product",
    operation_id=f"{OPERATION_PREFIX}product_deactivate",
)
@api_permission("catalog.view_product")
def product_deactivate(
    request: HttpRequest, pk: int, payload: ProductDeactivateIn | None = None
) -> Any:
    services.product_deactivate(
        actor=request_user(request),
        product=_product(request, pk),
        reason=payload.reason if payload else "",
    )
    return _product(request, pk)


@products.post(
    "/{int:pk}/reactivate",
    response=ProductOut,
    summary="Reactivate a product",
    operation_id=f"{OPERATION_PREFIX}product_reactivate",
)
@api_permission("catalog.view_product")
def product_reactivate(request: HttpRequest, pk: int) -> Any:
    services.product_reactivate(actor=request_user(request), product=_product(request, pk))
    return _product(request, pk)
