"""A salesperson's first day: log in, create a customer, find it by pinyin initials, open it."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from suanpan.customers import services
from suanpan.customers.models import Customer
from suanpan.demo.customers import credit_code
from suanpan.users.models import User

pytestmark = pytest.mark.e2e

PASSWORD = "pw-for-tests-123"  # UserFactory's
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "docs" / "images")
)
NEW_CUSTOMER = "北京小米科技有限责任公司"
SEED_CUSTOMERS = [
    ("上海星辰贸易有限公司", "王芳", "139 1234 5678"),
    ("广州华信电子股份有限公司", "李娜", "138 2345 6789"),
    ("深圳联创科技有限公司", "张伟", "135 3456 7890"),
    ("杭州宏达物流有限公司", "刘洋", "137 4567 8901"),
    ("成都恒通医疗器械有限公司", "陈静", "136 5678 9012"),
    ("武汉远景建设工程有限公司", "杨磊", "159 6789 0123"),
    ("南京金桥食品有限公司", "赵敏", "158 7890 1234"),
    ("重庆瑞丰制造有限责任公司", "黄强", "188 8901 2345"),
    ("西安天成贸易有限公司", "周杰", "186 9012 3456"),
    ("苏州博雅电子有限公司", "吴娟", "185 0123 4567"),
    ("天津云帆物流股份有限公司", "徐涛", "187 1234 5670"),
    ("北京鼎盛科技有限公司", "孙明", "133 2345 6701"),
]


def _seed_customers(owner: User) -> None:
    rng = random.Random(2026)
    for index, (name, contact, phone) in enumerate(SEED_CUSTOMERS):
        services.customer_create(
            actor=owner,
            data={
                "name": name,
                "credit_code": credit_code(rng, f"{110000 + index * 10000:06d}"),
                "grade": "ABC"[index % 3],
                "payment_terms_days": [30, 45, 60][index % 3],
                "credit_limit_amount": [100_000, 200_000, 500_000][index % 3],
            },
            contacts=[{"name": contact, "phone": phone, "title": "采购经理"}],
        )


def _log_in(page: Page, user: User) -> None:
    page.goto("/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("#sp-sidebar")).to_be_attached()


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Finished transitions (the search box's focus ring) make the image the same on every run.
    page.screenshot(path=SCREENSHOTS / name, full_page=True, animations="disabled")


def _assert_styled(page: Page) -> None:
    """Bootstrap's CSS and icon font loaded: the primary button is Bootstrap blue."""
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.btn-primary')).backgroundColor"
    )
    assert background == "rgb(13, 110, 253)"
    assert page.evaluate("document.fonts.check('1em bootstrap-icons')")


def test_customer_flow_finds_new_customer_by_pinyin_initials_when_sales_creates_it(
    page: Page, salesperson: User
) -> None:
    # given a salesperson with a dozen customers
    _seed_customers(salesperson)

    # when they log in and create a customer with a contact through the form
    _log_in(page, salesperson)
    page.goto("/customers/new/")
    page.locator("input[name=name]").fill(NEW_CUSTOMER)
    page.locator("input[name=credit_code]").fill("91110108551385082Q")
    page.locator("input[name=contact-name]").fill("雷军")
    page.locator("input[name=contact-phone]").fill("138 0013 8000")
    page.locator("main button.btn-primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/customers/\d+/$"))
    customer = Customer.objects.get(name=NEW_CUSTOMER)
    assert customer.owner == salesperson
    assert list(customer.contacts.values_list("name", flat=True)) == ["雷军"]

    # and go to the customer list
    page.locator("#sp-sidebar a[href='/customers/']").click()
    expect(page.locator("#results tbody tr")).to_have_count(len(SEED_CUSTOMERS) + 1)
    _assert_styled(page)
    _screenshot(page, "customer-list.png")

    # and type the pinyin initials into the search box (htmx replaces the results)
    with page.expect_response(
        lambda r: "q=bjxm" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.locator("#id_q").press_sequentially("bjxm", delay=30)
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(NEW_CUSTOMER)
    expect(rows.first).to_contain_text("雷军")
    expect(page).to_have_url(re.compile(r"/customers/\?q=bjxm"))

    # then the customer's page shows its number and name
    rows.first.get_by_role("link", name=NEW_CUSTOMER).click()
    expect(page).to_have_url(re.compile(rf"/customers/{customer.pk}/$"))
    expect(page.locator("h1")).to_contain_text(NEW_CUSTOMER)
    assert customer.number == f"KH-{len(SEED_CUSTOMERS) + 1:06d}"
    expect(page.locator("main")).to_contain_text(customer.number)
    expect(page.locator("main")).to_contain_text("91110108551385082Q")
    _screenshot(page, "customer-page.png")


def test_navigation_opens_from_menu_button_when_tablet_width(page: Page, salesperson: User) -> None:
    # given a signed-in salesperson on a tablet
    page.set_viewport_size({"width": 768, "height": 1024})
    _log_in(page, salesperson)
    sidebar = page.locator("#sp-sidebar")
    menu = page.locator("button[aria-controls='sp-sidebar']")
    expect(sidebar).to_be_hidden()
    expect(menu).to_be_visible()

    # when they tap the menu button
    menu.click()

    # then the navigation slides in and leads to the customers
    expect(sidebar).to_be_visible()
    expect(sidebar).to_have_class(re.compile(r"\bshow\b"))
    sidebar.locator("a[href='/customers/']").click()
    expect(page).to_have_url(re.compile(r"/customers/$"))
    expect(page.locator("h1")).to_be_visible()
