"""Fixtures the sales tests share."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ProductFactory, UserFactory


@pytest.fixture
def seller(db: None) -> User:
    """A salesperson: sees their own customers and what belongs to them."""
    return UserFactory(role=Role.SALES)


@pytest.fixture
def product(db: None):
    """A product listed at ¥113.00 including 13 % VAT."""
    return ProductFactory(list_price=Decimal("113.00"))
