"""axe-core over the invoicing pages, in Chinese, as a finance manager: the request list, form
and page, the invoices and one invoice, manual entry, the tax platform page and its preview, the
red-letter forms and the output VAT report, and a request form saved with an error.

No `critical` or `serious` violation may remain, and no ARIA attribute may name a missing id.
(The mailing pages have their own run in test_phone_mailing.py.)
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from suanpan.invoicing.services import red_form_create
from suanpan.users.choices import Role
from tests.e2e.test_accessibility import _axe, _dangling
from tests.e2e.test_sales_flow import _log_in
from tests.factories import UserFactory
from tests.inventory.deliveries_support import clerk, delivery_books  # noqa: F401 (fixtures)
from tests.invoicing.conftest import approver  # noqa: F401 (the fixture)
from tests.invoicing.platform_support import approved_request, blue_row, issued_export
from tests.invoicing.support import ON, issued, request_for, shipped_order

pytestmark = pytest.mark.e2e


def test_invoicing_pages_have_no_critical_or_serious_violations(
    chromium: Browser,
    live_server,  # type: ignore[no-untyped-def]
    clerk,  # noqa: F811
    approver,  # noqa: F811
    delivery_books,  # noqa: F811
    tmp_path,
) -> None:
    two_lines = [("10", "113.00"), ("3", "2260.00")]
    invoice = issued(shipped_order(actor=clerk, lines=two_lines), maker=clerk, approver=approver)
    reversed_blue = issued(shipped_order(actor=clerk), maker=clerk, approver=approver)
    red_form = red_form_create(
        blue_invoice=reversed_blue, initiator="0", reason="1", actor=approver
    )
    pending = request_for(shipped_order(actor=clerk), actor=clerk)
    approved = approved_request(maker=clerk, approver=approver)
    open_order = shipped_order(actor=clerk, lines=two_lines)
    manager = UserFactory(role=Role.FINANCE_MANAGER)

    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    found: list[str] = []
    try:
        _log_in(page, manager)
        for label, url in (
            ("request list", reverse("invoicing:home")),
            ("request new", reverse("invoicing:request_create") + f"?order={open_order.pk}"),
            ("request detail", reverse("invoicing:request_detail", args=[pending.pk])),
            ("invoice list", reverse("invoicing:invoice_list")),
            ("invoice detail", reverse("invoicing:invoice_detail", args=[invoice.pk])),
            ("invoice enter", reverse("invoicing:invoice_enter")),
            ("tax platform", reverse("invoicing:platform")),
            ("platform files", reverse("invoicing:platform_batches")),
            ("red-letter list", reverse("invoicing:red_form_list")),
            ("red-letter new", reverse("invoicing:red_form_create") + f"?invoice={invoice.pk}"),
            ("red-letter detail", reverse("invoicing:red_form_detail", args=[red_form.pk])),
            ("VAT report", reverse("invoicing:vat_report") + f"?year={ON.year}"),
        ):
            response = page.goto(url)
            assert response is not None and response.ok, f"{label}: {url} answered {response}"
            found += _axe(page, label) + _dangling(page, label)

        # The request page with its reject form opened.
        page.goto(reverse("invoicing:request_detail", args=[pending.pk]))
        page.locator("[data-bs-target='#reject-form']").first.click()
        expect(page.locator("#reject-form")).to_be_visible()
        found += _axe(page, "request reject form") + _dangling(page, "request reject form")

        # A request saved with a quantity beyond what may be requested: the error by its field.
        page.goto(reverse("invoicing:request_create") + f"?order={open_order.pk}")
        page.locator("main form input[type=number]").first.fill("999")
        page.locator("main form button.btn-primary").click()
        expect(page.locator("main .invalid-feedback, main .alert-danger").first).to_be_visible()
        found += _axe(page, "request failed save") + _dangling(page, "request failed save")

        # Manual entry saved with a line half typed: the line's errors by their fields.
        page.goto(reverse("invoicing:invoice_enter"))
        page.locator("main form input[name='lines-0-item_name']").fill("维保服务")
        page.locator("main form button.btn-primary").click()
        expect(page.locator("main .invalid-feedback").first).to_be_visible()
        found += _axe(page, "invoice enter failed save") + _dangling(page, "enter failed save")

        # The preview of the platform's issued-invoice export.
        export = tmp_path / "发票查询导出.xlsx"
        export.write_bytes(
            issued_export([blue_row(approved, "26352000000000000077", issued_on=ON)])
        )
        page.goto(reverse("invoicing:platform"))
        issued_url = reverse("invoicing:platform_issued")
        page.locator(f"form[action='{issued_url}'] input[type=file]").set_input_files(export)
        page.locator(f"form[action='{issued_url}'] button[type=submit]").click()
        expect(page.locator("#issued-rows tbody tr")).to_contain_text(approved.number)
        found += _axe(page, "platform preview") + _dangling(page, "platform preview")
    finally:
        context.close()
    assert found == [], f"{len(found)} blocking violations:\n" + "\n".join(found)
