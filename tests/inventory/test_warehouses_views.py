"""Warehouse pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from suanpan.inventory.models import Warehouse
from suanpan.ledger.models import Company
from suanpan.users.models import User
from tests.factories import ProductFactory
from tests.inventory.stock_support import posted_receipt

pytestmark = pytest.mark.django_db


def test_warehouse_create_edit_and_deactivate_refused_while_holding_stock(
    keeper_client: Client, storekeeper: User, stock_books: Company
) -> None:
    response = keeper_client.post(
        reverse("inventory:warehouse_create"), {"code": "gz01", "name": "广州仓", "address": ""}
    )
    assert response.status_code == 302
    warehouse = Warehouse.objects.get(code="GZ01")
    response = keeper_client.post(
        reverse("inventory:warehouse_create"), {"code": "GZ01", "name": "重复", "address": ""}
    )
    assert "GZ01" in response.content.decode()

    keeper_client.post(
        reverse("inventory:warehouse_edit", args=[warehouse.pk]),
        {"code": "GZ01", "name": "广州一号仓", "address": "天河"},
    )
    posted_receipt(storekeeper, warehouse, ProductFactory(), "7", "1")
    response = keeper_client.post(
        reverse("inventory:warehouse_deactivate", args=[warehouse.pk]), follow=True
    )

    warehouse.refresh_from_db()
    assert warehouse.name == "广州一号仓" and warehouse.is_active
    assert "still holds 7 units" in response.content.decode()
    listing = keeper_client.get(reverse("inventory:warehouse_list")).content.decode()
    assert "广州一号仓" in listing
