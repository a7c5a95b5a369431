"""Reads of customer returns, scoped by the customer like their deliveries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from suanpan.customers.selectors import customer_scoped
from suanpan.inventory.filters.returns import DeliveryReturnFilter
from suanpan.inventory.models import DeliveryReturn
from suanpan.inventory.selectors.documents import filtered_list
from suanpan.users.models import User


def return_visible(*, user: User) -> QuerySet[DeliveryReturn]:
    return customer_scoped(
        DeliveryReturn.objects.all(), user=user, perm="inventory.view_deliveryreturn"
    )


def return_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[DeliveryReturn], DeliveryReturnFilter]:
    base = return_visible(user=user).select_related("customer", "delivery", "warehouse")
    return filtered_list(base, DeliveryReturnFilter, filters, ordering=("-returned_on", "-id"))


def return_get(*, user: User, pk: int | str) -> DeliveryReturn:
    """One return with its lines; 404 unless the user sees its customer."""
    try:
        return (
            return_visible(user=user)
            .select_related("customer", "delivery", "warehouse", "created_by")
            .prefetch_related("lines__delivery_line__order_line", "lines__delivery_line__product")
            .get(pk=pk)
        )
    except (DeliveryReturn.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
