"""Fixtures for invoicing tests: the delivery books (goods shipped mapped), an accountant who
approves and issues, a salesperson who requests."""

from __future__ import annotations

import pytest

from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import UserFactory
from tests.inventory.deliveries_support import (  # noqa: F401
    clerk,
    delivery_books,
    on_invoice,
)


@pytest.fixture
def approver(db: None) -> User:
    """A second accountant: requests need a reviewer who did not raise them."""
    return UserFactory(role=Role.ACCOUNTANT)


@pytest.fixture
def seller(db: None) -> User:
    return UserFactory(role=Role.SALES)
