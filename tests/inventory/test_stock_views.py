"""Inventory pages: stock on hand, stock ledger, warehouses, goods receipts, adjustments."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from suanpan.inventory.choices import ReceiptStatus
from suanpan.inventory.models import GoodsReceipt, StockAdjustment, StockLevel, Warehouse
from suanpan.inventory.services.receipts import ReceiptLineInput, receipt_create, receipt_post
from suanpan.ledger.models import Company
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ProductFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


def posted_receipt(
    actor: User, warehouse: Warehouse, product, quantity: str, cost: str
) -> GoodsReceipt:  # type: ignore[no-untyped-def]
    receipt = receipt_create(
        actor=actor,
        data={"warehouse": warehouse, "received_on": date(2026, 11, 2), "supplier": "华强电子"},
        lines=[ReceiptLineInput(product, Decimal(quantity), Decimal(cost))],
    )
    return receipt_post(actor=actor, receipt=receipt)


@pytest.fixture
def keeper_client(client: Client, storekeeper: User) -> Client:
    client.force_login(storekeeper)
    return client


def lines_post(rows: list[tuple[str, str, str, str]], **header: str) -> dict[str, str]:
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0", **header}
    for index, (product, label, quantity, cost) in enumerate(rows):
        data[f"lines-{index}-product"] = product
        data[f"lines-{index}-product_label"] = label
        data[f"lines-{index}-quantity"] = quantity
        data[f"lines-{index}-unit_cost"] = cost
    return data


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
    assert receipt.status == ReceiptStatus.DRAFT

    keeper_client.post(post_url)
    assert StockLevel.objects.get(product=product).quantity == Decimal("2")
    detail = keeper_client.get(reverse("inventory:receipt_detail", args=[receipt.pk]))
    assert reverse("inventory:receipt_edit", args=[receipt.pk]) not in detail.content.decode()

    keeper_client.post(reverse("inventory:receipt_cancel", args=[receipt.pk]))
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.CANCELLED
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
