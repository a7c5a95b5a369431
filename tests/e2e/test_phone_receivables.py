"""Every receivables page on a phone (390 × 844, zh-CN): the home page, the receipt list, a new
receipt, a receipt, the 核销 screen, the settlements and one settlement, and the customer's
receivables tab, each without sideways scrolling and without a `critical` or `serious` axe-core
violation or an ARIA attribute naming a missing id. Choosing the customer in the picker brings
their open items on the 核销 screen and their open invoices on a new receipt; an acceptance bill
shows the bill's fields; a receipt saved with an error keeps its errors accessible.

The customer carries a long name, so that a table too wide for the screen shows up.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect

from suanpan.receivables.services import Pair, settlement_make
from suanpan.users.choices import Role
from tests.e2e.test_accessibility import _axe, _dangling
from tests.e2e.test_phone_invoicing import LONG_NAME, _fits_phone
from tests.e2e.test_phone_sales import PHONE
from tests.e2e.test_sales_flow import _log_in
from tests.factories import UserFactory
from tests.inventory.deliveries_support import (  # noqa: F401 (fixtures)
    clerk,
    customer_with_dimension,
    delivery_books,
)
from tests.invoicing.support import TAX_NUMBER
from tests.receivables.conftest import receivable_books  # noqa: F401 (the fixture)
from tests.receivables.support import ON, invoice, invoice_item, receipt_items, received

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
        # axe-core is injected as a script, which the pages' Content-Security-Policy refuses.
        bypass_csp=True,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_phone_every_receivables_page_fits_the_screen(
    phone: Page,
    clerk,  # noqa: F811
    receivable_books,  # noqa: F811
) -> None:
    page = phone
    customer = customer_with_dimension(
        name=LONG_NAME,
        invoice_tax_number=TAX_NUMBER,
        invoice_title=LONG_NAME,
        payment_terms_days=30,
    )
    first = invoice_item(invoice(customer, "11300.00", actor=clerk))
    invoice_item(invoice(customer, "2260.00", actor=clerk))
    receipt = received(
        customer,
        "5000.00",
        actor=clerk,
        reference="货款 合同 HT-2026-0001 发票 26352000000000000077",
        payer_name=LONG_NAME,
        payer_account="6222 0210 0100 1234 567",
        allocations=((first, "3000.00"),),
    )
    (advance,) = [item for item in receipt_items(receipt) if item.amount < 0 and item.open_amount]
    settlement = settlement_make(
        customer_id=customer.pk,
        pairs=[Pair(first.pk, advance.pk, advance.open_amount * -1)],
        actor=clerk,
        on=ON,
    )
    received(customer, "800.00", actor=clerk)
    manager = UserFactory(role=Role.FINANCE_MANAGER)

    _log_in(page, manager)
    settle_url = f"{reverse('receivables:settle')}?customer={customer.pk}"
    pages = [
        ("home", reverse("receivables:home"), None),
        ("receipts", reverse("receivables:receipt_list"), receipt.number),
        (
            "receipt-new",
            f"{reverse('receivables:receipt_create')}?customer={customer.pk}",
            LONG_NAME,
        ),
        (
            "receipt-detail",
            reverse("receivables:receipt_detail", args=[receipt.pk]),
            receipt.number,
        ),
        ("settle", settle_url, LONG_NAME),
        ("settlements", reverse("receivables:settlement_list"), settlement.number),
        (
            "settlement-detail",
            reverse("receivables:settlement_detail", args=[settlement.pk]),
            settlement.number,
        ),
        ("customer-tab", f"/customers/{customer.pk}/?tab=receivables", receipt.number),
    ]
    failures: list[str] = []
    for name, url, shown in pages:
        response = page.goto(url)
        assert response is not None and response.ok, f"{name}: {url} answered {response}"
        if shown:
            expect(page.locator("main")).to_contain_text(shown)
        try:
            _fits_phone(page, name)
        except AssertionError as exc:
            failures.append(str(exc))
        failures += _axe(page, name) + _dangling(page, name)

    # The 核销 screen: the customer chosen in the picker shows their open items.
    page.goto(reverse("receivables:settle"))
    page.locator("#id_customer").fill(customer.number)
    page.locator(".sp-picker-results [role=option]").first.click()
    expect(page.locator("input[name=debit]")).to_have_count(2)
    expect(page.locator("input[name=credit]")).to_have_count(1)

    # A new receipt: the customer chosen in the picker brings their open invoices.
    page.goto(reverse("receivables:receipt_create"))
    expect(page.locator("#open-invoices input[name^='settle-']")).to_have_count(0)
    page.locator("#id_customer").fill(customer.number)
    page.locator(".sp-picker-results [role=option]").first.click()
    expect(page.locator("#open-invoices input[name^='settle-']")).to_have_count(2)
    bill = page.locator("[data-sp-bill-fields]")
    expect(bill).to_be_hidden()
    page.locator("select[name=method]").select_option("acceptance_bill")
    expect(bill).to_be_visible()
    try:
        _fits_phone(page, "receipt-new-with-invoices")
    except AssertionError as exc:
        failures.append(str(exc))
    failures += _axe(page, "receipt-new-with-invoices")

    # Saved as a bill without its details: the errors by their fields, the bill's still shown.
    page.locator("#id_amount").fill("100")
    page.locator("button.btn-primary", has_text="登记收款").click()
    expect(page.locator("[data-sp-error-summary]")).to_be_visible()
    expect(page.locator("#id_bill_number_error")).to_be_visible()
    expect(page.locator("#id_bill_matures_on_error")).to_be_visible()
    failures += _axe(page, "receipt-failed-save") + _dangling(page, "receipt-failed-save")
    assert failures == [], "\n".join(failures)
