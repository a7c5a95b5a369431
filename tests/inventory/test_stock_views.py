"""Inventory pages: stock on hand, its export and the stock ledger; who may see them; admin."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from suanpan.ledger.models import Company
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ProductFactory, UserFactory, WarehouseFactory
from tests.inventory.stock_support import posted_receipt

pytestmark = pytest.mark.django_db


def test_stock_list_shows_levels_values_and_totals_in_constant_queries(
    keeper_client: Client, storekeeper: User, stock_books: Company, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    warehouse = WarehouseFactory(name="北京仓")
    for n in range(3):
        posted_receipt(storekeeper, warehouse, ProductFactory(name=f"商品{n}"), "2", "10.5")
    keeper_client.get(reverse("inventory:home"))  # warm the session and permission caches

    with django_assert_max_num_queries(10):
        response = keeper_client.get(reverse("inventory:home"))
    for n in range(3, 8):
        posted_receipt(storekeeper, warehouse, ProductFactory(name=f"商品{n}"), "2", "10.5")
    with django_assert_max_num_queries(10):
        response = keeper_client.get(reverse("inventory:home"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "北京仓" in page and "商品7" in page and "168.00" in page  # 8 × 21.00


def test_stock_list_fragment_for_htmx_filters(
    keeper_client: Client, storekeeper: User, stock_books: Company
) -> None:
    north, south = WarehouseFactory(name="北京仓"), WarehouseFactory(name="上海仓")
    posted_receipt(storekeeper, north, ProductFactory(name="显示器"), "1", "1")
    posted_receipt(storekeeper, south, ProductFactory(name="键盘"), "1", "1")

    response = keeper_client.get(
        reverse("inventory:home"), {"warehouse": south.pk}, HTTP_HX_REQUEST="true"
    )

    page = response.content.decode()
    assert "<html" not in page
    assert "键盘" in page and "显示器" not in page


def test_stock_export_writes_the_filtered_rows_as_xlsx(
    keeper_client: Client, storekeeper: User, stock_books: Company
) -> None:
    warehouse = WarehouseFactory()
    posted_receipt(storekeeper, warehouse, ProductFactory(code="P-1", name="显示器"), "3", "100")

    response = keeper_client.get(reverse("inventory:stock_export"))

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][0] == "P-1" and rows[1][6] == 3 and rows[1][8] == 300


def test_stock_ledger_page_links_moves_to_their_documents(
    keeper_client: Client, storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    receipt = posted_receipt(storekeeper, warehouse, product, "4", "2.5")

    response = keeper_client.get(
        reverse("inventory:stock_ledger", args=[product.pk]), {"date_from": "2026-11-01"}
    )

    page = response.content.decode()
    assert reverse("inventory:receipt_detail", args=[receipt.pk]) in page
    assert "Opening balance" in page and "Closing balance" in page and "10.00" in page


def test_sales_can_read_stock_but_not_receive_goods(client: Client, stock_books: Company) -> None:
    client.force_login(UserFactory(role=Role.SALES))

    assert client.get(reverse("inventory:home")).status_code == 200
    assert client.get(reverse("inventory:receipt_list")).status_code == 200
    assert client.get(reverse("inventory:receipt_create")).status_code == 403
    assert client.get(reverse("inventory:adjustment_create")).status_code == 403
    assert client.get(reverse("inventory:warehouse_create")).status_code == 403
    assert client.post(reverse("inventory:receipt_create"), {}).status_code == 403


def test_pages_are_refused_to_users_without_inventory_permissions(client: Client) -> None:
    client.force_login(UserFactory(role=None))
    for name in ("home", "receipt_list", "adjustment_list", "warehouse_list"):
        assert client.get(reverse(f"inventory:{name}")).status_code == 403


@pytest.mark.parametrize(
    "model",
    [
        "warehouse",
        "stocklevel",
        "productcost",
        "stockmove",
        "goodsreceipt",
        "stockadjustment",
        "delivery",
        "deliveryreturn",
    ],
)
def test_admin_lists_inventory_read_only(client: Client, admin_user: User, model: str) -> None:
    client.force_login(admin_user)

    assert client.get(f"/admin/inventory/{model}/").status_code == 200
    assert client.get(f"/admin/inventory/{model}/add/").status_code == 403


def test_admin_receipt_page_shows_lines_without_editing(
    client: Client, admin_user: User, storekeeper: User, stock_books: Company
) -> None:
    receipt = posted_receipt(storekeeper, WarehouseFactory(), ProductFactory(), "1", "1")
    client.force_login(admin_user)

    response = client.get(f"/admin/inventory/goodsreceipt/{receipt.pk}/change/")

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


@pytest.mark.parametrize("name", ["receipt_list", "adjustment_list", "warehouse_list"])
def test_document_lists_cost_the_same_queries_for_more_rows(
    keeper_client: Client, storekeeper: User, stock_books: Company, name: str
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from suanpan.inventory.services.adjustments import AdjustmentLineInput, adjustment_create

    def add_rows(count: int) -> None:
        for _ in range(count):
            warehouse, product = WarehouseFactory(), ProductFactory()
            posted_receipt(storekeeper, warehouse, product, "2", "3")
            adjustment_create(
                actor=storekeeper,
                data={"warehouse": warehouse, "adjusted_on": date(2026, 11, 3), "reason": "盘点"},
                lines=[AdjustmentLineInput(product, Decimal("-1"))],
            )

    url = reverse(f"inventory:{name}")
    add_rows(1)
    keeper_client.get(url)
    with CaptureQueriesContext(connection) as few:
        keeper_client.get(url)
    add_rows(4)
    with CaptureQueriesContext(connection) as many:
        response = keeper_client.get(url)

    assert response.status_code == 200
    assert len(many) == len(few)
