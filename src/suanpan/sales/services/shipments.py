"""What deliveries and returns change on the order they ship from.

Called by the inventory app inside its own transaction. The order and its lines are locked
first (in id order, as every writer of an order does), so two deliveries racing for the
remaining quantity of a line serialise and the second sees what the first shipped; the
database CHECK on `shipped_quantity <= quantity` stays as the last line of defence.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from suanpan.core.locks import for_update
from suanpan.sales.choices import ORDER_SHIPPABLE_STATUSES, OrderActivityKind, OrderStatus
from suanpan.sales.errors import OrderNotShippable, ReturnExceedsShipped, ShipmentExceedsOrder
from suanpan.sales.models import OrderActivity, SalesOrder, SalesOrderLine
from suanpan.users.models import User


def order_lock(order: SalesOrder) -> SalesOrder:
    """The order, re-read under a row lock."""
    return for_update(SalesOrder.objects.all()).get(pk=order.pk)


def _lines_locked(order: SalesOrder, line_ids: list[int]) -> dict[int, SalesOrderLine]:
    lines = for_update(SalesOrderLine.objects.filter(order=order, pk__in=line_ids)).order_by("pk")
    found = {line.pk: line for line in lines}
    missing = set(line_ids) - set(found)
    if missing:
        raise OrderNotShippable(
            _("Lines %(lines)s are not lines of order %(number)s.")
            % {"lines": ", ".join(map(str, sorted(missing))), "number": order.number},
            number=order.number,
            status=order.get_status_display(),
        )
    return found


def _status_after(order: SalesOrder) -> str:
    lines = list(order.lines.values_list("quantity", "shipped_quantity"))
    shipped_any = any(shipped > 0 for _quantity, shipped in lines)
    if lines and all(shipped >= quantity for quantity, shipped in lines):
        return OrderStatus.SHIPPED
    if shipped_any:
        return OrderStatus.PARTLY_SHIPPED
    # Everything came back: the order waits to be shipped again.
    return OrderStatus.PICKING if order.status != OrderStatus.CONFIRMED else OrderStatus.CONFIRMED


def _status_set(order: SalesOrder, *, actor: User, kind: str, note: str) -> None:
    new_status = _status_after(order)
    OrderActivity.objects.create(
        order=order,
        kind=kind,
        from_status=order.status,
        to_status=new_status if new_status != order.status else "",
        note=note,
        actor=actor,
    )
    if new_status != order.status:
        order.status = new_status
        order.save(update_fields=["status", "updated_at"])


@transaction.atomic
def order_lines_ship(
    *, order: SalesOrder, quantities: Mapping[int, Decimal], actor: User, reference: str
) -> SalesOrder:
    """Record that `quantities` (order line id → quantity) left for the customer.

    Refuses an order that is not confirmed/picking/partly shipped and any quantity above what
    remains on its line; moves the order to partly shipped or shipped and logs it.
    """
    order = order_lock(order)
    if order.status not in ORDER_SHIPPABLE_STATUSES:
        raise OrderNotShippable(number=order.number, status=order.get_status_display())
    lines = _lines_locked(order, sorted(quantities))
    for line_id, quantity in quantities.items():
        line = lines[line_id]
        if quantity <= 0:
            raise ShipmentExceedsOrder(
                _("Quantities to ship must be positive."),
                position=line.position,
                number=order.number,
                product=line.product_name,
                quantity=quantity,
                remaining=line.open_quantity,
            )
        if quantity > line.open_quantity:
            raise ShipmentExceedsOrder(
                position=line.position,
                number=order.number,
                product=line.product_name,
                quantity=quantity,
                remaining=line.open_quantity,
            )
        line.shipped_quantity += quantity
    SalesOrderLine.objects.bulk_update(lines.values(), ["shipped_quantity"])
    _status_set(order, actor=actor, kind=OrderActivityKind.SHIPMENT, note=reference)
    return order


@transaction.atomic
def order_lines_unship(
    *, order: SalesOrder, quantities: Mapping[int, Decimal], actor: User, reference: str
) -> SalesOrder:
    """Record that `quantities` came back (a return, or a shipped delivery cancelled)."""
    order = order_lock(order)
    if order.status == OrderStatus.CANCELLED:
        raise OrderNotShippable(number=order.number, status=order.get_status_display())
    lines = _lines_locked(order, sorted(quantities))
    for line_id, quantity in quantities.items():
        line = lines[line_id]
        if quantity <= 0 or quantity > line.shipped_quantity:
            raise ReturnExceedsShipped(
                position=line.position,
                number=order.number,
                product=line.product_name,
                quantity=quantity,
                shipped=line.shipped_quantity,
            )
        line.shipped_quantity -= quantity
    SalesOrderLine.objects.bulk_update(lines.values(), ["shipped_quantity"])
    _status_set(order, actor=actor, kind=OrderActivityKind.RETURN, note=reference)
    return order
