from __future__ import annotations

import importlib

import pytest
from django.test import Client

from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import roles_sync
from tests.factories import UserFactory


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
