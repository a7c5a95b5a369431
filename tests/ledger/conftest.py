"""Ledger fixtures on the shared test books (`books` in tests/conftest.py): the chart's
accounts by code, a customer dimension, and the two people who write and check vouchers."""

from __future__ import annotations

import pytest

from suanpan.ledger import services
from suanpan.ledger.models import Account, Company, Dimension
from suanpan.users.choices import Role
from suanpan.users.models import User


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
