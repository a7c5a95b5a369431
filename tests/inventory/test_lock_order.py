"""Stock documents crossing a shipment on PostgreSQL (docs/locking.md): a goods receipt, a
stock adjustment or a return posted while a delivery of the same goods ships. Each stops after
its first locks until the shipment has taken its own; in the lock order they queue, and both
land: stock, stock ledger, order and the inventory account agree."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum

from suanpan.inventory.choices import DeliveryStatus, StockDocumentStatus
from suanpan.inventory.models import ProductCost, StockLevel, StockMove
from suanpan.inventory.services import returns as returns_module
from suanpan.inventory.services import stock
from suanpan.inventory.services.adjustments import (
    AdjustmentLineInput,
    adjustment_create,
    adjustment_post,
)
from suanpan.inventory.services.deliveries import DeliveryLineInput, delivery_create, delivery_ship
from suanpan.inventory.services.receipts import ReceiptLineInput, receipt_create, receipt_post
from suanpan.inventory.services.returns import ReturnLineInput, return_create
from suanpan.ledger.models import Company, VoucherLine
from suanpan.sales.services import shipments
from suanpan.users.models import User
from tests.factories import ProductFactory, WarehouseFactory, order_build
from tests.inventory.deliveries_support import SHIP_ON, customer_with_dimension, stock_in
from tests.lock_order import crossed, deadlocks

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
D = Decimal
AT_STOCK = (stock, "_levels_locked")


def _shipment_crossing(
    post: Callable[[], Any], *, product: Any, warehouse: Any, actor: User
) -> tuple[Any, list[Any], list[BaseException]]:
    """`post` stopped at the stock while a delivery of 4 of `product` ships through it."""
    delivery = delivery_create(
        order=order_build(customer=customer_with_dimension(), lines=[(product, "4", "113.00")]),
        warehouse=warehouse,
        actor=actor,
    )
    results, errors = crossed(
        post,
        lambda: delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=actor),
        first_stops_before=AT_STOCK,
        second_goes_through=AT_STOCK,
    )
    delivery.refresh_from_db()
    return delivery, results, errors


def _stock_agrees(product: Any, warehouse: Any, quantity: str) -> None:
    level = StockLevel.objects.get(product=product, warehouse=warehouse)
    assert level.quantity == D(quantity)
    moved = StockMove.objects.filter(product=product).aggregate(q=Sum("quantity"))["q"]
    assert moved == D(quantity)
    cost = ProductCost.objects.get(product=product)
    inventory = VoucherLine.objects.filter(account__code="1405").aggregate(
        d=Sum("debit_amount"), c=Sum("credit_amount")
    )
    # Opening stock came in without a voucher (stock_in): the books hold what moved since.
    assert inventory["d"] - inventory["c"] == cost.value_amount - D("500.00")


def _both_posted(errors: list[Any], results: list[Any], document: Any, delivery: Any) -> None:
    """Neither transaction deadlocked or failed: the stock document is posted and the delivery
    shipped."""
    assert not deadlocks(errors), errors
    assert not errors, errors
    assert len(results) == 2
    document.refresh_from_db()
    assert document.status == StockDocumentStatus.POSTED
    assert delivery.status == DeliveryStatus.SHIPPED


def test_receipt_posted_while_a_delivery_ships_queues_behind_it(
    storekeeper: User, stock_books: Company, delivery_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    stock_in(product, warehouse, "10", "500.00", actor=storekeeper)
    receipt = receipt_create(
        actor=storekeeper,
        data={"warehouse": warehouse, "received_on": SHIP_ON},
        lines=[ReceiptLineInput(product, D("5"), D("50"))],
    )

    delivery, results, errors = _shipment_crossing(
        lambda: receipt_post(actor=storekeeper, receipt=receipt),
        product=product,
        warehouse=warehouse,
        actor=storekeeper,
    )

    _both_posted(errors, results, receipt, delivery)
    _stock_agrees(product, warehouse, "11")


def test_adjustment_posted_while_a_delivery_ships_queues_behind_it(
    storekeeper: User, stock_books: Company, delivery_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    stock_in(product, warehouse, "10", "500.00", actor=storekeeper)
    loss = adjustment_create(
        actor=storekeeper,
        data={"warehouse": warehouse, "adjusted_on": SHIP_ON, "reason": "破损"},
        lines=[AdjustmentLineInput(product, D("-2"))],
    )

    delivery, results, errors = _shipment_crossing(
        lambda: adjustment_post(actor=storekeeper, adjustment=loss),
        product=product,
        warehouse=warehouse,
        actor=storekeeper,
    )

    _both_posted(errors, results, loss, delivery)
    _stock_agrees(product, warehouse, "4")


def test_return_booked_while_another_delivery_of_its_order_ships_queues_behind_it(
    storekeeper: User, stock_books: Company, delivery_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    stock_in(product, warehouse, "10", "500.00", actor=storekeeper)
    order = order_build(customer=customer_with_dimension(), lines=[(product, "4", "113.00")])
    line = order.lines.get()

    def delivery_of(quantity: str) -> Any:
        return delivery_create(
            order=order,
            warehouse=warehouse,
            actor=storekeeper,
            lines=[DeliveryLineInput(order_line_id=line.pk, quantity=D(quantity))],
        )

    shipped = delivery_ship(delivery=delivery_of("2"), shipped_on=SHIP_ON, actor=storekeeper)
    second = delivery_of("2")
    returned_line = shipped.lines.get()

    # The return locks its delivery's lines, then (in order_lines_unship) the order; the
    # shipment locks the order, then its lines.
    results, errors = crossed(
        lambda: return_create(
            delivery=shipped,
            lines=[ReturnLineInput(delivery_line_id=returned_line.pk, quantity=D("1"))],
            reason="外壳破损",
            returned_on=SHIP_ON,
            actor=storekeeper,
        ),
        lambda: delivery_ship(delivery=second, shipped_on=SHIP_ON, actor=storekeeper),
        first_stops_before=(returns_module, "order_lines_unship"),
        second_goes_through=(shipments, "order_lock"),
    )

    assert not deadlocks(errors), errors
    assert not errors, errors
    assert len(results) == 2
    line.refresh_from_db()
    assert line.shipped_quantity == D("3")  # 2 + 2 shipped, 1 back
    _stock_agrees(product, warehouse, "7")
