"""The OpenAPI document: one schema per name, every operation's error answers in the error
shape, and unauthenticated calls answer 401 whatever the method."""

from __future__ import annotations

from collections import defaultdict

import pydantic
import pytest
from django.test import Client

from suanpan.api.api import ERROR_RESPONSES, api

pytestmark = pytest.mark.django_db

SCHEMA = api.get_openapi_schema()


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    """The document names schemas by class name: two classes with one name would show one of
    them for both (the voucher line once stood in for the quote line)."""
    modules: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(pydantic.BaseModel):
        if cls.__module__.startswith("suanpan."):
            modules[cls.__name__].add(cls.__module__)
    assert {name: found for name, found in modules.items() if len(found) > 1} == {}


def test_every_operation_documents_its_errors_in_the_error_shape() -> None:
    error = {"$ref": "#/components/schemas/Error"}
    missing = [
        f"{method} {path} {status}"
        for path, operations in SCHEMA["paths"].items()
        for method, operation in operations.items()
        for status in ERROR_RESPONSES
        if operation["responses"].get(status, {}).get("content", {}).get("application/json")
        != {"schema": error}
    ]
    assert missing == []
    assert set(SCHEMA["components"]["schemas"]["Error"]["properties"]) == {
        "code",
        "message",
        "fields",
    }


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("post", {}),
        ("post", {"authorization": "Bearer sp_not-a-token"}),
        ("patch", {"authorization": "Bearer sp_not-a-token"}),
        ("get", {"authorization": "Bearer sp_not-a-token"}),
    ],
)
def test_a_call_without_valid_credentials_is_unauthenticated(
    method: str, headers: dict[str, str]
) -> None:
    client = Client(enforce_csrf_checks=True, headers=headers)
    path = "/api/v1/customers/1" if method == "patch" else "/api/v1/customers"
    response = getattr(client, method)(path, {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_without_its_csrf_token_is_still_refused(
    sales_user,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(sales_user)
    response = client.post("/api/v1/customers", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_an_address_under_the_api_that_names_nothing_answers_in_the_error_shape(
    sales: Client,
) -> None:
    response = sales.get("/api/v1/quotes/not-a-number")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
