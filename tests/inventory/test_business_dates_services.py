"""Stock documents refuse dates outside the window (core.dates), the field named, nothing
written: goods receipts, stock adjustments, deliveries (ship, sign, cancel) and returns."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from suanpan.core.errors import DateOutOfRange
from suanpan.inventory.choices import DeliveryStatus
from suanpan.inventory.models import GoodsReceipt, StockAdjustment, StockMove
from suanpan.inventory.services.adjustments import AdjustmentLineInput, adjustment_create
from suanpan.inventory.services.deliveries import delivery_create, delivery_ship, delivery_sign
from suanpan.inventory.services.receipts import ReceiptLineInput, receipt_create, receipt_update
from suanpan.inventory.services.returns import ReturnLineInput, return_create
from tests.factories import ProductFactory, WarehouseFactory, order_build
from tests.inventory.deliveries_support import SHIP_ON, customer_with_dimension, stock_in

pytestmark = pytest.mark.django_db
D = Decimal
FAR = date(9999, 12, 31)


def _refused(call: Any, *fields: str) -> None:
    with pytest.raises(DateOutOfRange) as caught:
        call()
    assert sorted(caught.value.fields) == sorted(fields)


def _receipt(storekeeper: Any, on: date) -> GoodsReceipt:
    return receipt_create(
        actor=storekeeper,
        data={"warehouse": WarehouseFactory(), "received_on": on},
        lines=[ReceiptLineInput(ProductFactory(), D("1"), D("1"))],
    )


@pytest.mark.parametrize("on", [FAR, date(1, 1, 1), date(2025, 12, 31)])
def test_receipt_create_refuses_a_date_outside_the_window(storekeeper, stock_books, on) -> None:
    _refused(lambda: _receipt(storekeeper, on), "received_on")
    assert not GoodsReceipt.objects.exists()


def test_receipt_update_refuses_a_new_date_far_ahead(storekeeper, stock_books) -> None:
    receipt = _receipt(storekeeper, timezone.localdate())
    _refused(
        lambda: receipt_update(
            actor=storekeeper,
            receipt=receipt,
            data={"received_on": timezone.localdate() + timedelta(days=367)},
            lines=[ReceiptLineInput(ProductFactory(), D("1"), D("1"))],
        ),
        "received_on",
    )


def test_adjustment_create_refuses_year_9999(storekeeper, stock_books) -> None:
    _refused(
        lambda: adjustment_create(
            actor=storekeeper,
            data={"warehouse": WarehouseFactory(), "adjusted_on": FAR, "reason": "盘点"},
            lines=[AdjustmentLineInput(ProductFactory(), D("1"), None)],
        ),
        "adjusted_on",
    )
    assert not StockAdjustment.objects.exists()


@pytest.fixture
def draft(clerk, delivery_books) -> Any:
    warehouse, product = WarehouseFactory(), ProductFactory()
    stock_in(product, warehouse, "3", "100.00", actor=clerk)
    order = order_build(customer=customer_with_dimension(), lines=[(product, "3", "113.00")])
    return delivery_create(order=order, warehouse=warehouse, actor=clerk)


def test_delivery_ship_and_sign_refuse_year_9999(draft, clerk) -> None:
    moves = StockMove.objects.count()
    _refused(lambda: delivery_ship(delivery=draft, shipped_on=FAR, actor=clerk), "shipped_on")
    draft.refresh_from_db()
    assert draft.status == DeliveryStatus.DRAFT and StockMove.objects.count() == moves
    delivery_ship(delivery=draft, shipped_on=SHIP_ON, actor=clerk)
    _refused(lambda: delivery_sign(delivery=draft, signed_on=FAR, actor=clerk), "signed_on")


def test_return_refuses_year_9999(draft, clerk) -> None:
    delivery_ship(delivery=draft, shipped_on=SHIP_ON, actor=clerk)
    line = draft.lines.get()
    _refused(
        lambda: return_create(
            delivery=draft,
            lines=[ReturnLineInput(delivery_line_id=line.pk, quantity=D("1"))],
            reason="破损",
            returned_on=FAR,
            actor=clerk,
        ),
        "returned_on",
    )
