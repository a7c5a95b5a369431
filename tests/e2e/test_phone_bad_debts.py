"""Every bad-debt page on a phone (390 × 844, zh-CN): the provision run with its preview, the
matrix editor, individual provisions and their form, the write-offs, a new write-off with the
customer's invoices, and a posted write-off with its recovery form; each without sideways
scrolling and without a `critical` or `serious` axe-core violation or an ARIA attribute naming
a missing id.

The customer carries a long name, so that a table too wide for the screen shows up.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect

from suanpan.receivables.services import (
    IndividualInput,
    RateInput,
    individual_provision_save,
    provision_post,
    provision_rates_save,
)
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
from tests.receivables.bad_debt_support import CAS_ACCOUNTS, accounts_add, written_off
from tests.receivables.conftest import receivable_books  # noqa: F401 (the fixture)
from tests.receivables.support import invoice, invoice_item

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


def test_phone_every_bad_debt_page_fits_the_screen(
    phone: Page,
    clerk,  # noqa: F811
    receivable_books,  # noqa: F811
) -> None:
    page = phone
    accounts_add(CAS_ACCOUNTS)
    customer = customer_with_dimension(
        name=LONG_NAME, invoice_tax_number=TAX_NUMBER, invoice_title=LONG_NAME
    )
    named = customer_with_dimension(invoice_tax_number=TAX_NUMBER, grade="D")
    first = invoice_item(invoice(customer, "11300.00", actor=clerk))
    invoice(customer, "2260.00", actor=clerk)
    invoice(named, "5000.00", actor=clerk)
    manager = UserFactory(role=Role.FINANCE_MANAGER)
    provision_rates_save(
        rates=[RateInput(bucket=0, rate=Decimal("0.05")), RateInput(0, Decimal("0.2"), "D")],
        actor=manager,
    )
    individual_provision_save(
        data=IndividualInput(
            customer_id=named.pk, reason="涉诉，对方已申请破产", rate=Decimal("1")
        ),
        actor=manager,
    )
    writeoff = written_off(customer, ((first, "11300.00"),), maker=clerk, approver=manager)
    provision_post(period="2026-01", actor=clerk)

    _log_in(page, manager)
    pages = [
        ("provision", f"{reverse('receivables:provision')}?period=2026-01", "2026-01"),
        ("matrix", reverse("receivables:provision_matrix"), None),
        ("individual", reverse("receivables:individual_list"), named.name),
        ("individual-new", reverse("receivables:individual_create"), None),
        ("writeoffs", reverse("receivables:writeoff_list"), writeoff.number),
        (
            "writeoff-new",
            f"{reverse('receivables:writeoff_create')}?customer={customer.pk}",
            LONG_NAME,
        ),
        (
            "writeoff-detail",
            reverse("receivables:writeoff_detail", args=[writeoff.pk]),
            writeoff.number,
        ),
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
    assert not failures, "\n".join(failures)
