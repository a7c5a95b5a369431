"""/api/v1/stock and /api/v1/stock/moves; who may read stock through the API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suanpan.inventory.services.receipts import ReceiptLineInput, receipt_create, receipt_post
from suanpan.ledger.models import Company
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ProductFactory, UserFactory, WarehouseFactory
from tests.inventory.stock_support import client_for, send

pytestmark = pytest.mark.django_db


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


def test_stock_moves_api_pages_the_ledger_counted_in_full_in_constant_queries(
    keeper: Client, storekeeper: User, stock_books: Company, settings
) -> None:
    settings.PAGE_SIZE = 2
    product, warehouse = ProductFactory(), WarehouseFactory()

    def receive(day: int) -> None:
        receipt_post(
            actor=storekeeper,
            receipt=receipt_create(
                actor=storekeeper,
                data={"warehouse": warehouse, "received_on": date(2026, 11, day)},
                lines=[ReceiptLineInput(product, Decimal("1"), Decimal("10"))],
            ),
        )

    params = {"product": product.pk, "warehouse": warehouse.pk}
    receive(1)
    keeper.get("/api/v1/stock/moves", params)
    with CaptureQueriesContext(connection) as few:
        keeper.get("/api/v1/stock/moves", params)
    for day in range(2, 6):
        receive(day)
    with CaptureQueriesContext(connection) as many:
        body = keeper.get("/api/v1/stock/moves", {**params, "page": 2}).json()
    assert len(many) == len(few)
    assert (body["count"], body["page"], body["pages"]) == (5, 2, 3)
    assert [m["moved_on"] for m in body["items"]] == ["2026-11-03", "2026-11-04"]
    assert [Decimal(m["balance_quantity"]) for m in body["items"]] == [Decimal(3), Decimal(4)]
    past = keeper.get("/api/v1/stock/moves", {**params, "page": 9}).json()
    assert (past["page"], len(past["items"])) == (3, 1)


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
