"""Dunning in the browser: the accountant opens the run page, sees the overdue customer with
their letter's level and address, runs dunning (the page asks first) and exactly one
consolidated letter goes out through the e-mail backend and shows in the letters list; the run
page then says the day has run. The same on a phone, without sideways scrolling."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from suanpan.receivables.models import DunningLetter
from suanpan.receivables.services import dunning_run, promise_create
from suanpan.users.choices import Role
from tests.e2e.test_accessibility import _axe, _dangling
from tests.e2e.test_phone_invoicing import LONG_NAME, _fits_phone
from tests.e2e.test_phone_receivables import phone  # noqa: F401 (the fixture)
from tests.e2e.test_sales_flow import _log_in
from tests.factories import ContactFactory, UserFactory
from tests.inventory.deliveries_support import (  # noqa: F401 (fixtures)
    clerk,
    customer_with_dimension,
    delivery_books,
)
from tests.invoicing.support import TAX_NUMBER
from tests.receivables.conftest import receivable_books  # noqa: F401 (the fixture)
from tests.receivables.dunning_support import shipped_levels
from tests.receivables.support import invoice

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _levels(transactional_db: None) -> None:
    shipped_levels()


def test_a_dunning_run_from_the_run_page_sends_one_consolidated_letter(
    page: Page,
    clerk,  # noqa: F811
    receivable_books,  # noqa: F811
) -> None:
    customer = customer_with_dimension(
        name="杭州逾期贸易有限公司",
        invoice_tax_number=TAX_NUMBER,
        invoice_title="杭州逾期贸易有限公司",
        payment_terms_days=30,
    )
    ContactFactory(customer=customer, email="ap@hz-example.com", is_primary=True)
    invoice(customer, "11300.00", actor=clerk)  # long past due
    invoice(customer, "2260.00", actor=clerk)
    _log_in(page, clerk)

    page.goto("/receivables/dunning/")
    row = page.locator("tbody tr", has_text=customer.name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("ap@hz-example.com")
    expect(row).to_contain_text("13,560.00")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="立即执行催款").click()

    expect(page).to_have_url(re.compile(r"/receivables/dunning/letters/\?run_on="))
    letters = page.locator("#results tbody tr")
    expect(letters).to_have_count(1)
    expect(letters.first).to_contain_text(customer.name)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ap@hz-example.com"]
    assert "13,560.00" in mail.outbox[0].body
    assert DunningLetter.objects.get().items.count() == 2

    page.goto("/receivables/dunning/")
    expect(page.get_by_role("button", name="立即执行催款")).to_have_count(0)
    expect(page.locator(".alert-info")).to_contain_text("1")


def test_phone_every_dunning_page_fits_the_screen(
    phone: Page,  # noqa: F811
    clerk,  # noqa: F811
    receivable_books,  # noqa: F811
) -> None:
    customer = customer_with_dimension(
        name=LONG_NAME,
        invoice_tax_number=TAX_NUMBER,
        invoice_title=LONG_NAME,
        payment_terms_days=30,
    )
    ContactFactory(customer=customer, email="accounts-payable@long-example-company.com.cn")
    invoice(customer, "11300.00", actor=clerk)
    dunning_run(on=timezone.localdate() - timedelta(days=1), actor=clerk)
    promise_create(
        customer_id=customer.pk,
        amount=Decimal("1000.00"),
        promised_on=timezone.localdate(),
        actor=clerk,
    )
    letter = DunningLetter.objects.get()
    manager = UserFactory(role=Role.FINANCE_MANAGER)
    _log_in(phone, manager)
    pages = [
        ("dunning-run", reverse("receivables:dunning"), None),
        ("dunning-letters", reverse("receivables:dunning_letters"), LONG_NAME),
        ("dunning-letter", reverse("receivables:dunning_letter", args=[letter.pk]), LONG_NAME),
        ("dunning-promises", reverse("receivables:dunning_promises"), LONG_NAME),
        ("dunning-tasks", f"{reverse('receivables:dunning_tasks')}?all=1", LONG_NAME),
        ("dunning-levels", reverse("receivables:dunning_levels"), "最后通知"),
        (
            "dunning-level",
            reverse("receivables:dunning_level_edit", args=[letter.level_id]),
            None,
        ),
        ("customer-tab", f"/customers/{customer.pk}/?tab=receivables", "催款"),
    ]
    failures: list[str] = []
    for name, url, shown in pages:
        response = phone.goto(url)
        assert response is not None and response.ok, f"{name}: {url} answered {response}"
        if shown:
            expect(phone.locator("main")).to_contain_text(shown)
        try:
            _fits_phone(phone, name)
        except AssertionError as exc:
            failures.append(str(exc))
        failures += _axe(phone, name) + _dangling(phone, name)
    assert not failures, "\n".join(failures)
