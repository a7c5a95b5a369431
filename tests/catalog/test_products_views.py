"""Product and tax category pages: what each view renders, saves and refuses; the list's query
budget."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suanpan.catalog import services
from suanpan.catalog.models import Product, TaxCategory
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ProductFactory, TaxCategoryFactory

pytestmark = pytest.mark.django_db


def _form(category: TaxCategory, **changes: Any) -> dict[str, Any]:
    data = {
        "code": "DY-01",
        "name": "激光打印机",
        "specification": "",
        "unit": "台",
        "kind": "goods",
        "tax_category": category.pk,
        "list_price": "1130",
        "price_includes_tax": "on",
        "standard_cost": "700",
        "notes": "",
    }
    return {key: value for key, value in {**data, **changes}.items() if value is not None}


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# List -------------------------------------------------------------------------------------------


def test_product_list_shows_products_by_code_with_their_prices(
    signed_in: Callable[[User], Client], sales_user: User, goods: TaxCategory
) -> None:
    ProductFactory(code="B-2", name="乙", tax_category=goods, list_price=Decimal("1234.5"))
    ProductFactory(code="A-1", name="甲", tax_category=goods)

    response = signed_in(sales_user).get("/products/")

    assert response.status_code == 200
    assert [p.code for p in response.context["page_obj"]] == ["A-1", "B-2"]
    assert "1,234.50" in response.content.decode()
    # A salesperson reads the catalog but may not change it.
    assert b"/products/new/" not in response.content


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"q": "dyj"}, ["DY-01"]),
        ({"kind": "service"}, ["FW-01"]),
        ({"active": "false"}, ["OLD-1"]),
        ({"active": "true", "price_min": "100", "price_max": "1000"}, ["FW-01"]),
        ({"ordering": "-list_price"}, ["DY-01", "FW-01", "OLD-1"]),
    ],
)
def test_product_list_filters_and_sorts(
    signed_in: Callable[[User], Client],
    sales_user: User,
    admin_user: User,
    goods: TaxCategory,
    params: dict[str, str],
    codes: list[str],
) -> None:
    for code, name, kind, price, active in [
        ("DY-01", "打印机", "goods", "1130", True),
        ("FW-01", "安装服务", "service", "200", True),
        ("OLD-1", "旧型号", "goods", "50", False),
    ]:
        services.product_create(
            actor=admin_user,
            data={
                "code": code,
                "name": name,
                "unit": "台",
                "kind": kind,
                "tax_category": goods,
                "list_price": Decimal(price),
                "is_active": active,
            },
        )

    response = signed_in(sales_user).get("/products/", params)

    assert [p.code for p in response.context["page_obj"]] == codes


def test_product_list_filters_by_tax_category(
    signed_in: Callable[[User], Client], sales_user: User, goods: TaxCategory
) -> None:
    services_category = TaxCategoryFactory(
        code="3040000000000000000", name="服务", vat_rate_key="6"
    )
    ProductFactory(code="A", tax_category=goods)
    ProductFactory(code="B", tax_category=services_category)

    response = signed_in(sales_user).get("/products/", {"tax_category": services_category.pk})

    assert [p.code for p in response.context["page_obj"]] == ["B"]


def test_product_list_answers_the_results_fragment_to_htmx(
    signed_in: Callable[[User], Client], sales_user: User, goods: TaxCategory
) -> None:
    ProductFactory(code="A-1", tax_category=goods)

    response = signed_in(sales_user).get("/products/", {"q": "A-1"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "<html" not in body


def test_product_list_says_when_nothing_matches_and_when_empty(
    signed_in: Callable[[User], Client], editor: User, goods: TaxCategory
) -> None:
    client = signed_in(editor)

    assert "No products yet." in client.get("/products/").content.decode()
    ProductFactory(tax_category=goods)
    assert "No product matches these filters." in client.get("/products/?q=zzz").content.decode()


def test_product_list_reports_a_bad_price_filter_instead_of_listing(
    signed_in: Callable[[User], Client], sales_user: User, goods: TaxCategory
) -> None:
    ProductFactory(tax_category=goods)

    response = signed_in(sales_user).get("/products/", {"price_min": "-5"})

    assert response.context["page_obj"].paginator.count == 0
    html = response.content.decode()
    assert 'class="alert alert-warning" role="alert"' in html
    assert "Ensure this value is greater than or equal to 0." in html


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/products/")
    assert response.status_code == 200
    return len(queries)


def test_product_list_query_count_stays_flat_when_rows_grow(
    signed_in: Callable[[User], Client],
    sales_user: User,
    django_assert_max_num_queries: Any,
) -> None:
    client = signed_in(sales_user)
    categories = [
        TaxCategoryFactory(code=f"10{n}", name=f"分类{n}", vat_rate_key="13") for n in range(3)
    ]
    for n in range(5):
        ProductFactory(tax_category=categories[n % 3])
    with_5 = _list_queries(client)

    for n in range(25):
        ProductFactory(tax_category=categories[n % 3])
    with django_assert_max_num_queries(8):
        response = client.get("/products/")

    assert response.context["page_obj"].paginator.count == 30
    assert _list_queries(client) == with_5


# Detail -----------------------------------------------------------------------------------------


def test_product_detail_shows_the_price_with_and_without_tax(
    signed_in: Callable[[User], Client], sales_user: User, goods: TaxCategory
) -> None:
    product = ProductFactory(tax_category=goods, list_price=Decimal("113"), price_includes_tax=True)

    response = signed_in(sales_user).get(f"/products/{product.pk}/")

    prices = response.context["prices"]
    assert (prices.net_amount, prices.tax_amount, prices.gross_amount) == (
        Decimal("100.00"),
        Decimal("13.00"),
        Decimal("113.00"),
    )
    body = response.content.decode()
    assert '<dd class="col-7" id="price-net">¥100.00</dd>' in body
    assert '<dd class="col-7" id="price-gross">¥113.00</dd>' in body


def test_product_detail_adds_tax_to_a_price_excluding_it(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    service = TaxCategoryFactory(code="304", name="服务", vat_rate_key="6")
    product = ProductFactory(
        tax_category=service, list_price=Decimal("99.99"), price_includes_tax=False
    )

    prices = signed_in(sales_user).get(f"/products/{product.pk}/").context["prices"]

    assert (prices.net_amount, prices.tax_amount, prices.gross_amount) == (
        Decimal("99.99"),
        Decimal("6.00"),
        Decimal("105.99"),
    )


def test_product_detail_lists_the_history_of_changes(
    signed_in: Callable[[User], Client], editor: User, goods: TaxCategory
) -> None:
    product = services.product_create(actor=editor, data=_service_data(goods))
    services.product_update(actor=editor, product=product, data={"list_price": Decimal("999")})

    response = signed_in(editor).get(f"/products/{product.pk}/")

    newest = response.context["history"][0]
    assert newest["user"] == editor
    assert [c["field"] for c in newest["changes"]] == ["list price"]
    assert (newest["changes"][0]["old"], newest["changes"][0]["new"]) == ("1,130.00", "999.00")
    assert "created the product" in response.content.decode()


def _service_data(category: TaxCategory) -> dict[str, Any]:
    return {
        "code": "DY-01",
        "name": "激光打印机",
        "unit": "台",
        "tax_category": category,
        "list_price": Decimal("1130"),
    }


def test_product_detail_answers_404_for_an_unknown_product(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    assert signed_in(sales_user).get("/products/999999/").status_code == 404


# Create and edit --------------------------------------------------------------------------------


def test_product_create_saves_and_goes_to_the_product(
    signed_in: Callable[[User], Client], editor: User, goods: TaxCategory
) -> None:
    response = signed_in(editor).post("/products/new/", _form(goods))

    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/products/{product.pk}/"
    assert product.list_price == Decimal("1130")
    assert product.price_includes_tax
    assert "jgdyj" in product.search_text


def test_product_create_shows_the_service_error_by_its_field(
    signed_in: Callable[[User], Client], editor: User, goods: TaxCategory
) -> None:
    ProductFactory(code="dy-01", tax_category=goods)

    response = signed_in(editor).post("/products/new/", _form(goods))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": [
            "The code DY-01 differs from the existing product's dy-01 only in letter case; "
            "product codes are unique whatever their case."
        ]
    }


def test_product_create_offers_only_active_tax_categories(
    signed_in: Callable[[User], Client], editor: User, goods: TaxCategory
) -> None:
    TaxCategoryFactory(code="1010", name="旧分类", is_active=False)

    response = signed_in(editor).get("/products/new/")

    choices = list(response.context["form"].fields["tax_category"].queryset)
    assert choices == [goods]


def test_product_edit_keeps_offering_the_inactive_category_it_has(
    signed_in: Callable[[User], Client], editor: User
) -> None:
    old = TaxCategoryFactory(code="1010", name="旧分类", is_active=False)
    product = ProductFactory(tax_category=old)

    response = signed_in(editor).post(
        f"/products/{product.pk}/edit/", _form(old, code=product.code, list_price="5")
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.list_price == Decimal("5")


@pytest.mark.parametrize("url", ["/products/new/", "/products/{pk}/edit/"])
def test_product_pages_that_write_refuse_read_only_roles(
    signed_in: Callable[[User], Client],
    make_user: Callable[..., User],
    goods: TaxCategory,
    url: str,
) -> None:
    product = ProductFactory(tax_category=goods)
    client = signed_in(make_user(Role.CUSTOMER_SERVICE))

    assert client.get(url.format(pk=product.pk)).status_code == 403
    assert client.post(url.format(pk=product.pk), _form(goods)).status_code == 403
    assert client.post(f"/products/{product.pk}/deactivate/").status_code == 403


# Deactivate -------------------------------------------------------------------------------------


def test_product_deactivate_then_reactivate(
    signed_in: Callable[[User], Client], editor: User, goods: TaxCategory
) -> None:
    product = ProductFactory(tax_category=goods)
    client = signed_in(editor)

    response = client.post(f"/products/{product.pk}/deactivate/", {"reason": "停产"})
    product.refresh_from_db()
    assert response.status_code == 302
    assert not product.is_active
    assert "Product deactivated." in _messages(response)

    client.post(f"/products/{product.pk}/deactivate/")
    product.refresh_from_db()
    assert product.is_active


def test_product_reactivate_says_why_when_refused(
    signed_in: Callable[[User], Client], editor: User
) -> None:
    old = TaxCategoryFactory(code="1010", name="旧分类", is_active=False)
    product = ProductFactory(tax_category=old, is_active=False)

    response = signed_in(editor).post(f"/products/{product.pk}/deactivate/")

    product.refresh_from_db()
    assert not product.is_active
    assert any("旧分类" in m for m in _messages(response))


def test_product_deactivate_answers_405_to_get(
    signed_in: Callable[[User], Client], editor: User, goods: TaxCategory
) -> None:
    product = ProductFactory(tax_category=goods)

    assert signed_in(editor).get(f"/products/{product.pk}/deactivate/").status_code == 405


# Tax categories ---------------------------------------------------------------------------------


def test_tax_category_list_shows_how_many_products_use_each(
    signed_in: Callable[[User], Client], sales_user: User, goods: TaxCategory
) -> None:
    ProductFactory(tax_category=goods)
    ProductFactory(tax_category=goods)

    response = signed_in(sales_user).get("/products/tax-categories/")

    assert response.status_code == 200
    assert [c.product_count for c in response.context["categories"]] == [2]
    assert b"/products/tax-categories/new/" not in response.content


def test_tax_category_create_and_edit_by_finance(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    client = signed_in(manager)

    response = client.post(
        "/products/tax-categories/new/",
        {"code": "3040 2010 0000 0000 000", "name": "信息技术服务", "vat_rate_key": "6"},
    )
    category = TaxCategory.objects.get()
    assert response.status_code == 302
    assert category.code == "3040201000000000000"

    client.post(
        f"/products/tax-categories/{category.pk}/edit/",
        {"code": category.code, "name": "信息技术服务", "vat_rate_key": "3"},
    )
    category.refresh_from_db()
    assert category.vat_rate_key == "3"


def test_tax_category_create_shows_a_bad_code_by_its_field(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    response = signed_in(manager).post(
        "/products/tax-categories/new/", {"code": "12AB", "name": "x", "vat_rate_key": "13"}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]


def test_tax_category_deactivate_toggles(
    signed_in: Callable[[User], Client], manager: User, goods: TaxCategory
) -> None:
    client = signed_in(manager)

    client.post(f"/products/tax-categories/{goods.pk}/deactivate/")
    goods.refresh_from_db()
    assert not goods.is_active
    client.post(f"/products/tax-categories/{goods.pk}/deactivate/")
    goods.refresh_from_db()
    assert goods.is_active


def test_tax_category_delete_refused_while_products_use_it(
    signed_in: Callable[[User], Client], admin_user: User, goods: TaxCategory
) -> None:
    ProductFactory(tax_category=goods)

    response = signed_in(admin_user).post(f"/products/tax-categories/{goods.pk}/delete/")

    assert TaxCategory.objects.filter(pk=goods.pk).exists()
    assert any("Deactivate it instead" in m for m in _messages(response))


@pytest.mark.parametrize("role", [Role.SALES, Role.SALES_MANAGER, Role.CUSTOMER_SERVICE])
def test_tax_category_pages_that_write_refuse_roles_without_the_permission(
    signed_in: Callable[[User], Client],
    make_user: Callable[..., User],
    goods: TaxCategory,
    role: Role,
) -> None:
    client = signed_in(make_user(role))

    assert client.get("/products/tax-categories/new/").status_code == 403
    assert client.get(f"/products/tax-categories/{goods.pk}/edit/").status_code == 403
    assert client.post(f"/products/tax-categories/{goods.pk}/deactivate/").status_code == 403
    assert client.post(f"/products/tax-categories/{goods.pk}/delete/").status_code == 403
    goods.refresh_from_db()
    assert goods.is_active
