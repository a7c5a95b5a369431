"""The financial statements in a browser, in Chinese: the balance sheet of the hand-computed
company balances, a figure opens the accounts behind it, the cash-flow statement's lines can be
tagged from the tagging page. Screenshots for the user guide go to docs/images/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

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


def _log_in(page: Page, user: User) -> None:
    page.goto("/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("#sp-sidebar")).to_be_attached()


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=True, animations="disabled")


def test_statements_balance_and_drill_down_when_an_accountant_reads_january(
    page: Page, accountant: User
) -> None:
    # given the company's January books
    _log_in(page, accountant)
    # when the accountant opens the balance sheet
    page.goto("/ledger/reports/statements/balance-sheet/?period=202601&format=cas")
    # then it balances, and says the month is not carried forward yet
    checks = page.locator("#statement-checks")
    expect(checks.locator("[data-check=balance][data-status=pass]")).to_have_count(2)
    expect(checks.locator("[data-check=retained_earnings][data-status=pending]")).to_have_count(1)
    expect(page.locator("#statement-table")).to_contain_text("1,274,870.00")
    _screenshot(page, "statements-balance-sheet.png")
    # when a figure is followed: 应收账款 (line 5) at the end of January
    page.locator("#statement-table a", has_text="111,870.00").click()
    # then the accounts behind it add up to it
    expect(page.locator("#drill-total")).to_have_text("111,870.00")
    expect(page.locator("#drill-rows")).to_contain_text("1231")
    _screenshot(page, "statements-drilldown.png")
    # and the cash-flow statement matches the change in cash
    page.goto("/ledger/reports/statements/cash-flow/?period=202601&format=cas")
    expect(page.locator("[data-check=cash_change][data-status=pass]")).to_have_count(3)
    expect(page.locator("[data-check=indirect][data-status=pass]")).to_have_count(3)
    _screenshot(page, "statements-cash-flow.png")
