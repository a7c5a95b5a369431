"""/api/v1/stock-adjustments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from suanpan.inventory.services.receipts import ReceiptLineInput, receipt_create, receipt_post
from suanpan.ledger.models import Company
from suanpan.users.models import User
from tests.factories import ProductFactory, WarehouseFactory
from tests.inventory.stock_support import send

pytestmark = pytest.mark.django_db


def test_stock_adjustment_api_posts_a_loss_and_refuses_one_beyond_stock(
    keeper: Client, storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    receipt_post(
        actor=storekeeper,
        receipt=receipt_create(
            actor=storekeeper,
            data={"warehouse": warehouse, "received_on": date(2026, 11, 2)},
            lines=[ReceiptLineInput(product, Decimal("2"), Decimal("10"))],
        ),
    )

    def adjust(quantity: str) -> Any:
        status, body = send(
            keeper,
            "post",
            "/api/v1/stock-adjustments",
            {
                "warehouse_id": warehouse.pk,
                "adjusted_on": "2026-11-10",
                "reason": "盘点",
                "lines": [{"product_id": product.pk, "quantity": quantity}],
            },
        )
        assert status == 201, body
        return send(keeper, "post", f"/api/v1/stock-adjustments/{body['id']}/post")

    status, body = adjust("-1")
    assert status == 200 and Decimal(body["lines"][0]["value_amount"]) == Decimal("-10.00")
    status, body = adjust("-5")
    assert (status, body["code"]) == (422, "negative_stock")
