"""In Chinese, a date field shows the stored date in the browser's date picker and a form saved
as it stands keeps it: the server writes ISO dates whatever the language (zh-Hans wrote
2026/01/12, which Chromium's `<input type="date">` dropped, so the first save failed)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from suanpan.ledger import services
from suanpan.ledger.models import Account, Voucher
from suanpan.ledger.services import LineInput
from suanpan.users.choices import Role
from tests.factories import books_create

pytestmark = pytest.mark.e2e

PASSWORD = "pw-for-tests-123"  # UserFactory's


def test_voucher_edit_keeps_its_dates_in_chinese(page: Page, make_user, db) -> None:
    books_create()
    accountant = make_user(Role.ACCOUNTANT, language="zh-hans")
    accounts = {a.code: a for a in Account.objects.all()}
    voucher = services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 12),
        summary="收到货款",
        lines=[
            LineInput(accounts["1002"], debit=Decimal("5")),
            LineInput(accounts["6001"], credit=Decimal("5"), due_on=date(2026, 2, 28)),
        ],
    )
    page.goto("/login/")
    page.locator("input[name=username]").fill(accountant.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("#sp-sidebar")).to_be_attached()

    page.goto("/ledger/vouchers/new/")
    assert page.locator("input[name=date]").input_value() != ""

    page.goto(f"/ledger/vouchers/{voucher.pk}/edit/")
    assert page.locator("input[name=date]").input_value() == "2026-01-12"
    assert page.locator("input[name='lines-1-due_on']").input_value() == "2026-02-28"
    page.locator("main button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/edit/$"))
    voucher = Voucher.objects.get(pk=voucher.pk)
    assert voucher.date == date(2026, 1, 12)
