from __future__ import annotations

from collections.abc import Callable

import pytest

from suanpan.catalog.models import TaxCategory
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import TaxCategoryFactory


@pytest.fixture(autouse=True)
def _no_common_tax_categories(request: pytest.FixtureRequest) -> None:
    """The catalogue tests count and list the categories they create themselves; the common
    ones a fresh install gets (catalog migration 0003) are tested in tests/test_setup.py."""
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        TaxCategory.objects.filter(products__isnull=True).delete()


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    """Finance managers keep the tax categories as well as the products."""
    return make_user(Role.FINANCE_MANAGER)


@pytest.fixture
def editor(make_user: Callable[..., User]) -> User:
    """Sales managers edit products but not tax categories."""
    return make_user(Role.SALES_MANAGER)


@pytest.fixture
def goods() -> TaxCategory:
    return TaxCategoryFactory(code="1090000000000000000", name="货物", vat_rate_key="13")
