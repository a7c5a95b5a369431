"""Every invoicing page on a phone (390 × 844, zh-CN): the request list, form and page, the
invoices, manual entry, the output VAT report, the tax platform page and its preview, the
red-letter forms and the mailing register, each without sideways scrolling.

The records behind the pages carry long customer names, so that a table too wide for the screen
shows up. Set `PHONE_SCREENSHOT_DIR` to keep a picture of each page.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect

from suanpan.invoicing.services import mailing_create, red_form_create
from suanpan.users.choices import Role
from tests.e2e.test_phone_sales import PHONE, _fits
from tests.e2e.test_sales_flow import _log_in
from tests.factories import UserFactory
from tests.inventory.deliveries_support import clerk, delivery_books  # noqa: F401 (fixtures)
from tests.invoicing.conftest import approver  # noqa: F401 (the fixture)
from tests.invoicing.mailing_support import SENT_ON
from tests.invoicing.platform_support import approved_request, blue_row, issued_export
from tests.invoicing.support import ON, issued, request_for, shipped_order

pytestmark = pytest.mark.e2e

LONG_NAME = "福州闽江智能电子科技股份有限公司华东区域营销服务中心"


def _fits_phone(page: Page, name: str) -> None:
    """The sales check, and nothing reaching past the phone's 390 px: a mobile browser widens
    its layout viewport to the widest element, so that check alone can pass a page that pans.
    The usual culprit is a visually hidden label in a scrolled table: it is positioned against
    the page, not the scrolling box, unless the box is positioned itself."""
    _fits(page, name)
    wider = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(el => el.offsetParent !== null || getComputedStyle(el).position === 'absolute')
            .filter(el => el.getBoundingClientRect().right > width + 0.5)
            .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                 + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))
            .slice(0, 8)""",
        PHONE["width"],
    )
    sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= PHONE["width"] and sizes[1] <= PHONE["width"], (
        f"{name}: the page is {sizes[0]} px wide ({sizes[1]} px layout) on a 390 px phone: {wider}"
    )


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


def test_phone_every_invoicing_page_fits_the_screen(
    phone: Page,
    clerk,  # noqa: F811
    approver,  # noqa: F811
    delivery_books,  # noqa: F811
    tmp_path,
) -> None:
    page = phone
    two_lines = [("10", "113.00"), ("3", "2260.00")]
    invoice = issued(
        shipped_order(actor=clerk, lines=two_lines, name=LONG_NAME, address="福州市鼓楼区1号"),
        maker=clerk,
        approver=approver,
    )
    reversed_blue = issued(
        shipped_order(actor=clerk, name=LONG_NAME), maker=clerk, approver=approver
    )
    red_form = red_form_create(
        blue_invoice=reversed_blue, initiator="0", reason="1", actor=approver
    )
    pending = request_for(shipped_order(actor=clerk, name=LONG_NAME), actor=clerk)
    approved = approved_request(maker=clerk, approver=approver, name=LONG_NAME)
    open_order = shipped_order(actor=clerk, lines=two_lines, name=LONG_NAME)
    mailing = mailing_create(
        invoice_ids=[invoice.pk],
        sent_on=SENT_ON,
        courier="顺丰速运",
        tracking_number="SF1234567890123",
        actor=clerk,
    )[0]
    manager = UserFactory(role=Role.FINANCE_MANAGER)

    _log_in(page, manager)
    pages = [
        ("requests", reverse("invoicing:home"), pending.number),
        (
            "request-form",
            reverse("invoicing:request_create") + f"?order={open_order.pk}",
            open_order.number,
        ),
        ("request-detail", reverse("invoicing:request_detail", args=[pending.pk]), pending.number),
        ("invoices", reverse("invoicing:invoice_list"), invoice.number),
        ("invoice-detail", reverse("invoicing:invoice_detail", args=[invoice.pk]), invoice.number),
        ("invoice-enter", reverse("invoicing:invoice_enter"), None),
        ("vat-report", reverse("invoicing:vat_report") + f"?year={ON.year}", None),
        ("platform", reverse("invoicing:platform"), approved.number),
        ("platform-batches", reverse("invoicing:platform_batches"), None),
        ("red-forms", reverse("invoicing:red_form_list"), reversed_blue.number),
        (
            "red-form-new",
            reverse("invoicing:red_form_create") + f"?invoice={invoice.pk}",
            invoice.number,
        ),
        (
            "red-form-detail",
            reverse("invoicing:red_form_detail", args=[red_form.pk]),
            reversed_blue.number,
        ),
        ("mailing", reverse("invoicing:mailing_list"), invoice.number),
        ("mailing-choose", reverse("invoicing:mailing_create"), None),
        (
            "mailing-new",
            reverse("invoicing:mailing_create") + f"?invoice={reversed_blue.pk}",
            reversed_blue.number,
        ),
        ("mailing-detail", reverse("invoicing:mailing_detail", args=[mailing.pk]), invoice.number),
        ("mailing-unconfirmed", reverse("invoicing:mailing_unconfirmed"), None),
        ("mailing-settings", reverse("invoicing:mailing_settings"), None),
    ]
    failures: list[str] = []
    for name, url, shown in pages:
        response = page.goto(url)
        assert response is not None and response.ok, f"{name}: {url} answered {response}"
        if shown:
            expect(page.locator("main")).to_contain_text(shown)
        if name == "request-form":
            # The quantities to request are typed on the phone: the whole box shows.
            clipped = page.evaluate(
                """() => [...document.querySelectorAll('.table-responsive input')]
                    .filter(el => el.getBoundingClientRect().right
                        > el.closest('.table-responsive').getBoundingClientRect().right + 0.5)
                    .map(el => el.name)"""
            )
            assert clipped == [], f"request-form: quantity boxes cut off: {clipped}"
        try:
            _fits_phone(page, name)
        except AssertionError as exc:
            failures.append(str(exc))

    # The customer's invoices tab.
    page.goto(f"/customers/{invoice.customer_id}/")
    page.locator("main .nav-tabs a.nav-link[href*='invoices']").first.click()
    expect(page.locator("main")).to_contain_text(invoice.number)
    try:
        _fits_phone(page, "customer-invoices")
    except AssertionError as exc:
        failures.append(str(exc))

    # The tax platform's preview of an issued-invoice export.
    export = tmp_path / "发票查询导出.xlsx"
    export.write_bytes(issued_export([blue_row(approved, "26352000000000000077", issued_on=ON)]))
    page.goto(reverse("invoicing:platform"))
    issued_url = reverse("invoicing:platform_issued")
    page.locator(f"form[action='{issued_url}'] input[type=file]").set_input_files(export)
    page.locator(f"form[action='{issued_url}'] button[type=submit]").click()
    expect(page.locator("#issued-rows tbody tr")).to_contain_text(approved.number)
    try:
        _fits_phone(page, "platform-preview")
    except AssertionError as exc:
        failures.append(str(exc))
    assert failures == [], "\n".join(failures)
