"""The customer's confirmation page on a phone (390 × 844, zh-CN), opened without logging in:
the invoices of the parcel, one button, nothing wider than the screen; and the accountant's
register and mailing page on the same phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from suanpan.invoicing.choices import MailingStatus
from suanpan.invoicing.selectors.mailing import mailing_token
from suanpan.invoicing.services import mailing_create
from suanpan.users.choices import Role
from tests.e2e.test_accessibility import _axe, _dangling
from tests.e2e.test_phone_sales import PHONE, _fits
from tests.e2e.test_sales_flow import _log_in
from tests.factories import UserFactory
from tests.inventory.deliveries_support import clerk, delivery_books  # noqa: F401 (fixtures)
from tests.invoicing.conftest import approver  # noqa: F401 (the fixture)
from tests.invoicing.mailing_support import SENT_ON, issued_invoice, second_invoice

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
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_customer_confirms_receipt_on_a_phone(phone: Page, clerk, approver, delivery_books):  # noqa: F811
    invoice = issued_invoice(
        maker=clerk, approver=approver, name="福州闽江电子科技有限公司", address="福州市鼓楼区1号"
    )
    second = second_invoice(invoice, maker=clerk, approver=approver)
    first, other = mailing_create(
        invoice_ids=[invoice.pk, second.pk],
        sent_on=SENT_ON,
        courier="顺丰速运",
        tracking_number="SF1234567890123",
        actor=clerk,
    )

    phone.goto(reverse("invoicing:mailing_confirm", args=[mailing_token(first)]))
    expect(phone.locator("main")).to_contain_text(invoice.number)
    expect(phone.locator("main")).to_contain_text(second.number)
    _fits(phone, "mailing-confirm")
    phone.get_by_role("button", name="收到了").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    _fits(phone, "mailing-confirmed")
    for mailing in (first, other):
        mailing.refresh_from_db()
        assert mailing.status == MailingStatus.RECEIVED
        assert mailing.received_on == timezone.localdate()
        assert mailing.confirmed_by_customer

    _log_in(phone, clerk)
    phone.goto(reverse("invoicing:mailing_list"))
    expect(phone.locator("table.sp-list")).to_contain_text(invoice.number)
    _fits(phone, "mailing-register")
    phone.goto(reverse("invoicing:mailing_detail", args=[first.pk]))
    _fits(phone, "mailing-detail")


def test_mailing_pages_have_no_critical_or_serious_violations(
    chromium: Browser,
    live_server,  # type: ignore[no-untyped-def]
    clerk,  # noqa: F811
    approver,  # noqa: F811
    delivery_books,  # noqa: F811
):
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市鼓楼区1号")
    mailing = mailing_create(
        invoice_ids=[invoice.pk], sent_on=SENT_ON, tracking_number="SF1", actor=clerk
    )[0]
    manager = UserFactory(role=Role.FINANCE_MANAGER)
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    found: list[str] = []
    try:
        page.goto(reverse("invoicing:mailing_confirm", args=[mailing_token(mailing)]))
        found += _axe(page, "confirmation") + _dangling(page, "confirmation")
        _log_in(page, manager)
        for label, url in (
            ("register", reverse("invoicing:mailing_list")),
            ("not confirmed", reverse("invoicing:mailing_unconfirmed")),
            ("choose", reverse("invoicing:mailing_create")),
            ("detail", reverse("invoicing:mailing_detail", args=[mailing.pk])),
            ("settings", reverse("invoicing:mailing_settings")),
        ):
            page.goto(url)
            found += _axe(page, label) + _dangling(page, label)
        # A failed save: the errors tied to their fields.
        page.goto(reverse("invoicing:mailing_create") + f"?invoice={invoice.pk}")
        page.locator("#id_address").fill("")
        page.locator("#id_recipient").fill("")
        page.locator("main form button.btn-primary").click()
        expect(page.locator(".invalid-feedback").first).to_be_visible()
        found += _axe(page, "failed save") + _dangling(page, "failed save")
    finally:
        context.close()
    assert found == [], "\n".join(found)
