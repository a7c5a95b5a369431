"""Product and tax category pages: parse, call a selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse

from suanpan.catalog import selectors
from suanpan.catalog.models import Product
from suanpan.users.http import AuthenticatedHttpRequest


def product_search_row(product: Product) -> dict[str, Any]:
    """What line entry needs of a product; decimals as strings so no precision is lost."""
    category = product.tax_category
    return {
        "id": product.pk,
        "code": product.code,
        "name": product.name,
        "specification": product.specification,
        "unit": product.unit,
        "kind": product.kind,
        "list_price": str(product.list_price),
        "price_includes_tax": product.price_includes_tax,
        "vat_rate_key": category.vat_rate_key,
        "vat_rate": str(category.vat_rate),
        "standard_cost": str(product.standard_cost),
    }


@login_required
@permission_required("catalog.view_product", raise_exception=True)
def product_search(request: AuthenticatedHttpRequest) -> JsonResponse:
    try:
        limit = int(request.GET.get("limit", 20))
    except ValueError:
        limit = 20
    products = selectors.product_search(q=request.GET.get("q", ""), limit=limit)
    return JsonResponse([product_search_row(p) for p in products], safe=False)
