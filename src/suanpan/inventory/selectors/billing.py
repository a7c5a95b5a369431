"""What invoicing reads of deliveries: the cost still in goods shipped per order line, the
deliveries a request raised from deliveries bills, and what a returned line can come back from."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404

from suanpan.core.sums import fen_sum, yuan
from suanpan.customers.selectors import customer_scoped
from suanpan.inventory.choices import DeliveryStatus
from suanpan.inventory.models import Delivery, DeliveryLine, DeliveryReturnLine
from suanpan.users.models import User

# Deliveries whose goods have left the warehouse.
_OUT = (DeliveryStatus.SHIPPED, DeliveryStatus.SIGNED)


def order_lines_shipped_cost(order_line_ids: Iterable[int]) -> dict[int, Decimal]:
    """Per order line, the cost of what was shipped less what came back: two grouped sums."""
    ids = list(order_line_ids)
    shipped = (
        DeliveryLine.objects.filter(order_line_id__in=ids, delivery__status__in=_OUT)
        .values("order_line_id")
        .annotate(fen=fen_sum("cost_amount"))
    )
    returned = (
        DeliveryReturnLine.objects.filter(
            delivery_line__order_line_id__in=ids, delivery_line__delivery__status__in=_OUT
        )
        .values("delivery_line__order_line_id")
        .annotate(fen=fen_sum("cost_amount"))
    )
    costs = {row["order_line_id"]: yuan(row["fen"]) for row in shipped}
    for row in returned:
        line_id = row["delivery_line__order_line_id"]
        costs[line_id] = costs.get(line_id, Decimal(0)) - yuan(row["fen"])
    return costs


def deliveries_for_invoicing(*, user: User, ids: Iterable[int | str]) -> QuerySet[Delivery]:
    """Shipped or signed deliveries the user sees, with their lines; 404 if any id is not one."""
    wanted = {str(pk) for pk in ids}
    deliveries = (
        customer_scoped(Delivery.objects.all(), user=user)
        .filter(pk__in=[pk for pk in wanted if pk.isdigit()], status__in=_OUT)
        .select_related("order", "customer")
        .prefetch_related("lines")
        .order_by("pk")
    )
    if not wanted or len(deliveries) != len(wanted):
        raise Http404
    return deliveries


def delivery_lines_returnable(order_line_id: int) -> list[tuple[int, int, Decimal]]:
    """(delivery id, delivery line id, quantity not yet returned) for an order line's goods out
    with the customer, newest delivery first: where a return for a red invoice comes from."""
    rows = (
        DeliveryLine.objects.filter(order_line_id=order_line_id, delivery__status__in=_OUT)
        .order_by("-delivery__shipped_on", "-delivery_id")
        .values_list("delivery_id", "pk", "quantity", "returned_quantity")
    )
    return [
        (delivery_id, line_id, quantity - returned)
        for delivery_id, line_id, quantity, returned in rows
        if quantity > returned
    ]
