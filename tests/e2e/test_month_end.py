"""Month-end in a browser, in Chinese: the accountant previews January's period-end transfers,
posts the VAT transfer and 结转损益 (each asked first), and the balance sheet's net-profit check
turns from "not carried forward" to passing. Screenshots for the month-end chapter go to
docs/images/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from suanpan.ledger.models import Voucher
from suanpan.ledger.types import TransferSource
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.ledger.statement_books import statement_books

pytestmark = pytest.mark.e2e

PASSWORD = "pw-for-tests-123"  # UserFactory's
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "images"


@pytest.fixture
def accountant(make_user: Callable[..., User]) -> User:
    manager = make_user(Role.FINANCE_MANAGER, username="wangfang", display_name="王芳")
    user = make_user(Role.ACCOUNTANT, username="liuli", display_name="刘丽")
    statement_books(standard="cas", maker=user, poster=manager)
    return user


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=True, animations="disabled")


def test_january_is_carried_forward_from_the_transfer_page(page: Page, accountant: User) -> None:
    # given the company's January books, the accountant logged in
    page.goto("/login/")
    page.locator("input[name=username]").fill(accountant.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("#sp-sidebar")).to_be_attached()
    page.on("dialog", lambda dialog: dialog.accept())
    # when they open January's period-end transfers
    page.goto("/ledger/periods/202601/transfers/")
    vat, pnl = page.locator("#transfer-vat"), page.locator("#transfer-pnl")
    # then VAT comes first and 结转损益 waits for it
    expect(vat.locator("button[type=submit]")).to_be_visible()
    expect(pnl.locator("button[type=submit]")).to_have_count(0)
    _screenshot(page, "month-end-transfers.png")
    # when they post the VAT transfer, then 结转损益
    vat.locator("button[type=submit]").click()
    expect(pnl.locator("button[type=submit]")).to_be_visible()
    pnl.locator("button[type=submit]").click()
    # then each is a posted voucher of the month and nothing is left to post
    expect(page.locator("main form[data-confirm] button[type=submit]")).to_have_count(0)
    assert Voucher.objects.filter(source_type=TransferSource.VAT, status="posted").count() == 1
    assert Voucher.objects.filter(source_type=TransferSource.PNL, status="posted").count() == 1
    expect(pnl).to_contain_text("记-202601-")  # the company keeps one word, 记
    _screenshot(page, "month-end-carried.png")
    # and the balance sheet's net profit now equals the change in retained earnings
    page.goto("/ledger/reports/statements/balance-sheet/?period=202601&format=cas")
    checks = page.locator("#statement-checks")
    expect(checks.locator("[data-check=retained_earnings][data-status=pass]")).to_have_count(1)
