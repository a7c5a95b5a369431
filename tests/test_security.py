"""Security properties of the running app: CSRF, sessions, login throttling, deployment checks,
and customers of other salespeople staying invisible behind every URL.

URL lists come from the URLconf (the customer routes as the root URLconf composes them, the
customer page included) and the OpenAPI schema, so a route added later is covered
without editing this file.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLPattern, reverse

from suanpan import urls as root_urls
from suanpan.api.api import api
from suanpan.customers.models import Address, Contact, Customer
from suanpan.users import urls as user_urls
from suanpan.users.choices import Role
from suanpan.users.models import ApiToken, User
from suanpan.users.services import api_token_create
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"  # tests.factories.UserFactory
PROJECT_DIR = Path(__file__).resolve().parents[1]

CUSTOMER_ROUTES = [p.name for p in root_urls.customer_patterns if isinstance(p, URLPattern)]
CUSTOMER_ROUTES_WITH_ID = [
    p.name
    for p in root_urls.customer_patterns
    if isinstance(p, URLPattern) and "pk" in p.pattern.converters
]
USER_ROUTES = [p.name for p in user_urls.urlpatterns if isinstance(p, URLPattern)]
PAGE_ROUTES = [*(("customers", n) for n in CUSTOMER_ROUTES), *(("users", n) for n in USER_ROUTES)]
API_OPERATIONS = sorted(
    (method, path)
    for path, operations in api.get_openapi_schema()["paths"].items()
    for method in operations
)
# The write and object checks below are about customers; the ledger's API has its own
# permission and state tests (tests/ledger/test_api.py).
CUSTOMER_API = "/api/v1/customers"
API_WRITES = [
    (m, p)
    for m, p in API_OPERATIONS
    if m in {"post", "put", "patch", "delete"} and p.startswith(CUSTOMER_API)
]
API_OPERATIONS_WITH_ID = [
    (m, p) for m, p in API_OPERATIONS if "{pk}" in p and p.startswith(CUSTOMER_API)
]
FOLLOWUP = {"followed_on": "2026-03-02", "way": "phone", "content": "回访"}
# A valid body per API write, so that only the customer's visibility decides the answer.
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/v1/customers"): {"name": "新客户"},
    ("patch", "/api/v1/customers/{pk}"): {"notes": "备注"},
    ("post", "/api/v1/customers/{pk}/contacts"): {"name": "王五"},
    ("post", "/api/v1/customers/{pk}/followups"): FOLLOWUP,
}


@dataclass
class Objects:
    customer: Customer
    contact: Contact
    address: Address
    token: ApiToken


@pytest.fixture
def objects(make_user: Callable[..., User]) -> Objects:
    owner = make_user(Role.SALES)
    customer = CustomerFactory(owner=owner)
    token, _key = api_token_create(user=owner, name="cli")
    return Objects(
        customer=customer,
        contact=ContactFactory(customer=customer),
        address=Address.objects.create(customer=customer, address="杭州市西湖区文三路1号"),
        token=token,
    )


def _customer_url(name: str, objects: Objects, *, pk: int | None = None) -> str:
    pattern = next(p for p in root_urls.customer_patterns if getattr(p, "name", None) == name)
    values = {
        "pk": objects.customer.pk if pk is None else pk,
        "contact_pk": objects.contact.pk,
        "address_pk": objects.address.pk,
    }
    return reverse(f"customers:{name}", kwargs={k: values[k] for k in pattern.pattern.converters})


def _user_url(name: str, objects: Objects) -> str:
    pattern = next(p for p in user_urls.urlpatterns if getattr(p, "name", None) == name)
    values = {"pk": objects.token.pk}
    return reverse(name, kwargs={k: values[k] for k in pattern.pattern.converters})


def _api_url(path: str, pk: int) -> str:
    return path.replace("{pk}", str(pk))


def _csrf_client(user: User) -> tuple[Client, str]:
    """A browser that checks CSRF like production, signed in, with its CSRF cookie."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("users_profile"))  # the page's form sets the cookie
    return client, client.cookies[settings.CSRF_COOKIE_NAME].value


def _session_store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def _is_signed_in_with(session_key: str) -> bool:
    """Does a browser presenting this session cookie get in?"""
    browser = Client()
    browser.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return browser.get(reverse("customers:list")).status_code == 200


# CSRF -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("app", "name"), PAGE_ROUTES)
def test_post_refused_with_403_when_csrf_token_missing(
    objects: Objects, admin_user: User, app: str, name: str
) -> None:
    client, _token = _csrf_client(admin_user)
    url = _customer_url(name, objects) if app == "customers" else _user_url(name, objects)
    before = Customer.objects.count(), Contact.objects.count(), Address.objects.count()

    response = client.post(url, {"name": "x"})

    assert response.status_code == 403
    assert (Customer.objects.count(), Contact.objects.count(), Address.objects.count()) == before


@pytest.mark.parametrize(("app", "name"), PAGE_ROUTES)
def test_post_passes_csrf_check_when_token_sent(
    objects: Objects, admin_user: User, app: str, name: str
) -> None:
    client, token = _csrf_client(admin_user)
    url = _customer_url(name, objects) if app == "customers" else _user_url(name, objects)

    response = client.post(url, {"csrfmiddlewaretoken": token})

    assert response.status_code != 403


@pytest.mark.parametrize(("method", "path"), API_WRITES)
def test_api_session_write_refused_with_403_when_csrf_token_missing(
    objects: Objects, admin_user: User, method: str, path: str
) -> None:
    client, _token = _csrf_client(admin_user)
    before = Customer.objects.count(), Contact.objects.count()

    response = getattr(client, method)(
        _api_url(path, objects.customer.pk),
        data=API_BODIES.get((method, path), {}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert (Customer.objects.count(), Contact.objects.count()) == before


@pytest.mark.parametrize(("method", "path"), API_WRITES)
def test_api_session_write_accepted_when_csrf_token_sent(
    objects: Objects, admin_user: User, method: str, path: str
) -> None:
    client, token = _csrf_client(admin_user)

    response = getattr(client, method)(
        _api_url(path, objects.customer.pk),
        data=API_BODIES.get((method, path), {}),
        content_type="application/json",
        headers={"x-csrftoken": token},
    )

    assert response.status_code in {200, 201}, response.content


def test_api_bearer_write_accepted_when_no_csrf_token_sent(admin_user: User) -> None:
    # A browser cannot attach the Authorization header cross-site, so tokens need no CSRF.
    _token, key = api_token_create(user=admin_user, name="script")
    client = Client(enforce_csrf_checks=True, headers={"authorization": f"Bearer {key}"})

    response = client.post("/api/v1/customers", {"name": "脚本客户"}, "application/json")

    assert response.status_code == 201


# Sessions ---------------------------------------------------------------------------------------


def test_login_issues_new_session_key_when_user_signs_in(make_user: Callable[..., User]) -> None:
    make_user(Role.SALES, username="alice")
    planted = _session_store()()
    planted["planted_by"] = "attacker"
    planted.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key

    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != planted.session_key
    assert not _session_store()().exists(planted.session_key)
    assert not _is_signed_in_with(planted.session_key)
    assert _is_signed_in_with(new_key)


def test_logout_kills_session_when_user_signs_out(make_user: Callable[..., User]) -> None:
    make_user(Role.SALES, username="alice")
    client = Client()
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert _is_signed_in_with(key)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert not _session_store()().exists(key)
    assert not _is_signed_in_with(key)


def test_logout_refused_when_requested_with_get(make_user: Callable[..., User]) -> None:
    client = Client()
    client.force_login(make_user(Role.SALES))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert _is_signed_in_with(key)


# Login throttling (django-axes) -----------------------------------------------------------------


def _attempt(client: Client, password: str, username: str = "alice") -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def _templates(response: Any) -> list[str]:
    return [t.name for t in response.templates]


def test_login_refused_with_locked_out_page_when_five_attempts_failed(
    make_user: Callable[..., User],
) -> None:
    make_user(Role.SALES, username="alice")
    client = Client()
    statuses = [_attempt(client, "wrong").status_code for _ in range(5)]

    response = _attempt(client, PASSWORD)

    assert statuses[:4] == [200] * 4  # the form again, with an error
    assert statuses[4] == 429  # the fifth failure locks
    assert response.status_code == 429
    assert "registration/locked_out.html" in _templates(response)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("customers:list")).status_code == 302


def test_login_succeeds_when_four_attempts_failed(make_user: Callable[..., User]) -> None:
    make_user(Role.SALES, username="alice")
    client = Client()
    for _ in range(4):
        _attempt(client, "wrong")

    response = _attempt(client, PASSWORD)

    assert response.status_code == 302
    assert client.get(reverse("customers:list")).status_code == 200


def test_login_failure_count_resets_when_login_succeeds(make_user: Callable[..., User]) -> None:
    make_user(Role.SALES, username="alice")
    client = Client()
    for _ in range(4):
        _attempt(client, "wrong")
    assert _attempt(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))

    statuses = [_attempt(client, "wrong").status_code for _ in range(4)]
    response = _attempt(client, PASSWORD)

    assert statuses == [200] * 4
    assert response.status_code == 302


def test_login_succeeds_from_another_address_when_one_address_is_locked_out(
    make_user: Callable[..., User],
) -> None:
    make_user(Role.SALES, username="alice")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        _attempt(attacker, "wrong")

    response = _attempt(Client(REMOTE_ADDR="198.51.100.7"), PASSWORD)

    assert _attempt(attacker, PASSWORD).status_code == 429
    assert response.status_code == 302


# Deployment checks ------------------------------------------------------------------------------


def _check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_when_run_with_production_settings() -> None:
    result = _check_deploy(
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="crm.example.com"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_debug_is_on() -> None:
    result = _check_deploy(
        DEBUG="1", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="crm.example.com"
    )

    assert result.returncode != 0
    assert "security.W018" in result.stderr


# Other salespeople's customers ------------------------------------------------------------------


@pytest.mark.parametrize("name", CUSTOMER_ROUTES_WITH_ID)
@pytest.mark.parametrize("method", ["get", "post"])
def test_customer_page_answers_404_when_customer_belongs_to_another_salesperson(
    objects: Objects, make_user: Callable[..., User], name: str, method: str
) -> None:
    client = Client()
    client.force_login(make_user(Role.SALES))
    before = list(Customer.objects.values()), list(Contact.objects.values())

    response = getattr(client, method)(_customer_url(name, objects))
    missing = getattr(client, method)(_customer_url(name, objects, pk=objects.customer.pk + 999))

    # The same answer as for an id that does not exist: 404, or 405 for a GET to a POST-only URL.
    assert response.status_code == missing.status_code
    assert response.status_code == 404 or (method == "get" and response.status_code == 405)
    assert (list(Customer.objects.values()), list(Contact.objects.values())) == before


@pytest.mark.parametrize(("method", "path"), API_OPERATIONS_WITH_ID)
def test_api_answers_404_when_customer_belongs_to_another_salesperson(
    objects: Objects, make_user: Callable[..., User], method: str, path: str
) -> None:
    _token, key = api_token_create(user=make_user(Role.SALES), name="cli")
    client = Client(headers={"authorization": f"Bearer {key}"})
    body = API_BODIES.get((method, path), {})
    before = list(Customer.objects.values()), list(Contact.objects.values())

    response = getattr(client, method)(
        _api_url(path, objects.customer.pk), data=body, content_type="application/json"
    )
    missing = getattr(client, method)(
        _api_url(path, objects.customer.pk + 999), data=body, content_type="application/json"
    )

    assert response.status_code == 404
    assert (
        response.json()
        == missing.json()
        == {
            "code": "not_found",
            "message": "Not found.",
            "fields": {},
        }
    )
    assert (list(Customer.objects.values()), list(Contact.objects.values())) == before


@pytest.mark.parametrize(
    ("name", "child"),
    [
        ("contact_edit", "contact_pk"),
        ("contact_delete", "contact_pk"),
        ("address_delete", "address_pk"),
    ],
)
def test_customer_child_page_answers_404_when_child_belongs_to_another_customer(
    objects: Objects, make_user: Callable[..., User], name: str, child: str
) -> None:
    # The salesperson owns the customer in the URL, but the contact or address is not its own.
    salesperson = make_user(Role.SALES)
    mine = CustomerFactory(owner=salesperson)
    client = Client()
    client.force_login(salesperson)
    kwargs = {"pk": mine.pk, child: getattr(objects, child.removesuffix("_pk")).pk}
    before = list(Contact.objects.values()), list(Address.objects.values())

    response = client.post(reverse(f"customers:{name}", kwargs=kwargs), {"name": "篡改"})

    assert response.status_code == 404
    assert (list(Contact.objects.values()), list(Address.objects.values())) == before


def test_customer_merge_refuses_target_when_it_belongs_to_another_salesperson(
    objects: Objects, make_user: Callable[..., User]
) -> None:
    # A salesperson allowed to merge still reaches only the customers they see.
    salesperson = make_user(Role.SALES, username="merger")
    salesperson.user_permissions.add(Permission.objects.get(codename="merge_customer"))
    mine = CustomerFactory(owner=salesperson)
    client = Client()
    client.force_login(salesperson)

    response = client.post(
        reverse("customers:merge", args=[mine.pk]), {"target_number": objects.customer.number}
    )

    objects.customer.refresh_from_db()
    mine.refresh_from_db()
    assert response.status_code == 302
    assert mine.merged_into_id is None
    assert objects.customer.contacts.count() == 1
