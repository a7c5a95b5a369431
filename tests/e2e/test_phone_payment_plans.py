"""Payment plans and the bank pages' editors on a phone (390 × 844, zh-CN): the plan list, a
contract's plan, the customer's receivables tab, a bank line opened to edit what it settles,
and a bank account's column mapping with a sample previewed — each without sideways scrolling
and without a `critical` or `serious` axe-core violation or an ARIA attribute naming a missing
id."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from suanpan.receivables.models import BankAccount, BankLine
from suanpan.users.choices import Role
from tests.e2e.test_accessibility import _axe, _dangling
from tests.e2e.test_phone_bank_statements import phone  # noqa: F401 (the fixture)
from tests.e2e.test_phone_invoicing import LONG_NAME, _fits_phone
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
from tests.receivables.plan_support import contract_with_plan, instalment_invoiced
from tests.receivables.support import received
from tests.receivables.test_bank_statements_services import _import, _lines

pytestmark = pytest.mark.e2e


def test_phone_payment_plans_and_bank_editors_fit_the_screen(
    phone: Page,  # noqa: F811
    clerk,  # noqa: F811
    receivable_books,  # noqa: F811
    tmp_path,
) -> None:
    page = phone
    customer = customer_with_dimension(
        name=LONG_NAME, invoice_tax_number=TAX_NUMBER, invoice_title=LONG_NAME
    )
    today = timezone.localdate()
    contract, (first, _second) = contract_with_plan(
        customer,
        owner=clerk,
        number="HT-2026-PHONE-0001",
        plan=(("11300.00", today - timedelta(days=3)), ("5650.00", today + timedelta(days=4))),
    )
    instalment_invoiced(first, "11300.00", maker=clerk)
    received(customer, "10.00", actor=clerk, payer_account="6222000011112222")
    account = BankAccount.objects.create(
        name="基本户", bank_name="建设银行", account_number="6217000010001234567"
    )
    lines = _lines()
    lines[0]["name"] = LONG_NAME
    _import(account, statement_xlsx("ccb", lines), clerk)
    sample = tmp_path / "样本.xlsx"
    sample.write_bytes(statement_xlsx("ccb", lines))
    _log_in(page, UserFactory(role=Role.FINANCE_MANAGER))

    failures: list[str] = []

    def check(name: str) -> None:
        try:
            _fits_phone(page, name)
        except AssertionError as exc:
            failures.append(str(exc))
        failures.extend(_axe(page, name) + _dangling(page, name))

    page.goto(reverse("receivables:payment_plan_list"))
    expect(page.locator("main")).to_contain_text("HT-2026-PHONE-0001")
    check("payment-plans")
    page.goto(reverse("receivables:contract_plan", args=[contract.pk]))
    check("contract-plan")
    page.goto(f"{reverse('customers:detail', args=[customer.pk])}?tab=receivables")
    expect(page.locator("main")).to_contain_text("HT-2026-PHONE-0001")
    check("customer-receivables-tab")

    line = BankLine.objects.get(serial="S1")
    page.goto(reverse("receivables:bank_line_edit", args=[line.pk]))
    expect(page.locator("#open-invoices")).to_be_visible()
    check("bank-line-edit")

    page.goto(f"{reverse('receivables:bank_account_mapping', args=[account.pk])}?preset=ccb")
    page.locator("input[type=file]").set_input_files(str(sample))
    page.locator("button[value=preview]").click()
    expect(page.locator("#sample-lines-heading")).to_be_visible()
    check("bank-account-mapping")

    assert not failures, "\n".join(failures)
