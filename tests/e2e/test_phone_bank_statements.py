"""The bank statement pages on a phone (390 × 844, zh-CN): the import form, the report of a
file checked before importing, and the queue of unmatched lines (a suggested customer with a
long name, a line with the customer picker), each without sideways scrolling and without a
`critical` or `serious` axe-core violation or an ARIA attribute naming a missing id."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect

from suanpan.receivables.models import BankAccount
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
from tests.receivables.bank_support import statement_xlsx
from tests.receivables.conftest import receivable_books  # noqa: F401 (the fixture)
from tests.receivables.support import received
from tests.receivables.test_bank_statements_services import _import, _lines

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
        bypass_csp=True,  # axe-core is injected as a script
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_phone_the_bank_statement_pages_fit_the_screen(
    phone: Page,
    clerk,  # noqa: F811
    receivable_books,  # noqa: F811
    tmp_path,
) -> None:
    page = phone
    customer = customer_with_dimension(
        name=LONG_NAME, invoice_tax_number=TAX_NUMBER, invoice_title=LONG_NAME
    )
    received(customer, "10.00", actor=clerk, payer_account="6222000011112222")
    account = BankAccount.objects.create(
        name="基本户", bank_name="建设银行", account_number="6217000010001234567"
    )
    lines = _lines()
    lines[0]["name"] = LONG_NAME
    lines[0]["summary"] = "货款 合同 HT-2026-0001 发票 26352000000000000077 " * 2
    _import(account, statement_xlsx("ccb", lines), clerk)
    upload = tmp_path / "流水.xlsx"
    lines[0]["serial"] = "S9"
    upload.write_bytes(statement_xlsx("ccb", lines))
    _log_in(page, UserFactory(role=Role.FINANCE_MANAGER))

    failures: list[str] = []

    def check(name: str) -> None:
        try:
            _fits_phone(page, name)
        except AssertionError as exc:
            failures.append(str(exc))
        failures.extend(_axe(page, name) + _dangling(page, name))

    page.goto(reverse("receivables:statement_import"))
    check("statement-import")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.locator("form button.btn-primary").click()
    expect(page.locator("#statement-report")).to_be_visible()
    check("statement-report")

    page.goto(reverse("receivables:bank_lines"))
    expect(page.locator("main")).to_contain_text(LONG_NAME)
    expect(page.locator("input[name^='customer_']")).to_have_count(1)
    check("bank-lines")

    assert not failures, "\n".join(failures)
