"""A user's permissions, their own and their roles', read in one query for the request."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suanpan.users.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _permission(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


@pytest.fixture
def clerk() -> User:
    user = UserFactory(username="clerk")
    user.user_permissions.add(_permission("add_customer"))
    role = Group.objects.create(name="test role")
    role.permissions.add(_permission("view_customer"), _permission("add_customer"))
    user.groups.add(role)
    return User.objects.get(pk=user.pk)  # no permissions read yet


def test_own_and_role_permissions_come_in_one_query(clerk):
    with CaptureQueriesContext(connection) as queries:
        granted = [clerk.has_perm(p) for p in ("customers.add_customer", "customers.view_customer")]
        refused = clerk.has_perm("customers.delete_customer")

    assert granted == [True, True] and refused is False
    assert len(queries.captured_queries) == 1
    assert clerk.get_all_permissions() == {"customers.add_customer", "customers.view_customer"}


def test_an_inactive_user_holds_nothing_and_a_superuser_everything(clerk):
    clerk.is_active = False
    assert not clerk.has_perm("customers.view_customer")

    boss = UserFactory(username="boss", is_superuser=True)
    assert boss.get_all_permissions() >= {"customers.delete_customer", "ledger.add_voucher"}


def test_a_session_signed_in_through_the_former_backend_stays_signed_in(clerk, settings):
    client = Client()
    session = client.session
    session[SESSION_KEY] = str(clerk.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = clerk.get_session_auth_hash()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key

    assert client.get("/customers/").status_code == 200
