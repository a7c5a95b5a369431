"""Ledger fixtures on the shared test books (`books` in tests/conftest.py): the chart's
accounts by code, a customer dimension, and the two people who write and check vouchers."""

from __future__ import annotations

from datetime import date

import pytest

from suanpan.ledger import services
from suanpan.ledger.models import Account, Company, Dimension, Voucher
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.ledger.builders import january_sales


@pytest.fixture
def accounts(books: Company) -> dict[str, Account]:
    return {a.code: a for a in Account.objects.all()}


@pytest.fixture
def customer_dim(books: Company) -> Dimension:
    # Through the service, as the customers app does: the look-ups read the pinyin it keeps.
    return services.dimension_upsert(kind="customer", code="KH-000001", name="北京小米科技有限公司")


@pytest.fixture
def accountant(make_user) -> User:
    return make_user(Role.ACCOUNTANT)


@pytest.fixture
def finance_manager(make_user) -> User:
    return make_user(Role.FINANCE_MANAGER)


@pytest.fixture(params=["cas", "asbe_se"])
def chart_books(request: pytest.FixtureRequest, make_user) -> Company:
    """Books set up from a shipped chart template, under each standard in turn (January 2026
    first, vouchers written 收 / 付 / 转)."""
    return services.company_setup(
        actor=make_user(Role.ADMINISTRATOR),
        name="结转测试公司",
        standard=request.param,
        first_period=date(2026, 1, 1),
        voucher_words="记收付转",
    )


@pytest.fixture
def chart_customer(chart_books: Company) -> Dimension:
    return services.dimension_upsert(kind="customer", code="KH-000001", name="北京小米科技有限公司")


@pytest.fixture
def january(accounts: dict[str, Account], accountant: User, finance_manager: User) -> list[Voucher]:
    """Three posted cash sales in January 2026: 100, 20 and 3 yuan."""
    return january_sales(accounts, maker=accountant, poster=finance_manager)
