"""Reads of warehouses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from suanpan.inventory.filters.warehouses import WarehouseFilter
from suanpan.inventory.models import Warehouse
from suanpan.inventory.selectors.documents import filtered_list, visible_with_perm
from suanpan.users.models import User


def _visible(user: User) -> QuerySet[Warehouse]:
    return visible_with_perm(user, Warehouse, "inventory.view_warehouse")


def warehouse_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[Warehouse], WarehouseFilter]:
    """Warehouses with how many products they hold and the quantity on hand, in one query."""
    base = _visible(user).annotate(
        products_held=Count("stock_levels", filter=Q(stock_levels__quantity__gt=0)),
        quantity_held=Sum("stock_levels__quantity"),
    )
    return filtered_list(base, WarehouseFilter, filters, ordering=("-is_active", "code"))


def warehouse_get(*, user: User, pk: int | str) -> Warehouse:
    try:
        return _visible(user).get(pk=pk)
    except (Warehouse.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def warehouse_choices() -> QuerySet[Warehouse]:
    """Warehouses a new document may name."""
    return Warehouse.objects.filter(is_active=True).order_by("code")


def warehouse_by_id(pk: int) -> Warehouse | None:
    """The warehouse an API caller names by id (any warehouse: the services refuse inactive
    ones with their own message), or None."""
    return Warehouse.objects.filter(pk=pk).first()
