from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from suanpan.ledger.models import Company
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import api_token_create, roles_sync
from tests.factories import UserFactory, books_create


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked `postgres_only` (row locks, concurrency) are skipped on SQLite."""
    if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) need PostgreSQL")


@pytest.fixture(autouse=True)
def _roles(db: None) -> None:
    """The role groups and the seeded pipeline stages exist in every test database, as after
    `migrate` — also after a transactional test flushed the tables."""
    roles_sync()
    _default_stages_ensure()


def _default_stages_ensure() -> None:
    from suanpan.sales.models import OpportunityStage

    if OpportunityStage.objects.exists():
        return
    seeded = importlib.import_module("suanpan.sales.migrations.0002_default_stages")
    OpportunityStage.objects.bulk_create(
        OpportunityStage(name=name, probability=probability, outcome=outcome, position=(i + 1) * 10)
        for i, (name, probability, outcome) in enumerate(seeded.DEFAULT_STAGES)
    )


@pytest.fixture(autouse=True)
def _english(settings: pytest.FixtureRequest) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    """Hashing with the production hasher costs half a second per user; tests need no secrecy."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_http(settings: pytest.FixtureRequest) -> None:
    """The test client speaks plain HTTP; the production redirect is checked by check --deploy."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _static_without_manifest(settings: pytest.FixtureRequest) -> None:
    """Pages render without `collectstatic`; the manifest storage is a deployment concern."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
