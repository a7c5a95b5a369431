"""What the stock side reads of sales orders to ship them: the order to deliver from and its
lines. Visibility follows the order's customer, as everywhere in sales."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404

from suanpan.customers.selectors import customer_scoped
from suanpan.sales.models import SalesOrder, SalesOrderLine
from suanpan.users.models import User


def order_for_delivery(*, user: User, pk: int | str) -> SalesOrder:
    """An order the user sees, with its customer and lines, to deliver from; 404 otherwise
    (a storekeeper who may add deliveries reads orders without the sales permission)."""
    if not user.has_perm("sales.view_salesorder") and not user.has_perm("inventory.add_delivery"):
        raise Http404
    orders = customer_scoped(SalesOrder.objects.all(), user=user)
    try:
        return orders.select_related("customer").prefetch_related("lines__product").get(pk=pk)
    except (SalesOrder.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def order_with_customer(*, pk: int) -> SalesOrder:
    """The order read afresh with its customer, for a service that already checked who acts."""
    return SalesOrder.objects.select_related("customer").get(pk=pk)


def order_lines_by_id(ids: Iterable[int]) -> dict[int, SalesOrderLine]:
    """Order lines by id, in one query (ids not found are left out)."""
    return SalesOrderLine.objects.in_bulk(list(ids))
