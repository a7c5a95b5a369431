"""Reads of deliveries, scoped like every sales document: a user sees a delivery iff they see
its customer (`customer_visible`); any other id answers 404."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from suanpan.core.history import history_entries
from suanpan.customers.selectors import customer_scoped
from suanpan.inventory.calculations import postings
from suanpan.inventory.filters.deliveries import DeliveryFilter
from suanpan.inventory.models import Delivery, DeliveryReturn
from suanpan.inventory.selectors.documents import filtered_list
from suanpan.ledger.selectors import SourceVouchers, vouchers_for_source
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer


def delivery_visible(*, user: User) -> QuerySet[Delivery]:
    return customer_scoped(Delivery.objects.all(), user=user, perm="inventory.view_delivery")


def delivery_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[Delivery], DeliveryFilter]:
    """The filtered, sorted list the user sees; the FilterSet comes back for forms and errors."""
    base = delivery_visible(user=user).select_related("customer", "order", "warehouse")
    return filtered_list(base, DeliveryFilter, filters, ordering=("-created_at", "-id"))


def delivery_get(*, user: User, pk: int | str) -> Delivery:
    """One delivery with its lines, order, customer and returns; 404 unless the user sees it."""
    try:
        return (
            delivery_visible(user=user)
            .select_related("customer", "order", "warehouse", "created_by")
            .prefetch_related("lines__order_line", "lines__product", "returns")
            .get(pk=pk)
        )
    except (Delivery.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def delivery_vouchers(*, delivery: Delivery) -> SourceVouchers:
    """The vouchers the delivery and its returns posted, in date order."""
    return_ids = list(delivery.returns.values_list("pk", flat=True))
    return (
        vouchers_for_source(source_type=postings.SOURCE_DELIVERY, source_ids=[delivery.pk])
        | vouchers_for_source(source_type=postings.SOURCE_RETURN, source_ids=return_ids)
    ).order_by("date", "id")


def delivery_history(*, delivery: Delivery, limit: int = 50) -> list[dict[str, Any]]:
    """Who changed what on the delivery (status, dates, tracking): newest first."""
    records = delivery.history.select_related("history_user").order_by("-history_id")
    return history_entries(list(records[: limit + 1]), limit=limit)


def return_vouchers(*, returned: DeliveryReturn) -> SourceVouchers:
    """The red voucher a return posted (none when nothing of value came back)."""
    return vouchers_for_source(source_type=postings.SOURCE_RETURN, source_ids=[returned.pk])


def customer_deliveries(*, user: User, customer: Customer, limit: int = 50) -> QuerySet[Delivery]:
    """The customer's latest deliveries, for the customer page's tab."""
    return (
        delivery_visible(user=user)
        .filter(customer=customer)
        .select_related("order", "warehouse")
        .order_by("-created_at", "-id")[:limit]
    )


def customer_returns(*, customer: Customer, limit: int = 20) -> QuerySet[DeliveryReturn]:
    return (
        DeliveryReturn.objects.filter(customer=customer)
        .select_related("delivery")
        .order_by("-returned_on", "-id")[:limit]
    )
