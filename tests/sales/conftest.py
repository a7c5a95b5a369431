"""Sales fixtures: a salesperson's customer and product, the API as that salesperson, and
contract attachments stored under the test's own directory."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from suanpan.users.models import User
from tests.factories import CustomerFactory, ProductFactory


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def client_for(api_client: Callable[[User], Client], seller: User) -> Client:
    return api_client(seller)


@pytest.fixture
def customer(seller: User) -> Any:
    return CustomerFactory(owner=seller)


@pytest.fixture
def product(db: None) -> Any:
    """A product listed at ¥113.00 including 13 % VAT."""
    return ProductFactory(list_price=Decimal("113.00"))
