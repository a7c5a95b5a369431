"""Product search for line entry: what it matches, what each row says, who may ask."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from suanpan.catalog import calculations, selectors
from suanpan.catalog.models import Product
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ProductFactory, TaxCategoryFactory

pytestmark = pytest.mark.django_db

URL = "catalog:product_search"


def _product(code: str, name: str, **kwargs: object) -> Product:
    product = ProductFactory(code=code, name=name, **kwargs)
    product.search_text = calculations.search_text(
        code=product.code, name=product.name, specification=product.specification
    )
    product.save(update_fields=["search_text"])
    return product


@pytest.mark.parametrize("query", ["DY-0", "打印", "dayin", "JGDYJ", "  jgdyj  "])
def test_product_search_matches_code_name_pinyin_or_initials(query: str) -> None:
    printer = _product("DY-01", "激光打印机")
    _product("ZZ-01", "复印纸")

    assert list(selectors.product_search(q=query, limit=20)) == [printer]


def test_product_search_returns_active_products_by_code_when_query_is_empty() -> None:
    third = _product("C-3", "丙")
    first = _product("A-1", "甲")
    _product("B-2", "乙", is_active=False)

    assert list(selectors.product_search(q="", limit=20)) == [first, third]
    assert list(selectors.product_search(q="", limit=1)) == [first]


def test_product_search_view_answers_json_rows(
    signed_in: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    category = TaxCategoryFactory(code="3040000000000000000", name="服务", vat_rate_key="6")
    service = _product(
        "FW-1",
        "安装服务",
        specification="上门",
        unit="次",
        kind="service",
        tax_category=category,
        list_price=Decimal("200.5"),
        price_includes_tax=False,
        standard_cost=Decimal("80"),
    )
    client = signed_in(make_user(Role.SALES))

    response = client.get(reverse(URL), {"q": "azfw", "limit": "5"})

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": service.pk,
            "code": "FW-1",
            "name": "安装服务",
            "specification": "上门",
            "unit": "次",
            "kind": "service",
            "list_price": "200.500000",
            "price_includes_tax": False,
            "vat_rate_key": "6",
            "vat_rate": "0.06",
            "standard_cost": "80.000000",
        }
    ]


def test_product_search_view_limits_rows_and_ignores_a_bad_limit(
    signed_in: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    for n in range(3):
        _product(f"P-{n}", f"商品{n}")
    client = signed_in(make_user(Role.SALES))

    assert [r["code"] for r in client.get(reverse(URL), {"limit": "2"}).json()] == ["P-0", "P-1"]
    assert len(client.get(reverse(URL), {"limit": "x"}).json()) == 3


def test_product_search_view_refuses_users_without_product_permission(
    signed_in: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    assert signed_in(make_user(None)).get(reverse(URL)).status_code == 403


def test_product_search_view_sends_anonymous_users_to_sign_in(client: Client) -> None:
    assert client.get(reverse(URL)).status_code == 302
