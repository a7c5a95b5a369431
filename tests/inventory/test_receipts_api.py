"""/api/v1/goods-receipts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from suanpan.inventory.models import GoodsReceipt, StockLevel
from suanpan.ledger.models import Company
from tests.factories import ProductFactory, WarehouseFactory
from tests.inventory.stock_support import send

pytestmark = pytest.mark.django_db


def test_goods_receipt_api_create_post_and_cancel(keeper: Client, stock_books: Company) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()

    status, body = send(
        keeper,
        "post",
        "/api/v1/goods-receipts",
        {
            "warehouse_id": warehouse.pk,
            "received_on": "2026-11-03",
            "supplier": "华强电子",
            "lines": [{"product_id": product.pk, "quantity": "4", "unit_cost": "2.345"}],
        },
    )
    assert status == 201, body
    assert (body["number"], body["status"], Decimal(body["total_amount"])) == (
        "RK-202611-0001",
        "draft",
        Decimal("9.38"),
    )
    pk = body["id"]

    status, body = send(
        keeper,
        "patch",
        f"/api/v1/goods-receipts/{pk}",
        {"lines": [{"product_id": product.pk, "quantity": "5", "unit_cost": "2"}]},
    )
    assert status == 200 and Decimal(body["total_amount"]) == Decimal("10.00")
    assert body["supplier"] == "华强电子"

    status, body = send(keeper, "post", f"/api/v1/goods-receipts/{pk}/post")
    assert status == 200 and body["status"] == "posted"
    assert StockLevel.objects.get(product=product).quantity == Decimal("5")

    status, body = send(keeper, "post", f"/api/v1/goods-receipts/{pk}/post")
    assert (status, body["code"]) == (409, "wrong_status")

    status, body = send(keeper, "post", f"/api/v1/goods-receipts/{pk}/cancel")
    assert status == 200 and body["status"] == "cancelled"


def test_goods_receipt_api_reports_unknown_products_and_line_errors(
    keeper: Client, stock_books: Company
) -> None:
    warehouse = WarehouseFactory()

    status, body = send(
        keeper,
        "post",
        "/api/v1/goods-receipts",
        {
            "warehouse_id": warehouse.pk,
            "received_on": "2026-11-03",
            "lines": [{"product_id": 999999, "quantity": "1", "unit_cost": "1"}],
        },
    )

    assert (status, body["code"]) == (422, "validation_failed")
    assert "lines.0.product_id" in body["fields"]
    assert not GoodsReceipt.objects.exists()
