"""Stock adjustment pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from suanpan.inventory.models import StockAdjustment, StockLevel
from suanpan.ledger.models import Company
from suanpan.users.models import User
from tests.factories import ProductFactory, WarehouseFactory
from tests.inventory.stock_support import lines_post, posted_receipt

pytestmark = pytest.mark.django_db


def test_adjustment_pages_create_post_and_show_costs(
    keeper_client: Client, storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(code="ADJ-1"), WarehouseFactory()
    posted_receipt(storekeeper, warehouse, product, "10", "4")

    response = keeper_client.post(
        reverse("inventory:adjustment_create"),
        lines_post(
            [(str(product.pk), "", "-3", "")],
            warehouse=str(warehouse.pk),
            adjusted_on="2026-11-20",
            reason="月末盘点",
        ),
    )
    adjustment = StockAdjustment.objects.get()
    assert response.status_code == 302
    keeper_client.post(reverse("inventory:adjustment_post", args=[adjustment.pk]))

    detail = keeper_client.get(reverse("inventory:adjustment_detail", args=[adjustment.pk]))
    assert "-12.00" in detail.content.decode()
    assert StockLevel.objects.get(product=product).quantity == Decimal("7")
    listing = keeper_client.get(reverse("inventory:adjustment_list")).content.decode()
    assert adjustment.number in listing
    again = keeper_client.get(reverse("inventory:adjustment_cancel", args=[adjustment.pk]))
    assert again.status_code == 302


def test_adjustment_form_refuses_a_cost_on_a_loss(
    keeper_client: Client, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()

    response = keeper_client.post(
        reverse("inventory:adjustment_create"),
        lines_post(
            [(str(product.pk), "", "-1", "5")],
            warehouse=str(warehouse.pk),
            adjusted_on="2026-11-20",
            reason="破损",
        ),
    )

    assert "leave its unit cost blank" in response.content.decode()
    assert not StockAdjustment.objects.exists()
