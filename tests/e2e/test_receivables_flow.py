"""From money in the bank to the customer's statement, on a desktop in Chinese: a bank
statement csv uploaded and imported → the suggested match (the invoice its remark names)
confirmed → the customer's receivables tab and the ageing show nothing open → a statement of
the month made and its PDF downloaded, with the closing balance of nil in capitals. Then the
statement pages on a phone (390 px): the list, a statement, and the customer's answer page at
the signed link, each without sideways scrolling or a serious axe-core violation.

The books, the customer and the invoice are set up through the services; everything the
accountant does happens in the browser. The user guide's receivables screenshots come from this
run (docs/images/receivables-*.png).
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from suanpan.receivables.choices import BankLineStatus
from suanpan.receivables.models import BankAccount, BankLine, Statement
from suanpan.receivables.selectors import statement_token
from suanpan.receivables.services import StatementInput, statement_create, statement_send
from suanpan.users.choices import Role
from tests.e2e.test_accessibility import _axe, _dangling
from tests.e2e.test_customer_flow import _screenshot
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
from tests.receivables.bank_support import statement_csv
from tests.receivables.conftest import receivable_books  # noqa: F401 (the fixture)
from tests.receivables.support import invoice

pytestmark = pytest.mark.e2e

CUSTOMER = "上海测试贸易有限公司"


def test_bank_statement_to_settled_customer_to_statement_pdf(
    page: Page,
    clerk,  # noqa: F811
    receivable_books,  # noqa: F811
    tmp_path,
) -> None:
    customer = customer_with_dimension(
        name=CUSTOMER, invoice_tax_number=TAX_NUMBER, invoice_title=CUSTOMER, payment_terms_days=30
    )
    billed = invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 10))
    BankAccount.objects.create(
        name="基本户", bank_name="建设银行", account_number="6217000010001234567"
    )
    upload = tmp_path / "流水.csv"
    upload.write_bytes(
        statement_csv(
            "ccb",
            [
                {
                    "date": "2026-01-12 08:00:24",
                    "credit": "1,130.00",
                    "name": CUSTOMER,
                    "account": "6222000011112222",
                    "summary": f"货款 发票 {billed.number}",
                    "serial": "S1",
                    "balance": "11,130.00",
                }
            ],
        )
    )
    _log_in(page, UserFactory(role=Role.FINANCE_MANAGER))

    # The bank statement: checked, then imported.
    page.goto(reverse("receivables:statement_import"))
    page.locator("input[type=file]").set_input_files(str(upload))
    page.locator("form button.btn-primary").click()
    expect(page.locator("#statement-report")).to_be_visible()
    page.locator("button[name=action][value=commit]").click()

    # The queue suggests the customer and the invoice its remark names: confirm it.
    page.goto(reverse("receivables:bank_lines"))
    row = page.locator("#bank-lines tbody tr", has_text=CUSTOMER)
    expect(row).to_contain_text("1,130.00")
    _screenshot(page, "receivables-bank-lines.png")
    row.locator("input[name=line]").check()
    page.locator("#bank-lines-form button[type=submit].btn-primary").click()
    expect(page.locator(".alert-success, .toast, [role=status]").first).to_be_visible()
    assert BankLine.objects.get().status == BankLineStatus.CONFIRMED

    # The customer's receivables: nothing open any more.
    page.goto(reverse("customers:detail", args=[customer.pk]) + "?tab=receivables")
    expect(page.locator("main")).to_contain_text("没有未核销的发票。")
    page.goto(reverse("receivables:ageing") + "?as_of=2026-01-31")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(CUSTOMER)

    # The statement of January: made from the preview, its PDF downloaded.
    page.goto(
        reverse("receivables:statement_new")
        + f"?customer={customer.pk}&start_on=2026-01-01&end_on=2026-01-31&kind=statement"
    )
    expect(page.locator("#preview-heading")).to_contain_text(CUSTOMER)
    page.get_by_role("button", name="生成对账单").click()
    statement = Statement.objects.get()
    expect(page).to_have_url(reverse("receivables:statement_detail", args=[statement.pk]))
    _screenshot(page, "receivables-statement.png")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 PDF").click()
    content = info.value.path().read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert statement.number in text
    assert "零元整" in text  # nothing owed at the end of January
    assert "1,130.00" in text


def test_phone_the_statement_pages_fit_the_screen(
    phone: Page,  # noqa: F811
    clerk,  # noqa: F811
    receivable_books,  # noqa: F811
) -> None:
    page = phone
    customer = customer_with_dimension(
        name=LONG_NAME, invoice_tax_number=TAX_NUMBER, invoice_title=LONG_NAME
    )
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 10))
    statement = statement_send(
        statement=statement_create(
            data=StatementInput(
                customer_id=customer.pk, start_on=date(2026, 1, 1), end_on=date(2026, 1, 31)
            ),
            actor=clerk,
        ),
        email="ap@example.com",
        actor=clerk,
    )
    failures: list[str] = []

    def check(name: str) -> None:
        try:
            _fits_phone(page, name)
        except AssertionError as exc:
            failures.append(str(exc))
        failures.extend(_axe(page, name) + _dangling(page, name))

    # The customer's page first, before anyone signs in: no login needed.
    page.goto(reverse("receivables:statement_answer", args=[statement_token(statement)]))
    expect(page.locator("main")).to_contain_text("1,130.00")
    check("statement-answer")

    _log_in(page, UserFactory(role=Role.FINANCE_MANAGER))
    page.goto(reverse("receivables:statement_list"))
    expect(page.locator("main")).to_contain_text(statement.number)
    check("statement-list")
    page.goto(reverse("receivables:statement_detail", args=[statement.pk]))
    expect(page.locator("#events-heading")).to_be_visible()
    check("statement-detail")
    page.goto(
        reverse("receivables:statement_new")
        + f"?customer={customer.pk}&start_on=2026-01-01&end_on=2026-01-31&kind=confirmation"
    )
    expect(page.locator("#preview-heading")).to_be_visible()
    check("statement-new")

    assert not failures, "\n".join(failures)
