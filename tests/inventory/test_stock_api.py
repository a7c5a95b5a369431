"""/api/v1 warehouses, stock, goods receipts and stock adjustments."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suanpan.inventory.models import GoodsReceipt, StockLevel, Warehouse
from suanpan.inventory.services.receipts import ReceiptLineInput, receipt_create, receipt_post
from suanpan.ledger.models import Company
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import api_token_create
from tests.factories import ProductFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    _token, key = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {key}"})


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    response = getattr(client, method)(
        url, data=json.dumps(body or {}), content_type="application/json"
    )
    return response.status_code, response.json()


@pytest.fixture
def keeper(storekeeper: User) -> Client:
    return client_for(storekeeper)


def test_warehouse_api_create_list_update_and_refuse_deactivating_with_stock(
    keeper: Client, storekeeper: User, stock_books: Company
) -> None:
    status, body = send(keeper, "post", "/api/v1/warehouses", {"code": "bj", "name": "北京仓"})
    assert status == 201 and body["code"] == "BJ"
    pk = body["id"]
    status, body = send(keeper, "post", "/api/v1/warehouses", {"code": "BJ", "name": "重复"})
    assert (status, body["code"]) == (422, "warehouse_code_taken")

    status, body = send(keeper, "patch", f"/api/v1/warehouses/{pk}", {"address": "朝阳"})
    assert (status, body["address"], body["name"]) == (200, "朝阳", "北京仓")

    receipt = receipt_create(
        actor=storekeeper,
        data={
            "warehouse": Warehouse.objects.get(pk=pk),
            "received_on": date(2026, 11, 2),
        },
        lines=[ReceiptLineInput(ProductFactory(), Decimal("3"), Decimal("1"))],
    )
    receipt_post(actor=storekeeper, receipt=receipt)
    status, body = send(keeper, "post", f"/api/v1/warehouses/{pk}/deactivate")
    assert (status, body["code"]) == (409, "warehouse_not_empty")

    listing = keeper.get("/api/v1/warehouses").json()
    assert (
        listing["items"][0]["quantity_held"] == "3.0000"
        or Decimal(listing["items"][0]["quantity_held"]) == 3
    )


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


def test_stock_api_lists_levels_with_values_in_constant_queries(
    keeper: Client, storekeeper: User, stock_books: Company
) -> None:
    warehouse = WarehouseFactory()

    def receive(n: int) -> None:
        receipt_post(
            actor=storekeeper,
            receipt=receipt_create(
                actor=storekeeper,
                data={"warehouse": warehouse, "received_on": date(2026, 11, 2)},
                lines=[ReceiptLineInput(ProductFactory(), Decimal("3"), Decimal(n))],
            ),
        )

    receive(1)
    keeper.get("/api/v1/stock")
    with CaptureQueriesContext(connection) as few:
        keeper.get("/api/v1/stock")
    for n in range(2, 8):
        receive(n)
    with CaptureQueriesContext(connection) as many:
        body = keeper.get("/api/v1/stock", {"ordering": "-value"}).json()

    assert len(many) == len(few)
    assert body["count"] == 7
    assert Decimal(body["items"][0]["value_amount"]) == Decimal("21.00")
    assert Decimal(body["items"][0]["unit_cost"]) == Decimal("7")


def test_stock_moves_api_is_the_product_ledger_with_balances(
    keeper: Client, storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    for day, cost in ((1, "10"), (5, "20")):
        receipt_post(
            actor=storekeeper,
            receipt=receipt_create(
                actor=storekeeper,
                data={"warehouse": warehouse, "received_on": date(2026, 11, day)},
                lines=[ReceiptLineInput(product, Decimal("1"), Decimal(cost))],
            ),
        )

    body = keeper.get(
        "/api/v1/stock/moves",
        {"product": product.pk, "warehouse": warehouse.pk, "date_from": "2026-11-02"},
    ).json()

    assert Decimal(body["opening_value"]) == Decimal("10.00")
    assert [Decimal(m["balance_value"]) for m in body["items"]] == [Decimal("30.00")]
    assert Decimal(body["closing_quantity"]) == Decimal("2")
    assert keeper.get("/api/v1/stock/moves").status_code == 422


def test_sales_reads_stock_through_the_api_but_cannot_receive_goods(
    stock_books: Company,
) -> None:
    sales = client_for(UserFactory(role=Role.SALES))
    warehouse, product = WarehouseFactory(), ProductFactory()

    assert sales.get("/api/v1/stock").status_code == 200
    assert sales.get("/api/v1/warehouses").status_code == 200
    status, body = send(
        sales,
        "post",
        "/api/v1/goods-receipts",
        {
            "warehouse_id": warehouse.pk,
            "received_on": "2026-11-03",
            "lines": [{"product_id": product.pk, "quantity": "1", "unit_cost": "1"}],
        },
    )
    assert (status, body["code"]) == (403, "permission_denied")
    status, body = send(sales, "post", "/api/v1/warehouses", {"code": "X", "name": "X"})
    assert status == 403

    nobody = client_for(UserFactory(role=None))
    assert nobody.get("/api/v1/stock").status_code == 403
    assert nobody.get(f"/api/v1/warehouses/{warehouse.pk}").status_code == 404
