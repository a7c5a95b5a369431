"""The shared line entry: pricing from the catalogue, storing lines, the formset, the preview."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suanpan.core.errors import ValidationFailed
from suanpan.sales.forms.lines import line_formset
from suanpan.sales.models import Quote, QuoteLine
from suanpan.sales.services.lines import (
    LineInput,
    lines_price,
    lines_replace,
    list_price_in_basis,
)
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory, ProductFactory, TaxCategoryFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def services_category():
    return TaxCategoryFactory(code="3040000000000000000", name="现代服务", vat_rate_key="6")


def test_lines_price_copies_the_product_and_works_out_amounts(services_category) -> None:
    goods = ProductFactory(name="服务器", specification="2U", unit="台", list_price=D("113.00"))
    service = ProductFactory(
        name="实施服务", unit="人天", tax_category=services_category, list_price=D("1060")
    )

    with CaptureQueriesContext(connection) as queries:
        priced = lines_price(
            inputs=[
                LineInput(product_id=goods.pk, quantity=D("3")),
                LineInput(
                    product_id=service.pk,
                    quantity=D("2.5"),
                    unit_price=D("1000"),
                    discount_rate=D("0.1"),
                ),
            ],
            price_includes_tax=True,
        )

    assert len(queries) == 1
    first, second = priced
    assert (first.position, first.product_name, first.specification, first.unit) == (
        1,
        "服务器",
        "2U",
        "台",
    )
    assert (first.vat_rate_key, first.vat_rate, first.unit_price, first.is_list_price) == (
        "13",
        D("0.13"),
        D("113.00"),
        True,
    )
    assert (first.net_amount, first.tax_amount, first.gross_amount) == (
        D("300.00"),
        D("39.00"),
        D("339.00"),
    )
    # 2,500 less 10 % = 2,250 including 6 % → 2,122.64 + 127.36.
    assert (second.vat_rate_key, second.is_list_price) == ("6", False)
    assert (second.net_amount, second.tax_amount, second.gross_amount) == (
        D("2122.64"),
        D("127.36"),
        D("2250.00"),
    )


def test_list_price_converted_to_the_document_basis() -> None:
    gross_priced = ProductFactory(list_price=D("100"), price_includes_tax=True)
    net_priced = ProductFactory(list_price=D("10.000005"), price_includes_tax=False)

    # 100 / 1.13 = 88.4955752… → 88.495575
    assert list_price_in_basis(gross_priced, price_includes_tax=False) == D("88.495575")
    assert list_price_in_basis(gross_priced, price_includes_tax=True) == D("100")
    # 10.000005 × 1.13 = 11.30000565 → 11.300006 (half up at 6 places)
    assert list_price_in_basis(net_priced, price_includes_tax=True) == D("11.300006")


def test_lines_price_refuses_an_inactive_product_naming_the_line() -> None:
    active = ProductFactory()
    retired = ProductFactory(code="OLD-1", name="旧型号", is_active=False)

    with pytest.raises(ValidationFailed) as caught:
        lines_price(
            inputs=[
                LineInput(product_id=active.pk, quantity=D("1")),
                LineInput(product_id=retired.pk, quantity=D("1")),
            ],
            price_includes_tax=True,
        )

    assert caught.value.code == "line_product_inactive"
    assert "Line 2" in caught.value.message and "OLD-1 旧型号" in caught.value.message
    assert "lines.1.product" in caught.value.fields


def test_lines_price_refuses_unknown_products_bad_numbers_and_no_lines() -> None:
    product = ProductFactory()

    with pytest.raises(ValidationFailed) as unknown:
        lines_price(inputs=[LineInput(product_id=999999, quantity=D("1"))], price_includes_tax=True)
    with pytest.raises(ValidationFailed) as numbers:
        lines_price(
            inputs=[
                LineInput(
                    product_id=product.pk,
                    quantity=D("0"),
                    unit_price=D("-1"),
                    discount_rate=D("1.5"),
                )
            ],
            price_includes_tax=True,
        )
    with pytest.raises(ValidationFailed) as empty:
        lines_price(inputs=[], price_includes_tax=True)

    assert unknown.value.code == "line_product_unknown"
    assert set(numbers.value.fields) == {
        "lines.0.quantity",
        "lines.0.unit_price",
        "lines.0.discount",
    }
    assert empty.value.code == "lines_missing"


def test_lines_replace_stores_lines_and_sets_totals(make_user: Callable[..., User]) -> None:
    owner = make_user(Role.SALES)
    product = ProductFactory(list_price=D("56.50"))
    with transaction.atomic():
        quote = Quote.objects.create(
            number="BJ-TEST-1",
            customer=CustomerFactory(owner=owner),
            owner=owner,
            quoted_on=date(2026, 11, 2),
            valid_until=date(2026, 12, 2),
        )
    first = lines_price(
        inputs=[LineInput(product_id=product.pk, quantity=D("1"))], price_includes_tax=True
    )
    lines_replace(document=quote, lines=first, line_model=QuoteLine, parent_field="quote")
    second = lines_price(
        inputs=[LineInput(product_id=product.pk, quantity=D("2"))] * 2, price_includes_tax=True
    )

    lines_replace(document=quote, lines=second, line_model=QuoteLine, parent_field="quote")

    assert list(quote.lines.values_list("position", "quantity", "gross_amount")) == [
        (1, D("2.0000"), D("113.00")),
        (2, D("2.0000"), D("113.00")),
    ]
    assert (quote.net_amount, quote.tax_amount, quote.gross_amount) == (
        D("200.00"),
        D("26.00"),
        D("226.00"),
    )


def _grid_data(rows: list[dict[str, str]], prefix: str = "lines") -> dict[str, str]:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def test_formset_skips_blank_rows_and_turns_percent_into_a_fraction() -> None:
    product = ProductFactory()
    formset = line_formset(
        _grid_data(
            [
                {"product": str(product.pk), "quantity": "2", "unit_price": "", "discount": "12.5"},
                {"product": "", "product_label": "half-typed search", "quantity": ""},
            ]
        )
    )

    assert formset.is_valid(), formset.errors
    assert formset.line_inputs() == [
        LineInput(product_id=product.pk, quantity=D("2"), unit_price=None, discount_rate=D("0.125"))
    ]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "1.00001"}, "quantity"),
        ({"quantity": "1", "unit_price": "-1"}, "unit_price"),
        ({"quantity": "1", "unit_price": "1.0000001"}, "unit_price"),
        ({"quantity": "1", "discount": "100.5"}, "discount"),
        ({"quantity": "1", "product": ""}, "product"),
    ],
)
def test_formset_refuses_bad_rows(row: dict[str, str], field: str) -> None:
    product = ProductFactory()
    formset = line_formset(_grid_data([{"product": str(product.pk), **row}]))

    assert not formset.is_valid()
    assert field in formset.errors[0]


def test_formset_needs_one_line() -> None:
    formset = line_formset(_grid_data([{"product": "", "quantity": ""}]))

    assert not formset.is_valid()
    assert formset.non_form_errors() == ["Add at least one line."]


def test_formset_from_stored_lines_ends_with_an_empty_row(make_user: Callable[..., User]) -> None:
    owner = make_user(Role.SALES)
    product = ProductFactory(code="P-1", name="打印机")
    with transaction.atomic():
        quote = Quote.objects.create(
            number="BJ-TEST-2",
            customer=CustomerFactory(owner=owner),
            owner=owner,
            quoted_on=date(2026, 11, 2),
            valid_until=date(2026, 12, 2),
        )
    lines_replace(
        document=quote,
        lines=lines_price(
            inputs=[LineInput(product_id=product.pk, quantity=D("3"), discount_rate=D("0.1"))],
            price_includes_tax=True,
        ),
        line_model=QuoteLine,
        parent_field="quote",
    )

    formset = line_formset(lines=quote.lines.select_related("product"))

    assert len(formset.forms) == 2
    assert formset.forms[0].initial == {
        "product": product.pk,
        "product_label": "P-1 打印机",
        "quantity": "3",
        "unit_price": "113",
        "discount": "10",
    }


def test_preview_prices_rows_on_the_server(
    login: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    client = login(make_user(Role.SALES))
    product = ProductFactory(list_price=D("113"))
    data = _grid_data(
        [
            {"product": str(product.pk), "quantity": "3"},
            {"product": str(product.pk), "quantity": "-1"},
            {"product": "", "quantity": ""},
        ]
    )

    response = client.post(
        reverse("sales:lines_preview"),
        {**data, "price_includes_tax": "on", "line_prefix": "lines"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="lines-0-amount"' in html and "339.00" in html and "300.00" in html
    assert 'id="lines-1-amount"' in html and "Check this line" in html
    assert "叁佰叁拾玖元整" in html


def test_preview_excluding_tax_adds_tax_on_top(
    login: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    client = login(make_user(Role.SALES))
    product = ProductFactory(list_price=D("100"), price_includes_tax=False)

    response = client.post(
        reverse("sales:lines_preview"),
        _grid_data([{"product": str(product.pk), "quantity": "2"}]),
    )

    assert "226.00" in response.content.decode()


def test_preview_refused_without_a_sales_permission(
    login: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    client = login(make_user(Role.ACCOUNTANT))

    response = client.post(reverse("sales:lines_preview"), _grid_data([]))

    assert response.status_code == 403


def test_preview_names_an_inactive_product(
    login: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    client = login(make_user(Role.SALES))
    retired = ProductFactory(code="OLD-9", name="停产型号", is_active=False)

    response = client.post(
        reverse("sales:lines_preview"),
        {**_grid_data([{"product": str(retired.pk), "quantity": "1"}]), "price_includes_tax": "on"},
    )

    assert "Line 1: product OLD-9 停产型号 is no longer sold." in response.content.decode()
