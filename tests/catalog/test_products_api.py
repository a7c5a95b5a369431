"""/api/v1/products and /api/v1/tax-categories: reads, writes, errors and permissions."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suanpan.catalog.models import Product, TaxCategory
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ProductFactory, TaxCategoryFactory

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products"
CATEGORIES = "/api/v1/tax-categories"


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def _assert_error(response: Any, status: int, code: str, fields: set[str] | None = None) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    if fields is not None:
        assert set(body["fields"]) == fields, body["fields"]


def _body(category: TaxCategory, **changes: Any) -> dict[str, Any]:
    return {
        "code": "DY-01",
        "name": "激光打印机",
        "unit": "台",
        "tax_category_id": category.pk,
        "list_price": "113",
        **changes,
    }


def test_product_list_filters_and_pages(
    api_client: Callable[[User], Client], sales_user: User, goods: TaxCategory
) -> None:
    ProductFactory(code="A", name="打印机", tax_category=goods, list_price=Decimal("10"))
    ProductFactory(code="B", name="复印纸", tax_category=goods, list_price=Decimal("500"))
    ProductFactory(code="C", tax_category=goods, is_active=False)
    client = api_client(sales_user)

    body = client.get(PRODUCTS, {"active": "true", "price_min": "100"}).json()

    assert body["count"] == 1
    item = body["items"][0]
    assert item["code"] == "B"
    assert item["tax_category"]["vat_rate"] == "0.13"
    assert Decimal(item["list_price"]) == 500
    assert item["unit_net_amount"] == "442.48"
    assert item["unit_gross_amount"] == "500.00"
    assert [p["code"] for p in client.get(PRODUCTS, {"ordering": "-code"}).json()["items"]] == [
        "C",
        "B",
        "A",
    ]


def test_product_list_reports_a_bad_ordering(
    api_client: Callable[[User], Client], sales_user: User
) -> None:
    _assert_error(
        api_client(sales_user).get(PRODUCTS, {"ordering": "colour"}),
        422,
        "validation_failed",
        {"ordering"},
    )


def test_product_list_query_count_stays_flat(
    api_client: Callable[[User], Client], sales_user: User, goods: TaxCategory
) -> None:
    client = api_client(sales_user)
    ProductFactory.create_batch(3, tax_category=goods)
    client.get(PRODUCTS)  # the first request of a token also records its use
    with CaptureQueriesContext(connection) as few:
        client.get(PRODUCTS)
    other = TaxCategoryFactory(code="304", name="服务", vat_rate_key="6")
    ProductFactory.create_batch(20, tax_category=other)
    with CaptureQueriesContext(connection) as many:
        assert client.get(PRODUCTS).json()["count"] == 23

    assert len(many) == len(few)


def test_product_search_answers_line_entry_rows(
    api_client: Callable[[User], Client], sales_user: User, goods: TaxCategory
) -> None:
    ProductFactory(code="A", name="打印机", tax_category=goods)
    ProductFactory(code="B", name="复印纸", tax_category=goods)

    rows = api_client(sales_user).get(f"{PRODUCTS}/search", {"q": "打印", "limit": 5}).json()

    assert [(r["code"], r["vat_rate_key"], r["vat_rate"]) for r in rows] == [("A", "13", "0.13")]


def test_product_create_get_and_patch(
    api_client: Callable[[User], Client], make_user: Callable[..., User], goods: TaxCategory
) -> None:
    editor = make_user(Role.SALES_MANAGER)
    client = api_client(editor)

    created = _post(client, PRODUCTS, _body(goods))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    product = Product.objects.get(pk=pk)
    assert product.history.get().history_user == editor
    assert "jgdyj" in product.search_text

    patched = _patch(client, f"{PRODUCTS}/{pk}", {"list_price": "99.5", "specification": "A3"})
    assert patched.status_code == 200, patched.content
    assert Decimal(patched.json()["list_price"]) == Decimal("99.5")
    assert client.get(f"{PRODUCTS}/{pk}").json()["specification"] == "A3"


def test_product_create_errors_name_the_api_fields(
    api_client: Callable[[User], Client], make_user: Callable[..., User], goods: TaxCategory
) -> None:
    client = api_client(make_user(Role.SALES_MANAGER))
    ProductFactory(code="dy-01", tax_category=goods)
    old = TaxCategoryFactory(code="1010", name="旧分类", is_active=False)

    _assert_error(_post(client, PRODUCTS, _body(goods)), 422, "validation_failed", {"code"})
    _assert_error(
        _post(client, PRODUCTS, _body(old, code="X")), 422, "validation_failed", {"tax_category_id"}
    )
    _assert_error(
        _post(client, PRODUCTS, _body(goods, code="Y", tax_category_id=999999)),
        422,
        "validation_failed",
        {"tax_category_id"},
    )
    _assert_error(
        _post(client, PRODUCTS, _body(goods, code="Z", list_price="-1")),
        422,
        "validation_failed",
        {"list_price"},
    )


def test_product_deactivate_and_reactivate(
    api_client: Callable[[User], Client], make_user: Callable[..., User], goods: TaxCategory
) -> None:
    product = ProductFactory(tax_category=goods)
    client = api_client(make_user(Role.SALES_MANAGER))

    off = _post(client, f"{PRODUCTS}/{product.pk}/deactivate", {"reason": "停产"})
    assert off.json()["is_active"] is False
    on = client.post(f"{PRODUCTS}/{product.pk}/reactivate")
    assert on.json()["is_active"] is True


def test_product_reactivate_refused_while_its_category_is_inactive(
    api_client: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    old = TaxCategoryFactory(code="1010", name="旧分类", is_active=False)
    product = ProductFactory(tax_category=old, is_active=False)

    response = api_client(make_user(Role.SALES_MANAGER)).post(f"{PRODUCTS}/{product.pk}/reactivate")

    _assert_error(response, 409, "tax_category_inactive")


@pytest.mark.parametrize("role", [Role.SALES, Role.CUSTOMER_SERVICE])
def test_product_writes_refused_for_read_only_roles(
    api_client: Callable[[User], Client],
    make_user: Callable[..., User],
    goods: TaxCategory,
    role: Role,
) -> None:
    product = ProductFactory(tax_category=goods)
    client = api_client(make_user(role))

    assert client.get(f"{PRODUCTS}/{product.pk}").status_code == 200
    _assert_error(_post(client, PRODUCTS, _body(goods, code="NEW")), 403, "permission_denied")
    _assert_error(
        _patch(client, f"{PRODUCTS}/{product.pk}", {"name": "x"}), 403, "permission_denied"
    )
    _assert_error(
        _post(client, f"{PRODUCTS}/{product.pk}/deactivate", {}), 403, "permission_denied"
    )
    assert Product.objects.count() == 1


def test_product_reads_refused_without_a_catalog_role(
    api_client: Callable[[User], Client], make_user: Callable[..., User], goods: TaxCategory
) -> None:
    product = ProductFactory(tax_category=goods)
    client = api_client(make_user(None))

    _assert_error(client.get(PRODUCTS), 403, "permission_denied")
    _assert_error(client.get(f"{PRODUCTS}/{product.pk}"), 403, "permission_denied")
    _assert_error(Client().get(PRODUCTS), 401, "unauthenticated")


def test_product_get_answers_404_for_an_unknown_id(
    api_client: Callable[[User], Client], sales_user: User
) -> None:
    _assert_error(api_client(sales_user).get(f"{PRODUCTS}/999999"), 404, "not_found")


# Tax categories ---------------------------------------------------------------------------------


def test_tax_category_list_create_and_patch(
    api_client: Callable[[User], Client], make_user: Callable[..., User], goods: TaxCategory
) -> None:
    ProductFactory(tax_category=goods)
    client = api_client(make_user(Role.FINANCE_MANAGER))

    created = _post(
        client, CATEGORIES, {"code": "304 0201", "name": "信息技术服务", "vat_rate_key": "6"}
    )
    assert created.status_code == 201, created.content
    assert created.json()["code"] == "3040201"
    pk = created.json()["id"]

    patched = _patch(client, f"{CATEGORIES}/{pk}", {"is_active": False})
    assert patched.json()["is_active"] is False

    listed = client.get(CATEGORIES).json()
    assert [(c["code"], c["product_count"]) for c in listed] == [(goods.code, 1), ("3040201", 0)]
    assert [c["code"] for c in client.get(CATEGORIES, {"active": "true"}).json()] == [goods.code]


def test_tax_category_create_refuses_bad_codes_and_rates(
    api_client: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    client = api_client(make_user(Role.FINANCE_MANAGER))

    _assert_error(
        _post(client, CATEGORIES, {"code": "12AB", "name": "x", "vat_rate_key": "13"}),
        422,
        "validation_failed",
        {"code"},
    )
    _assert_error(
        _post(client, CATEGORIES, {"code": "12", "name": "x", "vat_rate_key": "17"}),
        422,
        "validation_failed",
        {"vat_rate_key"},
    )


@pytest.mark.parametrize("role", [Role.SALES, Role.SALES_MANAGER, Role.CUSTOMER_SERVICE])
def test_tax_category_writes_refused_for_roles_that_only_read_them(
    api_client: Callable[[User], Client],
    make_user: Callable[..., User],
    goods: TaxCategory,
    role: Role,
) -> None:
    client = api_client(make_user(role))

    assert client.get(CATEGORIES).status_code == 200
    _assert_error(
        _post(client, CATEGORIES, {"code": "1", "name": "x", "vat_rate_key": "13"}),
        403,
        "permission_denied",
    )
    _assert_error(
        _patch(client, f"{CATEGORIES}/{goods.pk}", {"name": "y"}), 403, "permission_denied"
    )


def test_api_schema_lists_the_catalog_operations(sales_user: User) -> None:
    client = Client()
    client.force_login(sales_user)

    paths = client.get("/api/openapi.json").json()["paths"]

    assert set(paths["/api/v1/products"]) == {"get", "post"}
    assert set(paths["/api/v1/products/{pk}"]) == {"get", "patch"}
    assert {"/api/v1/products/search", "/api/v1/products/{pk}/deactivate"} <= set(paths)
    assert set(paths["/api/v1/tax-categories"]) == {"get", "post"}
    assert set(paths["/api/v1/tax-categories/{pk}"]) == {"patch"}
