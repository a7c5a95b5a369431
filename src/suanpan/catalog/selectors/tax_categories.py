"""Tax categories, for the pages, the API and product forms."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from suanpan.catalog.models import TaxCategory
from suanpan.users.models import User


def tax_category_list(
    *, user: User, active_only: bool = False, active: bool | None = None
) -> QuerySet[TaxCategory]:
    """Tax categories with the number of products that use each; `active` keeps only the
    active (True) or inactive (False) ones, as does `active_only`."""
    if not user.has_perm("catalog.view_taxcategory"):
        return TaxCategory.objects.none()
    queryset = TaxCategory.objects.annotate(product_count=Count("products")).order_by("code")
    if active_only:
        active = True
    if active is not None:
        queryset = queryset.filter(is_active=active)
    return queryset


def tax_category_get(*, user: User, pk: int | str) -> TaxCategory:
    try:
        return tax_category_list(user=user).get(pk=pk)
    except (TaxCategory.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def tax_category_find(*, pk: int | None) -> TaxCategory | None:
    """The tax category with this id, active or not, or None: what a product may be put in is
    the product service's check."""
    if pk is None:
        return None
    return TaxCategory.objects.filter(pk=pk).first()


def tax_category_choices(*, current: int | None = None) -> QuerySet[TaxCategory]:
    """What a product may be put in: the active categories, and the one it already has
    (a deactivated category stays selectable only on the products that have it)."""
    active = TaxCategory.objects.filter(is_active=True)
    return (active | TaxCategory.objects.filter(pk=current) if current else active).order_by("code")


def tax_category_by_code(*, code: str) -> TaxCategory | None:
    """The tax category with this classification code, or None."""
    return TaxCategory.objects.filter(code=code).first()
