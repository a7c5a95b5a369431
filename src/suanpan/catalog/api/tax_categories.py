"""/api/v1/tax-categories: the same services, selectors and permission rules as the pages."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from suanpan.catalog import selectors, services
from suanpan.catalog.api._common import OPERATION_PREFIX
from suanpan.catalog.choices import VatRateKey
from suanpan.catalog.models import TaxCategory
from suanpan.core.limits import PatchSchema
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

tax_categories = Router(tags=["tax categories"])


class TaxCategoryOut(Schema):
    id: int
    code: str
    name: str
    vat_rate_key: VatRateKey
    vat_rate: Decimal
    is_active: bool


class TaxCategoryListOut(TaxCategoryOut):
    product_count: int


class TaxCategoryIn(Schema):
    code: str = Field(
        min_length=1, max_length=30, description="Up to 19 digits; spaces are dropped"
    )
    name: str = Field(min_length=1, max_length=100)
    vat_rate_key: VatRateKey
    is_active: bool = True


class TaxCategoryPatch(PatchSchema):
    code: str | None = Field(None, min_length=1, max_length=30)
    name: str | None = Field(None, min_length=1, max_length=100)
    vat_rate_key: VatRateKey | None = None
    is_active: bool | None = None


def _tax_category(request: HttpRequest, pk: int) -> TaxCategory:
    return selectors.tax_category_get(user=request_user(request), pk=pk)


@tax_categories.get(
    "",
    response=list[TaxCategoryListOut],
    summary="List tax categories",
    operation_id=f"{OPERATION_PREFIX}tax_category_list",
)
@api_permission("catalog.view_taxcategory")
def tax_category_list(request: HttpRequest, active: bool | None = None) -> Any:
    return selectors.tax_category_list(user=request_user(request), active=active)


@tax_categories.post(
    "",
    response={201: TaxCategoryListOut},
    summary="Create a tax category",
    operation_id=f"{OPERATION_PREFIX}tax_category_create",
)
def tax_category_create(request: HttpRequest, payload: TaxCategoryIn) -> Any:
    category = services.tax_category_create(actor=request_user(request), data=payload.dict())
    return Status(201, _tax_category(request, category.pk))


@tax_categories.patch(
    "/{int:pk}",
    response=TaxCategoryListOut,
    summary="Update a tax category",
    operation_id=f"{OPERATION_PREFIX}tax_category_update",
)
@api_permission("catalog.view_taxcategory")
def tax_category_update(request: HttpRequest, pk: int, payload: TaxCategoryPatch) -> Any:
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    services.tax_category_update(
        actor=request_user(request), tax_category=_tax_category(request, pk), data=data
    )
    return _tax_category(request, pk)
