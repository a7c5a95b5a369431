"""Every input the API takes is bounded before the database: strings by a length, numbers by a
range, and the page number; NUL characters and over-long values are refused with the API's
error shape.

The operations come from the OpenAPI schema, so a field added later is held to the rule without
editing this file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from suanpan.api.api import api
from suanpan.core.limits import TEXT_MAX_LENGTH
from suanpan.customers.models import Customer
from suanpan.users.models import User
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA["components"]["schemas"]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _unbounded(schema: dict[str, Any], where: str, seen: frozenset[str]) -> Iterator[str]:
    """The places in `schema` where a string has no maximum length or a number no maximum."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            yield from _unbounded(COMPONENTS[name], where, seen | {name})
        return
    alternatives = schema.get("anyOf") or schema.get("allOf") or schema.get("oneOf")
    if alternatives:
        # A decimal is `number | string`: pydantic reads the string as a number and holds it to
        # the number's limits, so only the number branch needs a maximum.
        numeric = any(_resolve(a).get("type") in ("number", "integer") for a in alternatives)
        for alternative in alternatives:
            if numeric and alternative.get("type") == "string" and "format" not in alternative:
                continue
            yield from _unbounded(alternative, where, seen)
        return
    kind = schema.get("type")
    if (
        kind == "string"
        and not ({"maxLength", "enum", "format", "const", "pattern"} & schema.keys())
    ) or (kind == "number" and "maximum" not in schema and "exclusiveMaximum" not in schema):
        yield where
    elif kind == "array":
        if "maxItems" not in schema:
            yield f"{where}[]"
        yield from _unbounded(schema.get("items", {}), f"{where}[]", seen)
    elif kind == "object":
        for name, prop in schema.get("properties", {}).items():
            yield from _unbounded(prop, f"{where}.{name}", seen)


def _inputs() -> Iterator[tuple[str, dict[str, Any]]]:
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                yield f"{method} {path} ?{parameter['name']}", parameter["schema"]
            for content in operation.get("requestBody", {}).get("content", {}).values():
                yield f"{method} {path} body", content["schema"]


def test_every_string_and_number_the_api_takes_has_a_maximum() -> None:
    unbounded = [
        place for where, schema in _inputs() for place in _unbounded(schema, where, frozenset())
    ]
    assert unbounded == []


def test_page_numbers_stop_where_the_database_integers_do_not() -> None:
    pages = [
        f"{method} {path}"
        for path, operations in SCHEMA["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "page" and "maximum" not in parameter["schema"]
    ]
    assert pages == []


@pytest.fixture
def customer(sales_user: User) -> Customer:
    return CustomerFactory(owner=sales_user)


@pytest.mark.parametrize("path", ["/api/v1/customers", "/api/v1/orders", "/api/v1/warehouses"])
def test_a_page_past_the_last_one_allowed_is_refused_as_a_field_error(
    sales: Client, path: str
) -> None:
    response = sales.get(path, {"page": 2**63})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert "page" in response.json()["fields"]


def test_a_nul_character_in_a_json_string_is_a_field_error(sales: Client) -> None:
    response = sales.post(
        "/api/v1/customers",
        {"name": "北京\u0000科技", "contacts": [{"name": "ok"}, {"name": "王\u0000"}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert set(body["fields"]) == {"name", "contacts.1.name"}
    assert not Customer.objects.exists()


def test_a_nul_character_in_the_query_string_is_a_field_error(sales: Client) -> None:
    response = sales.get("/api/v1/customers", {"q": "a\x00b"})
    assert response.status_code == 422
    assert response.json()["fields"] == {"q": ["Text must not contain NUL characters."]}


def test_a_nul_character_in_a_page_query_string_is_a_bad_request(
    login: Callable[[User], Client], sales_user: User
) -> None:
    assert login(sales_user).get("/customers/", {"q": "\x00"}).status_code == 400


def test_notes_longer_than_the_limit_are_refused_before_the_database(
    sales: Client, customer: Customer
) -> None:
    response = sales.patch(
        f"/api/v1/customers/{customer.pk}",
        {"notes": "备" * (TEXT_MAX_LENGTH + 1)},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "notes" in response.json()["fields"]
    customer.refresh_from_db()
    assert customer.notes != "备" * (TEXT_MAX_LENGTH + 1)


def test_a_deactivation_reason_is_as_long_as_the_history_keeps(
    sales: Client, customer: Customer
) -> None:
    column = Customer.history.model._meta.get_field("history_change_reason").max_length
    path = f"/api/v1/customers/{customer.pk}/deactivate"
    too_long = sales.post(path, {"reason": "x" * (column + 1)}, content_type="application/json")
    assert too_long.status_code == 422
    assert "reason" in too_long.json()["fields"]
    fits = sales.post(path, {"reason": "x" * column}, content_type="application/json")
    assert fits.status_code == 200


@pytest.mark.parametrize("field", ["name", "address", "notes", "owner_id", "tags"])
def test_null_on_a_column_that_holds_none_is_a_field_error(
    sales: Client, customer: Customer, field: str
) -> None:
    response = sales.patch(
        f"/api/v1/customers/{customer.pk}", {field: None}, content_type="application/json"
    )
    assert response.status_code == 422
    assert field in response.json()["fields"]


def test_null_where_the_schema_allows_it_still_clears_the_field(
    sales: Client, customer: Customer
) -> None:
    response = sales.patch(
        f"/api/v1/customers/{customer.pk}", {"grade": None}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["grade"] == ""


def test_patch_schemas_say_nullable_only_where_null_is_taken() -> None:
    warehouse = COMPONENTS["WarehousePatch"]["properties"]
    assert all("anyOf" not in prop for prop in warehouse.values())
    order = COMPONENTS["OrderPatch"]["properties"]
    assert {"type": "null"} in order["quote_id"]["anyOf"]
    assert "anyOf" not in order["notes"]
