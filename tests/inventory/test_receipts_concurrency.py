"""Goods receipts and adjustments racing on PostgreSQL: one post per receipt, no stock below
zero, gapless numbers, and the inventory account still equal to the stock value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from suanpan.inventory.choices import StockDocumentStatus
from suanpan.inventory.errors import DocumentNotInStatus, NegativeStock
from suanpan.inventory.models import GoodsReceipt, ProductCost, StockLevel, StockMove
from suanpan.inventory.services.adjustments import (
    AdjustmentLineInput,
    adjustment_create,
    adjustment_post,
)
from suanpan.inventory.services.receipts import (
    ReceiptLineInput,
    receipt_cancel,
    receipt_create,
    receipt_post,
)
from suanpan.ledger.models import Company, Voucher, VoucherLine
from suanpan.users.models import User
from tests.factories import ProductFactory, WarehouseFactory
from tests.ledger.test_concurrency import race

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
ON = date(2026, 11, 2)


def draft(actor: User, warehouse, product, quantity: str = "5") -> GoodsReceipt:  # type: ignore[no-untyped-def]
    return receipt_create(
        actor=actor,
        data={"warehouse": warehouse, "received_on": ON},
        lines=[ReceiptLineInput(product, Decimal(quantity), Decimal("10"))],
    )


def test_two_posts_of_one_receipt_move_its_goods_once(
    storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    receipt = draft(storekeeper, warehouse, product)

    results, errors = race(2, lambda _i: receipt_post(actor=storekeeper, receipt=receipt))

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], DocumentNotInStatus), errors
    assert StockLevel.objects.get(product=product).quantity == Decimal("5")
    assert StockMove.objects.filter(product=product).count() == 1
    assert Voucher.objects.count() == 1


def test_cancel_racing_a_loss_for_the_same_goods_lets_one_through(
    storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    receipt = receipt_post(actor=storekeeper, receipt=draft(storekeeper, warehouse, product))
    loss = adjustment_create(
        actor=storekeeper,
        data={"warehouse": warehouse, "adjusted_on": ON, "reason": "破损"},
        lines=[AdjustmentLineInput(product, Decimal("-3"))],
    )

    def work(index: int) -> object:
        if index == 0:
            return receipt_cancel(actor=storekeeper, receipt=receipt)
        return adjustment_post(actor=storekeeper, adjustment=loss)

    results, errors = race(2, work)

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], NegativeStock), errors
    level = StockLevel.objects.get(product=product)
    assert level.quantity in (Decimal("0"), Decimal("2"))
    stock_value = ProductCost.objects.get(product=product).value_amount
    inventory = VoucherLine.objects.filter(account__code="1405").aggregate(
        d=Sum("debit_amount"), c=Sum("credit_amount")
    )
    assert inventory["d"] - inventory["c"] == stock_value


def test_receipts_created_together_are_numbered_without_gaps(
    storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()

    _results, errors = race(4, lambda _i: draft(storekeeper, warehouse, product))

    assert not errors, errors
    numbers = sorted(GoodsReceipt.objects.values_list("number", flat=True))
    assert numbers == [f"RK-202611-000{n}" for n in range(1, 5)]
    assert set(GoodsReceipt.objects.values_list("status", flat=True)) == {StockDocumentStatus.DRAFT}
