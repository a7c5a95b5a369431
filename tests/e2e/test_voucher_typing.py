"""A voucher entered by typing account names the way accountants do: pinyin initials, the
Chinese name or the code, each suggestion taken with the keyboard, and the customer by pinyin.

The books are set up through the services beforehand (the small test chart, January 2026);
everything the accountant does happens in the browser, in the zh-CN locale.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from suanpan.ledger import services as ledger
from suanpan.ledger.choices import DimensionKind, VoucherStatus
from suanpan.ledger.models import Voucher
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import books_create

pytestmark = pytest.mark.e2e

PASSWORD = "pw-for-tests-123"  # UserFactory's
CUSTOMER = "北京小米科技有限公司"


@pytest.fixture
def accountant(make_user: Callable[..., User]) -> User:
    books_create()
    ledger.dimension_upsert(kind=DimensionKind.CUSTOMER, code="KH-000001", name=CUSTOMER)
    ledger.dimension_upsert(kind=DimensionKind.CUSTOMER, code="KH-000002", name="小米之家商贸")
    return make_user(Role.ACCOUNTANT, username="liuli", display_name="刘丽")


def _log_in(page: Page, user: User) -> None:
    page.goto("/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("#sp-sidebar")).to_be_attached()


def _suggestions(page: Page):
    return page.locator("#sp-lookup [role=option]")


@pytest.mark.parametrize("typed", ["yhck", "银行存款", "1002"])
def test_voucher_typing_saves_a_balanced_voucher_when_accounts_are_typed_and_picked_by_keyboard(
    page: Page, accountant: User, typed: str
) -> None:
    # given an accountant on a new voucher
    _log_in(page, accountant)
    page.goto("/ledger/vouchers/new/")
    # The date is filled in explicitly: the test does not rely on how the field is shown.
    page.locator("input[name=date]").fill("2026-01-12")
    page.locator("input[name=summary]").fill("收到小米货款")

    # when they type the bank account the way they think of it, and take the suggestion
    bank = page.locator("input[name='lines-0-account']")
    bank.click()
    bank.press_sequentially(typed, delay=40)
    expect(_suggestions(page).first).to_have_attribute("data-value", "1002 银行存款")
    expect(bank).to_have_attribute("aria-expanded", "true")
    bank.press("Enter")
    expect(bank).to_have_value("1002 银行存款")
    # Enter took the suggestion and moved on, as the grid does.
    expect(page.locator("input[name='lines-0-dimension']")).to_be_focused()
    expect(page.locator("#sp-lookup")).not_to_be_visible()
    page.locator("input[name='lines-0-debit']").fill("1130.00")

    # and the receivable account by its initials
    other = page.locator("input[name='lines-1-account']")
    other.click()
    other.press_sequentially("yszk", delay=40)
    expect(_suggestions(page)).to_have_count(1)
    expect(_suggestions(page).first).to_have_attribute("data-value", "1122.01 应收账款-客户")
    other.press("Enter")
    expect(other).to_have_value("1122.01 应收账款-客户")

    # and the customer by pinyin: 小米之家 comes first (its pinyin starts with it), ↓ picks
    # 北京小米
    customer = page.locator("input[name='lines-1-dimension']")
    expect(customer).to_be_focused()
    customer.press_sequentially("xiaomi", delay=40)
    expect(_suggestions(page)).to_have_count(2)
    expect(_suggestions(page).first).to_contain_text("小米之家商贸")
    customer.press("ArrowDown")
    expect(_suggestions(page).nth(1)).to_have_attribute("aria-selected", "true")
    customer.press("Enter")
    expect(customer).to_have_value(f"KH-000001 {CUSTOMER}")

    # and let "=" fill in the credit that balances the voucher
    credit = page.locator("input[name='lines-1-credit']")
    credit.click()
    credit.press("=")
    expect(credit).to_have_value("1130.00")
    expect(page.locator("#voucher-difference")).to_have_class(re.compile("text-success"))

    # then the voucher saves as a draft with the accounts and the customer that were picked
    page.locator("#voucher-entry button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/ledger/vouchers/\d+/$"))
    voucher = Voucher.objects.get(summary="收到小米货款")
    assert voucher.status == VoucherStatus.DRAFT
    lines = list(voucher.lines.select_related("account", "dimension").order_by("line_no"))
    assert [(x.account.code, x.debit_amount, x.credit_amount) for x in lines] == [
        ("1002", Decimal("1130.00"), Decimal("0")),
        ("1122.01", Decimal("0"), Decimal("1130.00")),
    ]
    assert lines[1].dimension is not None and lines[1].dimension.code == "KH-000001"
    expect(page.locator("main")).to_contain_text("1122.01")
