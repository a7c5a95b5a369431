"""A salesperson on a phone (390 × 844, zh-CN): lists, a quote typed in the line grid, its
total, the quote page and the order it becomes, with nothing wider than the screen.

Salespeople quote at the customer's desk from their phones. Every page of the flow is checked
for horizontal overflow (the page must not scroll sideways) and for names squeezed into one
character per line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from suanpan.sales.choices import ContractStatus, OrderStatus, QuoteStatus
from suanpan.sales.models import Contract, Opportunity, OpportunityStage, Quote, SalesOrder
from suanpan.users.models import User
from tests.e2e.test_sales_flow import (
    CUSTOMER,
    PRODUCT_NAME,
    Shop,
    _log_in,
    shop,  # noqa: F401 (the fixture)
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
# Where to keep the phone pictures when asked (to look at them): none are taken otherwise.
PICTURES = os.environ.get("PHONE_SCREENSHOT_DIR")


@pytest.fixture
def phone(chromium: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context: BrowserContext = chromium.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _fits(page: Page, name: str) -> None:
    """The page does not scroll sideways, and no name is one character per line."""
    page.wait_for_load_state("networkidle")
    if PICTURES:
        Path(PICTURES).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(PICTURES) / f"{name}.png", full_page=True)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], (
        f"{name}: the page is {widths[0]} px wide on a {widths[1]} px screen"
    )
    squeezed = page.evaluate(
        """() => [...document.querySelectorAll('main td a, main td, main h1, main dd')]
            .filter(el => el.offsetParent !== null && el.textContent.trim().length >= 4)
            .filter(el => {
                const style = getComputedStyle(el);
                const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
                const rect = el.getBoundingClientRect();
                return rect.width < parseFloat(style.fontSize) * 2.5 && rect.height > line * 2.5;
            })
            .map(el => el.textContent.trim())"""
    )
    assert squeezed == [], f"{name}: squeezed to one character per line: {squeezed}"


def _visible_in_viewport(page: Page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const rect = document.querySelector(selector).getBoundingClientRect();
            return rect.top < window.innerHeight && rect.bottom > 0 && rect.height > 0;
        }""",
        selector,
    )


def test_phone_salesperson_quotes_by_typing_and_converts_to_order(
    phone: Page,
    salesperson: User,
    shop: Shop,  # noqa: F811
) -> None:
    page = phone
    page.on("dialog", lambda dialog: dialog.accept())
    today = timezone.localdate()
    # Rows with long names in the lists the flow itself does not fill.
    Opportunity.objects.create(
        customer=shop.customer,
        title="华东区门店网络升级及三年维保项目",
        amount=Decimal("1250000.00"),
        expected_close_on=today + timedelta(days=45),
        stage=OpportunityStage.objects.filter(is_active=True).order_by("position").first(),
        owner=salesperson,
        next_step="提交组网方案并预约现场勘察",
    )
    Contract.objects.create(
        number="HT-202612-0001",
        title="华东区门店网络设备年度供货框架协议",
        customer=shop.customer,
        amount=Decimal("3600000.00"),
        status=ContractStatus.ACTIVE,
        signed_on=today,
        owner=salesperson,
    )

    # given a salesperson signed in on a phone
    _log_in(page, salesperson)
    _fits(page, "home")

    # the lists they work from fit the screen (quotes and orders are still empty)
    for name, url, rows in (
        ("pipeline", "/sales/pipeline/", 1),
        ("customers", "/customers/", 1),
        ("opportunities", "/sales/opportunities/", 1),
        ("contracts", "/sales/contracts/", 1),
        ("quotes", "/sales/quotes/", 0),
        ("orders", "/sales/orders/", 0),
    ):
        page.goto(url)
        expect(page.locator("main").get_by_text(CUSTOMER)).to_have_count(rows)
        _fits(page, name)

    # when they type a new quote: customer by its initials, dates, product, quantity and price
    page.goto("/sales/quotes/new/")
    page.locator("#id_customer").press_sequentially("shxc", delay=30)
    page.locator(".sp-picker-results [role=option]", has_text=CUSTOMER).click()
    expect(page.locator("input[name=customer]")).to_have_value(str(shop.customer.pk))
    page.locator("input[name=quoted_on]").fill(today.isoformat())
    page.locator("input[name=valid_until]").fill((today + timedelta(days=30)).isoformat())
    product_cell = page.locator("input[name='lines-0-product_label']")
    product_cell.click()
    product_cell.press_sequentially("2401", delay=30)
    expect(page.locator(".sp-line-suggestions .list-group-item").first).to_contain_text(
        PRODUCT_NAME
    )
    product_cell.press("Enter")
    quantity = page.locator("input[name='lines-0-quantity']")
    expect(quantity).to_be_focused()
    quantity.fill("10")
    price = page.locator("input[name='lines-0-unit_price']")
    price.fill("1100")

    # then each cell is wide enough to type in, and the total shows on screen while typing
    for cell in (product_cell, quantity, price):
        box = cell.bounding_box()
        assert box is not None and box["width"] >= 80, box
    totals = page.locator("#lines-totals")
    expect(totals).to_contain_text("11,000.00")
    for scrolled_to in ("0", "document.body.scrollHeight"):
        page.evaluate(f"window.scrollTo(0, {scrolled_to})")
        assert _visible_in_viewport(page, "#lines-totals .sp-line-totals"), scrolled_to
    price.scroll_into_view_if_needed()
    _fits(page, "quote-form")

    # when they save it
    page.locator("main button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sales/quotes/\d+/$"))
    quote = Quote.objects.get(customer=shop.customer)
    assert quote.gross_amount == Decimal("11000.00")
    expect(page.locator("main")).to_contain_text("11,000.00")
    _fits(page, "quote-detail")

    # and send it and convert it into an order
    page.locator(f"form[action='/sales/quotes/{quote.pk}/send/'] button").click()
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT
    page.locator(f"main a[href='/sales/quotes/{quote.pk}/order/']").click()
    _fits(page, "order-from-quote")
    page.locator("main form button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sales/orders/\d+/$"))
    order = SalesOrder.objects.get(quote=quote)
    assert order.status == OrderStatus.DRAFT and order.gross_amount == Decimal("11000.00")
    expect(page.locator("main")).to_contain_text("11,000.00")
    _fits(page, "order-detail")

    # and the order's line grid, the customer's page and the order's list fit as well
    page.goto(f"/sales/orders/{order.pk}/edit/")
    expect(page.locator("input[name='lines-0-quantity']")).to_have_value(re.compile(r"^10"))
    expect(page.locator("#lines-totals")).to_contain_text("11,000.00")
    _fits(page, "order-form")
    page.goto(f"/customers/{shop.customer.pk}/")
    expect(page.locator("h1")).to_contain_text(CUSTOMER)
    _fits(page, "customer-detail")

    # and the lists now showing the quote and the order still fit
    for name, url in (("quotes-after", "/sales/quotes/"), ("orders-after", "/sales/orders/")):
        page.goto(url)
        expect(page.locator("main")).to_contain_text(CUSTOMER)
        _fits(page, name)
