"""From lead to goods out: opportunity → quote → order → confirm → part delivery → stock and books.

Everything the salesperson does happens in the browser; the books, the product, the warehouse
and its stock are set up through the services beforehand, as an administrator would.

Buttons are found by where their forms post, not by their words, and the words asserted are
looked up in the catalogue the page is rendered with, so the test holds while the Chinese
translations are still being written.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from suanpan.catalog import selectors as catalog_selectors
from suanpan.catalog import services as catalog
from suanpan.catalog.choices import ProductKind
from suanpan.catalog.models import Product
from suanpan.customers import services as customers
from suanpan.customers.models import Customer
from suanpan.demo.customers import credit_code
from suanpan.inventory.choices import DeliveryStatus
from suanpan.inventory.models import Delivery, StockLevel, Warehouse
from suanpan.inventory.services import receipts, warehouses
from suanpan.ledger import services as ledger
from suanpan.ledger.choices import AccountingStandard, VoucherStatus
from suanpan.ledger.models import Voucher
from suanpan.sales.choices import OrderStatus, QuoteStatus
from suanpan.sales.models import Opportunity, OpportunityStage, Quote, SalesOrder
from suanpan.users.choices import Role
from suanpan.users.models import User

pytestmark = pytest.mark.e2e

PASSWORD = "pw-for-tests-123"  # UserFactory's
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "docs" / "images")
)
CUSTOMER = "上海星辰贸易有限公司"
PRODUCT_CODE = "SP-2401"
PRODUCT_NAME = "千兆交换机"
TITLE = "门店网络升级"
QUOTING_STAGE = "方案报价"
ON_HAND = 50
ORDERED = 10
SHIPPED = 4


def _zh(text: object) -> str:
    """A label as the pages show it: in the product's default language, zh-hans."""
    with translation.override("zh-hans"):
        return str(text)


@dataclass(frozen=True)
class Shop:
    product: Product
    warehouse: Warehouse
    customer: Customer


@pytest.fixture
def shop(make_user: Callable[..., User], salesperson: User, pipeline_stages: None) -> Shop:
    """The books, the pipeline, a goods product with 50 in one warehouse, and the salesperson's
    customer."""
    admin = make_user(Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    today = timezone.localdate()
    ledger.company_setup(
        actor=admin,
        name="算盘测试科技有限公司",
        standard=AccountingStandard.CAS,
        first_period=today.replace(day=1),
        voucher_words="记收付转",
    )
    # A fresh install has it (catalog migration 0003); a live-server test may run after a flush.
    category = catalog_selectors.tax_category_by_code(
        code="1090511030000000000"
    ) or catalog.tax_category_create(
        actor=admin,
        data={"code": "1090511030000000000", "name": "计算机外部设备", "vat_rate_key": "13"},
    )
    product = catalog.product_create(
        actor=admin,
        data={
            "code": PRODUCT_CODE,
            "name": PRODUCT_NAME,
            "specification": "24口 企业级",
            "unit": "台",
            "kind": ProductKind.GOODS,
            "tax_category": category,
            "list_price": Decimal("1130.00"),
            "price_includes_tax": True,
            "standard_cost": Decimal("600.00"),
        },
    )
    warehouse = warehouses.warehouse_create(
        actor=admin, data={"code": "WH01", "name": "北京总仓", "address": "北京市大兴区物流园8号"}
    )
    receipt = receipts.receipt_create(
        actor=admin,
        data={"warehouse": warehouse, "received_on": today, "supplier": "华强电子"},
        lines=[
            receipts.ReceiptLineInput(
                product=product, quantity=Decimal(ON_HAND), unit_cost=Decimal("600.00")
            )
        ],
    )
    receipts.receipt_post(actor=admin, receipt=receipt)
    customer = customers.customer_create(
        actor=salesperson,
        data={
            "name": CUSTOMER,
            "credit_code": credit_code(random.Random(2026), "310000"),
            "grade": "A",
            "payment_terms_days": 30,
            "credit_limit_amount": 500_000,
        },
        contacts=[{"name": "王芳", "phone": "139 1234 5678", "title": "采购经理"}],
    )
    return Shop(product=product, warehouse=warehouse, customer=customer)


def _log_in(page: Page, user: User) -> None:
    page.goto("/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("#sp-sidebar")).to_be_attached()


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=True, animations="disabled")


def _column(page: Page, stage: OpportunityStage) -> Locator:
    return page.locator(f".sp-board-cards[data-stage='{stage.pk}']")


def _drag(page: Page, card: Locator, target: Locator) -> None:
    """Drag with the mouse in small steps, as a hand would, holding the card by its customer
    line: the board lets links and form fields work as usual, so they start no drag."""
    handle = card.locator(".card-body > div.small").first
    handle.scroll_into_view_if_needed()
    start = handle.bounding_box()
    end = target.bounding_box()
    assert start is not None and end is not None
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 10, start["y"] + 20, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=20)
    page.mouse.up()


def test_sales_flow_ships_part_of_order_and_posts_voucher_when_salesperson_works_lead_through(
    page: Page, salesperson: User, shop: Shop
) -> None:
    customer, warehouse = shop.customer, shop.warehouse
    stages = list(OpportunityStage.objects.filter(is_active=True).order_by("position", "id"))
    first_stage = stages[0]
    quoting = next(s for s in stages if s.name == QUOTING_STAGE)
    # The confirm() dialogs of posting forms (send, order, confirm, ship) are all answered yes.
    page.on("dialog", lambda dialog: dialog.accept())

    # given a signed-in salesperson on the pipeline board
    _log_in(page, salesperson)
    page.locator("#sp-sidebar a[href='/sales/']").click()
    expect(page.locator("#board")).to_be_visible()

    # when they enter an opportunity for their customer through the form
    page.locator("main a[href='/sales/opportunities/new/']").click()
    page.locator("#id_customer").press_sequentially("shxc", delay=30)  # 上海星辰 by its initials
    page.locator(".sp-picker-results [role=option]", has_text=CUSTOMER).click()
    expect(page.locator("input[name=customer]")).to_have_value(str(customer.pk))
    page.locator("input[name=title]").fill(TITLE)
    page.locator("input[name=amount]").fill("11300")
    page.locator("input[name=expected_close_on]").fill(
        (timezone.localdate().replace(day=1) + timedelta(days=45)).isoformat()
    )
    page.locator("select[name=stage]").select_option(str(first_stage.pk))
    page.locator("input[name=next_step]").fill("提交组网方案")
    page.locator("main button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sales/opportunities/\d+/$"))
    opportunity = Opportunity.objects.get(title=TITLE)
    assert opportunity.customer == customer and opportunity.owner == salesperson

    # then the board shows its card in the first column
    page.goto("/sales/pipeline/")
    card = page.locator(f".sp-card[data-id='{opportunity.pk}']")
    expect(_column(page, first_stage).locator(card)).to_have_count(1)
    expect(card).to_contain_text(CUSTOMER)

    # when they drag the card into 方案报价 (the board answers re-rendered from the database)
    with page.expect_response(
        lambda r: (
            r.url.endswith(f"/sales/opportunities/{opportunity.pk}/move/")
            and r.request.method == "POST"
        )
    ) as moved:
        _drag(page, card, _column(page, quoting))
    assert moved.value.ok

    # then the card stays there, and so does the opportunity
    expect(_column(page, quoting).locator(f".sp-card[data-id='{opportunity.pk}']")).to_have_count(1)
    expect(_column(page, first_stage).locator(".sp-card")).to_have_count(0)
    opportunity.refresh_from_db()
    assert opportunity.stage == quoting
    page.mouse.move(0, 0)  # no hover state in the picture
    _screenshot(page, "sales-pipeline-board.png")

    # when they open it and start a quote from it
    page.locator(f".sp-card[data-id='{opportunity.pk}'] a").first.click()
    expect(page).to_have_url(re.compile(rf"/sales/opportunities/{opportunity.pk}/$"))
    page.locator(f"main a[href='/sales/quotes/new/?opportunity={opportunity.pk}']").click()
    expect(page.locator("input[name=customer]")).to_have_value(str(customer.pk))
    expect(page.locator("select[name=opportunity]")).to_have_value(str(opportunity.pk))

    # and pick the product by searching its code in the line grid, and order 10 of them
    product_cell = page.locator("input[name='lines-0-product_label']")
    product_cell.click()
    product_cell.press_sequentially("2401", delay=30)
    suggestion = page.locator(".sp-line-suggestions .list-group-item").first
    expect(suggestion).to_contain_text(PRODUCT_NAME)
    product_cell.press("Enter")
    quantity = page.locator("input[name='lines-0-quantity']")
    expect(quantity).to_be_focused()
    expect(product_cell).to_have_value(re.compile(PRODUCT_NAME))
    quantity.fill(str(ORDERED))

    # then the totals follow: 10 × 1,130.00 including 13 % VAT
    totals = page.locator("#lines-totals")
    expect(totals).to_contain_text("11,300.00")
    expect(totals).to_contain_text("10,000.00")
    expect(totals).to_contain_text("1,300.00")
    expect(page.locator("#lines-0-amount")).to_contain_text("11,300.00")

    # when they save the quote and mark it as sent
    page.locator("main button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sales/quotes/\d+/$"))
    quote = Quote.objects.get(opportunity=opportunity)
    expect(page.locator("h1")).to_contain_text(quote.number)
    assert quote.number.startswith("BJ-")
    assert quote.gross_amount == Decimal("11300.00")
    page.locator(f"form[action='/sales/quotes/{quote.pk}/send/'] button").click()
    expect(page.locator(f"form[action='/sales/quotes/{quote.pk}/send/']")).to_have_count(0)
    expect(page.locator("h1")).to_contain_text(_zh(QuoteStatus.SENT.label))
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT

    # and convert it into an order, which they confirm
    page.locator(f"main a[href='/sales/quotes/{quote.pk}/order/']").click()
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sales/orders/\d+/$"))
    order = SalesOrder.objects.get(quote=quote)
    assert order.status == OrderStatus.DRAFT
    page.locator(f"form[action='/sales/orders/{order.pk}/confirm/'] button").click()
    expect(page.locator("h1")).to_contain_text(_zh(OrderStatus.CONFIRMED.label))
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED

    # and create a delivery of 4 of the 10 from the order's page
    page.locator(f"main a[href='/inventory/deliveries/new/?order={order.pk}']").click()
    page.locator("select[name=warehouse]").select_option(str(warehouse.pk))
    line = order.lines.get()
    line_quantity = page.locator(f"input[name='line_{line.pk}']")
    # It starts at what remains to ship: the whole line.
    expect(line_quantity).to_have_value(re.compile(rf"^{ORDERED}(\.0*)?$"))
    line_quantity.fill(str(SHIPPED))
    page.locator("main form button.btn-primary").click()
    expect(page).to_have_url(re.compile(r"/inventory/deliveries/\d+/$"))
    delivery = Delivery.objects.get(order=order)
    assert delivery.number.startswith("FH-")

    # and ship it
    page.locator(f"form[action='/inventory/deliveries/{delivery.pk}/ship/'] button").click()
    expect(page.locator("h1")).to_contain_text(_zh(DeliveryStatus.SHIPPED.label))

    # then the delivery page names the voucher it posted: goods shipped at cost, 4 × 600.00
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SHIPPED
    assert delivery.cost_amount == Decimal("2400.00")
    voucher = Voucher.objects.get(source_type="inventory.delivery", source_id=str(delivery.pk))
    assert voucher.status == VoucherStatus.POSTED
    posted = voucher.lines.aggregate(debit=Sum("debit_amount"), credit=Sum("credit_amount"))
    assert posted == {"debit": delivery.cost_amount, "credit": delivery.cost_amount}
    main = page.locator("main")
    expect(main).to_contain_text(str(voucher))
    expect(main).to_contain_text(voucher.summary)
    _screenshot(page, "delivery-page.png")

    # and the order is partly shipped: 4 out of 10
    page.locator(f"main a[href='/sales/orders/{order.pk}/']").first.click()
    expect(page.locator("h1")).to_contain_text(_zh(OrderStatus.PARTLY_SHIPPED.label))
    cells = page.locator("main table").first.locator("tbody tr").first.locator("td")
    expect(cells.nth(2)).to_have_text(re.compile(rf"^\s*{ORDERED}\s+台\s*$"))
    expect(cells.nth(3)).to_have_text(str(SHIPPED))
    expect(cells.nth(5)).to_have_text(str(ORDERED - SHIPPED))
    expect(main).to_contain_text(delivery.number)
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTLY_SHIPPED
    _screenshot(page, "sales-order-page.png")

    # and the stock on hand in the warehouse is down by 4
    page.locator("#sp-sidebar a[href='/inventory/']").click()
    row = page.locator("#results tbody tr", has_text=PRODUCT_CODE)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(3)).to_contain_text(warehouse.name)
    expect(row.locator("td").nth(4)).to_have_text(str(ON_HAND - SHIPPED))
    level = StockLevel.objects.get(product=shop.product, warehouse=warehouse)
    assert level.quantity == ON_HAND - SHIPPED
