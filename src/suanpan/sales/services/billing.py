"""What invoices change on the order lines they bill: the invoiced quantity.

Called by the invoicing app inside its own transaction, with the order and its lines locked
first (in id order, as deliveries lock them), so two invoices racing for the rest of a line
serialise; the database CHECK on `invoiced_quantity <= quantity` stays as the last defence.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from suanpan.core.locks import for_update
from suanpan.sales.choices import ORDER_INVOICEABLE_STATUSES, OrderActivityKind
from suanpan.sales.errors import InvoiceExceedsOrder, OrderNotInvoiceable
from suanpan.sales.models import OrderActivity, SalesOrder, SalesOrderLine
from suanpan.sales.services.shipments import order_lock
from suanpan.users.models import User


@transaction.atomic
def order_lines_lock_for_invoicing(
    *, order: SalesOrder, line_ids: list[int]
) -> dict[int, SalesOrderLine]:
    """The order and the given lines, locked, read afresh; refuses an order not invoiceable and
    lines of another order (`InvoiceExceedsOrder` names the first stranger)."""
    order = order_lock(order)
    if order.status not in ORDER_INVOICEABLE_STATUSES:
        raise OrderNotInvoiceable(number=order.number, status=order.get_status_display())
    lines = {
        line.pk: line
        for line in for_update(
            SalesOrderLine.objects.filter(order=order, pk__in=line_ids)
        ).order_by("pk")
    }
    for line_id in line_ids:
        if line_id not in lines:
            raise OrderNotInvoiceable(number=order.number, status=order.get_status_display())
    return lines


def _move(
    *, order: SalesOrder, quantities: Mapping[int, Decimal], actor: User, reference: str, sign: int
) -> None:
    lines = order_lines_lock_for_invoicing(order=order, line_ids=sorted(quantities))
    for line_id, quantity in quantities.items():
        line = lines[line_id]
        after = line.invoiced_quantity + sign * quantity
        if quantity <= 0 or after > line.quantity or after < 0:
            raise InvoiceExceedsOrder(
                position=line.position,
                number=order.number,
                product=line.product_name,
                quantity=quantity.normalize(),
                remaining=(line.quantity - line.invoiced_quantity).normalize(),
            )
        line.invoiced_quantity = after
    SalesOrderLine.objects.bulk_update(lines.values(), ["invoiced_quantity"])
    OrderActivity.objects.create(
        order=order, kind=OrderActivityKind.INVOICE, note=reference, actor=actor
    )


@transaction.atomic
def order_lines_invoice(
    *, order: SalesOrder, quantities: Mapping[int, Decimal], actor: User, reference: str
) -> None:
    """Record that `quantities` (order line id → quantity) were invoiced by `reference`."""
    _move(order=order, quantities=quantities, actor=actor, reference=reference, sign=1)


@transaction.atomic
def order_lines_uninvoice(
    *, order: SalesOrder, quantities: Mapping[int, Decimal], actor: User, reference: str
) -> None:
    """Record that a red invoice (or a void) `reference` took `quantities` back."""
    _move(order=order, quantities=quantities, actor=actor, reference=reference, sign=-1)


@transaction.atomic
def orders_lock_for_invoicing(*, order_ids: list[int]) -> None:
    """Lock several orders at once, in id order, for a batch that invoices them one after the
    other: the batch then holds every order before its first posting, so it never waits for an
    order while holding a month (docs/locking.md)."""
    list(for_update(SalesOrder.objects.filter(pk__in=order_ids)).order_by("pk"))
