"""Goods receipt pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from suanpan.inventory.choices import StockDocumentStatus
from suanpan.inventory.models import GoodsReceipt, StockLevel
from suanpan.inventory.services.receipts import ReceiptLineInput, receipt_create
from suanpan.ledger.models import Company
from suanpan.users.models import User
from tests.factories import ProductFactory, WarehouseFactory
from tests.inventory.stock_support import lines_post, posted_receipt

pytestmark = pytest.mark.django_db


def test_receipt_create_page_saves_a_draft_from_the_line_grid(
    keeper_client: Client, stock_books: Company
) -> None:
    warehouse = WarehouseFactory()
    picked, typed = ProductFactory(), ProductFactory(code="TYPED-1")
    assert keeper_client.get(reverse("inventory:receipt_create")).status_code == 200

    response = keeper_client.post(
        reverse("inventory:receipt_create"),
        lines_post(
            [
                (str(picked.pk), "", "2", "3.333"),
                ("", "typed-1", "1", "5"),
                ("", "", "", ""),  # the empty row the grid always ends with
            ],
            warehouse=str(warehouse.pk),
            received_on="2026-11-05",
            supplier="华强电子",
            notes="",
        ),
    )

    receipt = GoodsReceipt.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "inventory:receipt_detail", args=[receipt.pk]
    )
    assert [line.product for line in receipt.lines.all()] == [picked, typed]
    assert receipt.total_amount == Decimal("11.67")  # 6.67 + 5.00


def test_receipt_create_page_shows_line_errors_on_their_rows(
    keeper_client: Client, stock_books: Company
) -> None:
    from suanpan.catalog.choices import ProductKind

    service = ProductFactory(kind=ProductKind.SERVICE, name="安装服务")
    response = keeper_client.post(
        reverse("inventory:receipt_create"),
        lines_post(
            [(str(service.pk), "", "1", "1"), ("", "NO-SUCH", "1", "1")],
            warehouse=str(WarehouseFactory().pk),
            received_on="2026-11-05",
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Pick a product from the list or type its code." in page
    assert not GoodsReceipt.objects.exists()

    response = keeper_client.post(
        reverse("inventory:receipt_create"),
        lines_post(
            [(str(service.pk), "", "1", "1")],
            warehouse=str(WarehouseFactory().pk),
            received_on="2026-11-05",
        ),
    )
    assert "安装服务 is a service and has no stock." in response.content.decode()


def test_receipt_post_and_cancel_ask_first_then_act(
    keeper_client: Client, storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    receipt = receipt_create(
        actor=storekeeper,
        data={"warehouse": warehouse, "received_on": date(2026, 11, 2)},
        lines=[ReceiptLineInput(product, Decimal("2"), Decimal("5"))],
    )
    post_url = reverse("inventory:receipt_post", args=[receipt.pk])

    confirm = keeper_client.get(post_url)
    assert confirm.status_code == 200 and "accounts payable" in confirm.content.decode()
    receipt.refresh_from_db()
    assert receipt.status == StockDocumentStatus.DRAFT

    keeper_client.post(post_url)
    assert StockLevel.objects.get(product=product).quantity == Decimal("2")
    detail = keeper_client.get(reverse("inventory:receipt_detail", args=[receipt.pk]))
    assert reverse("inventory:receipt_edit", args=[receipt.pk]) not in detail.content.decode()

    keeper_client.post(reverse("inventory:receipt_cancel", args=[receipt.pk]))
    receipt.refresh_from_db()
    assert receipt.status == StockDocumentStatus.CANCELLED
    assert StockLevel.objects.get(product=product).quantity == 0
    detail = keeper_client.get(reverse("inventory:receipt_detail", args=[receipt.pk]))
    page = detail.content.decode()
    assert f"Goods received, {receipt.number}" in page
    assert f"Cancelled: Goods received, {receipt.number}" in page


def test_receipt_list_and_detail(
    keeper_client: Client, storekeeper: User, stock_books: Company
) -> None:
    receipt = posted_receipt(
        storekeeper, WarehouseFactory(), ProductFactory(name="显示器"), "1", "9"
    )

    listing = keeper_client.get(reverse("inventory:receipt_list"), {"q": "华强"}).content.decode()
    detail = keeper_client.get(
        reverse("inventory:receipt_detail", args=[receipt.pk])
    ).content.decode()

    assert receipt.number in listing
    assert "显示器" in detail and "9.00" in detail
    assert keeper_client.get(reverse("inventory:receipt_detail", args=[999999])).status_code == 404
