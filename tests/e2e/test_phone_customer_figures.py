"""What a customer owes, on a phone (390 × 844, zh-CN): the customer list with its balance and
the customer page with its four figures and the credit bar, without sideways scrolling or
blocking accessibility violations, for a customer with a long name and a large balance over
its credit limit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from suanpan.customers.models import Customer
from suanpan.ledger import services as ledger
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.customers.figures_support import customer_owing
from tests.e2e.test_accessibility import _axe, _dangling
from tests.e2e.test_phone_invoicing import LONG_NAME, _fits_phone
from tests.e2e.test_phone_sales import PHONE
from tests.e2e.test_sales_flow import _log_in
from tests.ledger.builders import invoice_event

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(chromium: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context: BrowserContext = chromium.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,  # axe-core is added to the page as an inline script
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_phone_customer_list_and_page_fit_the_screen_when_the_customer_owes_a_lot(
    phone: Page, salesperson: User, books, make_user: Callable[..., User]
) -> None:
    accountant = make_user(Role.ACCOUNTANT)
    today = timezone.localdate()
    customer = customer_owing(owner=salesperson, accountant=accountant, credit_limit="5000000.00")
    Customer.objects.filter(pk=customer.pk).update(name=LONG_NAME)
    ledger.posting_post(
        event=invoice_event(
            "BIG-1",
            "12345678.90",
            on=today,
            due=today + timedelta(days=30),
            customer=customer.number,
        ),
        actor=accountant,
    )
    page = phone
    figures = page.locator("section[aria-labelledby=figures-heading]")

    _log_in(page, salesperson)
    page.goto("/customers/")
    expect(page.locator("main")).to_contain_text("12,345,867.90")
    _fits_phone(page, "customer-list-figures")
    found = _axe(page, "customer list") + _dangling(page, "customer list")

    page.goto(f"/customers/{customer.pk}/")
    expect(figures).to_contain_text("平均回款天数")
    expect(figures.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "100")
    _fits_phone(page, "customer-page-figures")
    found += _axe(page, "customer page") + _dangling(page, "customer page")
    assert not found, "\n".join(found)
