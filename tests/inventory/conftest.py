"""Fixtures for inventory tests: the ledger's test books, with the accounts stock posts to."""

from __future__ import annotations

import pytest
from django.test import Client

from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Account, AccountRoleMap, Company
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import UserFactory
from tests.inventory.stock_support import client_for


@pytest.fixture
def stock_books(books: Company) -> Company:
    """The ledger's test books plus payable (2202) and stock gains and losses pending (1901)."""
    for code, name, direction, category, role in (
        ("1901", "待处理财产损溢", "debit", "asset", AccountRole.STOCK_ADJUSTMENT),
        ("2202", "应付账款", "credit", "liability", AccountRole.PAYABLE),
    ):
        account = Account.objects.create(
            code=code, name=name, level=1, direction=direction, category=category
        )
        AccountRoleMap.objects.create(role=role, account=account)
    return books


@pytest.fixture
def storekeeper(db: None) -> User:
    """Someone who receives and adjusts goods and keeps warehouses: the finance manager role."""
    return UserFactory(role=Role.FINANCE_MANAGER)


@pytest.fixture
def keeper_client(client: Client, storekeeper: User) -> Client:
    """The storekeeper signed in to the pages."""
    client.force_login(storekeeper)
    return client


@pytest.fixture
def keeper(storekeeper: User) -> Client:
    """The storekeeper's API client."""
    return client_for(storekeeper)


# Deliveries and returns: their fixtures live with their builders.
from tests.inventory.deliveries_support import (  # noqa: E402, F401
    clerk,
    delivery_books,
    on_invoice,
)
