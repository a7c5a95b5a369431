"""Products: the list, one product, its history and the search for line entry. Products are
not scoped per customer: who may view them sees all."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.utils.translation import gettext as _

from suanpan.catalog.calculations import price_text
from suanpan.catalog.filters import ProductFilter, product_search_match
from suanpan.catalog.models import Product, TaxCategory
from suanpan.core.filtering import filterset_qs
from suanpan.core.history import history_entries
from suanpan.core.spreadsheet_imports import chunks
from suanpan.users.models import User

SEARCH_LIMIT_MAX = 100


def product_search(*, q: str, limit: int = 20) -> QuerySet[Product]:
    """Active products for line entry (quotes, orders): matched on q, ordered by code."""
    limit = max(1, min(int(limit), SEARCH_LIMIT_MAX))
    queryset = Product.objects.filter(is_active=True).select_related("tax_category")
    return product_search_match(queryset, q).order_by("code")[:limit]


def _products_visible(user: User) -> QuerySet[Product]:
    if not user.has_perm("catalog.view_product"):
        return Product.objects.none()
    return Product.objects.all()


def product_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[Product], ProductFilter]:
    """The filtered, sorted list a user sees; the FilterSet comes back for forms and errors."""
    base = _products_visible(user).select_related("tax_category")
    filterset = ProductFilter(data=filters or {}, queryset=base)
    queryset = filterset_qs(filterset, base=base)
    if not (filters or {}).get("ordering"):
        queryset = queryset.order_by("code")
    return queryset, filterset


def product_get(*, user: User, pk: int | str) -> Product:
    try:
        return _products_visible(user).select_related("tax_category").get(pk=pk)
    except (Product.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def product_history(*, product: Product, limit: int = 100) -> list[dict[str, Any]]:
    """Who changed which field of the product, when: newest first (the tax category by name,
    yes/no and prices as the product page writes them)."""
    records = product.history.select_related("history_user").order_by("-history_id")
    categories = dict(TaxCategory.objects.values_list("pk", "name"))

    def display(field: Any, value: Any) -> str | None:
        if value in (None, "") or field.choices:
            return None
        if field.name == "tax_category":
            return categories.get(value, str(value))
        if isinstance(value, bool):
            return _yes_no(value)
        if isinstance(value, Decimal):
            return price_text(value)
        return None

    return history_entries(list(records[: limit + 1]), limit=limit, display=display)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def products_all() -> QuerySet[Product]:
    """Every product, unevaluated: the choices of a product filter in another app's list."""
    return Product.objects.all()


def products_by_id(ids: Iterable[int], *, with_tax_category: bool = False) -> dict[int, Product]:
    """The products with these ids, by id, in one query (ids not found are left out)."""
    queryset = Product.objects.all()
    if with_tax_category:
        queryset = queryset.select_related("tax_category")
    return queryset.in_bulk(set(ids))


def product_by_id(pk: Any) -> Product | None:
    """The product with this id, or None (a malformed id is None too)."""
    try:
        return Product.objects.filter(pk=pk).first()
    except (ValueError, TypeError):
        return None


def product_by_code(code: str) -> Product | None:
    """The product whose code is `code`, whatever its case; None when there is none."""
    return Product.objects.filter(code__iexact=code).first()


def products_by_reference(references: Iterable[str]) -> dict[str, list[Product]]:
    """For each text, the products it names: a product code in any case, else an exact name.
    A name several products share maps to all of them, so the caller can say so; a text that
    names none is missing. One query per 500 texts, for imports that name products by row."""
    texts = sorted({text.strip() for text in references} - {""})
    by_code: dict[str, Product] = {}
    by_name: dict[str, list[Product]] = {}
    for chunk in chunks(texts):
        lowered = [text.lower() for text in chunk]
        rows = Product.objects.annotate(code_lower=Lower("code")).filter(
            Q(code_lower__in=lowered) | Q(name__in=chunk)
        )
        for product in rows.order_by("pk"):
            by_code[product.code.lower()] = product
            by_name.setdefault(product.name, []).append(product)
    found: dict[str, list[Product]] = {}
    for text in texts:
        if text.lower() in by_code:
            found[text] = [by_code[text.lower()]]
        elif text in by_name:
            found[text] = by_name[text]
    return found
