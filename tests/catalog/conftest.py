from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from suanpan.users.choices import Role
from suanpan.users.models import User


@pytest.fixture
def signed_in(client: Client) -> Callable[[User], Client]:
    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    """Finance managers keep the tax categories as well as the products."""
    return make_user(Role.FINANCE_MANAGER)


@pytest.fixture
def editor(make_user: Callable[..., User]) -> User:
    """Sales managers edit products but not tax categories."""
    return make_user(Role.SALES_MANAGER)
