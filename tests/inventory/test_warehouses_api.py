"""/api/v1/warehouses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from suanpan.inventory.models import Warehouse
from suanpan.inventory.services.receipts import ReceiptLineInput, receipt_create, receipt_post
from suanpan.ledger.models import Company
from suanpan.users.models import User
from tests.factories import ProductFactory
from tests.inventory.stock_support import send

pytestmark = pytest.mark.django_db


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
