from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import translation

from suanpan.ledger.models import Company
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import api_token_create, roles_sync
from tests.factories import UserFactory, books_create


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked `postgres_only` (row locks, concurrency) are skipped on SQLite."""
    if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) need PostgreSQL")


_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}

# What every test runs under: set once for the session, so no test pays for four overrides (and
# the caches they clear) in its set-up. A test changes them with the `settings` fixture.
_TEST_SETTINGS = {
    "LANGUAGE_CODE": "en",
    # Hashing with the production hasher costs half a second per user; tests need no secrecy.
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    # The test client speaks plain HTTP; the production redirect is checked by check --deploy.
    "SECURE_SSL_REDIRECT": False,
    # Background jobs run at once, inside the test's transaction.
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
}


@pytest.fixture(autouse=True, scope="session")
def _test_settings() -> Iterator[None]:
    from django.conf import settings

    # Pages render without `collectstatic`; the manifest storage is a deployment concern.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(**_TEST_SETTINGS, STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Each test starts in English, whatever language an earlier test switched to."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _roles(request: pytest.FixtureRequest, _django_db_marker: None) -> None:
    """The role groups, the seeded pipeline stages and cash-flow items exist in every test
    database, as after `migrate` — also after a transactional test flushed the tables. Tests
    without a database touch none; the others pay three queries unless a flush emptied the
    tables."""
    wanted = _DATABASE_FIXTURES & set(request.fixturenames)
    if not wanted and not request.node.get_closest_marker("django_db"):
        return
    # Autouse fixtures set up first: open the database the test asked for before using it.
    for name in ("transactional_db", "django_db_reset_sequences", "live_server", "db"):
        if name in wanted:
            request.getfixturevalue(name)
            break
    from django.contrib.auth.models import Group

    if not Group.objects.exists():
        roles_sync()
    _default_stages_ensure()
    _cash_flow_items_ensure()


def _default_stages_ensure() -> None:
    from suanpan.sales.models import OpportunityStage

    if OpportunityStage.objects.exists():
        return
    seeded = importlib.import_module("suanpan.sales.migrations.0002_default_stages")
    OpportunityStage.objects.bulk_create(
        OpportunityStage(name=name, probability=probability, outcome=outcome, position=(i + 1) * 10)
        for i, (name, probability, outcome) in enumerate(seeded.DEFAULT_STAGES)
    )


def _cash_flow_items_ensure() -> None:
    from django.apps import apps

    from suanpan.ledger.models import CashFlowItem

    if CashFlowItem.objects.exists():
        return
    seeded = importlib.import_module("suanpan.ledger.migrations.0016_cash_flow_items")
    seeded.items_create(apps, None)


@pytest.fixture
def make_user(db: None):
    def make(role: Role | None = None, **kwargs: object) -> User:
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def admin_user(make_user) -> User:
    return make_user(Role.ADMINISTRATOR, is_superuser=True, is_staff=True)


@pytest.fixture
def sales_user(make_user) -> User:
    return make_user(Role.SALES)


@pytest.fixture
def login(client: Client):
    def do(user: User) -> Client:
        client.force_login(user)
        return client

    return do


@pytest.fixture
def signed_in(login: Callable[[User], Client]) -> Callable[[User], Client]:
    """`login` under the name the view tests use: sign a user in on the test client."""
    return login


@pytest.fixture
def api_client() -> Callable[[User], Client]:
    """A client that calls the API with a fresh token of the given user."""

    def make(user: User) -> Client:
        _token, key = api_token_create(user=user, name="tests")
        return Client(headers={"authorization": f"Bearer {key}"})

    return make


@pytest.fixture
def sales(api_client: Callable[[User], Client], sales_user: User) -> Client:
    """The API as `sales_user` sees it."""
    return api_client(sales_user)


@pytest.fixture
def seller(make_user: Callable[..., User]) -> User:
    return make_user(Role.SALES)


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    return make_user(Role.SALES_MANAGER)


@pytest.fixture
def books(db: None) -> Company:
    """The ledger set up with a small chart (tests.factories.CHART), January 2026 open."""
    return books_create()
