"""Deliveries racing each other on PostgreSQL: row locks keep stock and orders within bounds.

Each thread has its own database connection (closed when it ends); a barrier starts them
together so the shipments really race.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from suanpan.inventory.choices import DeliveryStatus
from suanpan.inventory.errors import NegativeStock
from suanpan.inventory.models import Delivery, ProductCost, StockLevel, StockMove
from suanpan.inventory.services.deliveries import (
    DeliveryLineInput,
    delivery_create,
    delivery_ship,
)
from suanpan.ledger.models import Voucher
from suanpan.sales.errors import ShipmentExceedsOrder
from tests.factories import ProductFactory, WarehouseFactory, order_build
from tests.inventory.deliveries_support import SHIP_ON, customer_with_dimension, stock_in
from tests.ledger.test_concurrency import race

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
D = Decimal


def _ship(delivery: Delivery, clerk) -> Delivery:  # type: ignore[no-untyped-def]
    return delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)


def test_two_deliveries_racing_for_the_last_units_ship_one_and_refuse_the_other(
    clerk, delivery_books
):
    warehouse, product = WarehouseFactory(), ProductFactory()
    stock_in(product, warehouse, "5", "250.00", actor=clerk)
    customer = customer_with_dimension()
    drafts = [
        delivery_create(
            order=order_build(customer=customer, lines=[(product, "4", "113.00")]),
            warehouse=warehouse,
            actor=clerk,
        )
        for _ in range(2)
    ]

    results, errors = race(2, lambda i: _ship(drafts[i], clerk))

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], NegativeStock), errors
    level = StockLevel.objects.get(product=product, warehouse=warehouse)
    assert level.quantity == D("1")
    cost = ProductCost.objects.get(product=product)
    assert (cost.quantity, cost.value_amount) == (D("1"), D("50.00"))
    assert sum(m.quantity for m in StockMove.objects.filter(product=product)) == D("1")
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses == [DeliveryStatus.DRAFT, DeliveryStatus.SHIPPED]
    # The refused shipment left no voucher and no shipped quantity behind.
    assert Voucher.objects.count() == 1
    shipped = sorted(line.shipped_quantity for d in drafts for line in d.order.lines.all())
    assert shipped == [D("0"), D("4")]


def test_two_deliveries_racing_for_the_rest_of_an_order_line_ship_one(clerk, delivery_books):
    warehouse, product = WarehouseFactory(), ProductFactory()
    stock_in(product, warehouse, "10", "500.00", actor=clerk)
    order = order_build(customer=customer_with_dimension(), lines=[(product, "5", "113.00")])
    line = order.lines.get()
    # Both drafts fit what remained when they were made; only one can still fit when shipped.
    drafts = [
        delivery_create(
            order=order,
            warehouse=warehouse,
            actor=clerk,
            lines=[DeliveryLineInput(order_line_id=line.pk, quantity=D("4"))],
        )
        for _ in range(2)
    ]

    results, errors = race(2, lambda i: _ship(drafts[i], clerk))

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ShipmentExceedsOrder), errors
    line.refresh_from_db()
    assert line.shipped_quantity == D("4")
    assert StockLevel.objects.get(product=product).quantity == D("6")
    assert Voucher.objects.count() == 1
