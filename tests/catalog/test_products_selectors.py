"""Catalog reads: the filtered list, who sees it, the history and tax category counts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.http import Http404

from suanpan.catalog import selectors, services
from suanpan.catalog.models import TaxCategory
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ProductFactory, TaxCategoryFactory

pytestmark = pytest.mark.django_db


def test_product_list_is_empty_for_a_user_without_catalog_permissions(
    make_user: Callable[..., User], goods: TaxCategory
) -> None:
    ProductFactory(tax_category=goods)

    queryset, _filterset = selectors.product_list(user=make_user(None))

    assert not queryset.exists()


def test_product_list_is_empty_when_a_filter_is_invalid(
    sales_user: User, goods: TaxCategory
) -> None:
    ProductFactory(tax_category=goods)

    queryset, filterset = selectors.product_list(user=sales_user, filters={"kind": "robot"})

    assert not queryset.exists()
    assert set(filterset.errors) == {"kind"}


def test_product_list_matches_a_query_by_code_or_name_even_without_search_text(
    sales_user: User, goods: TaxCategory
) -> None:
    ProductFactory(code="ABC-1", name="复印纸", tax_category=goods)

    assert selectors.product_list(user=sales_user, filters={"q": "abc"})[0].count() == 1
    assert selectors.product_list(user=sales_user, filters={"q": "印纸"})[0].count() == 1


def test_product_get_answers_404_to_an_unknown_or_malformed_id(sales_user: User) -> None:
    with pytest.raises(Http404):
        selectors.product_get(user=sales_user, pk=404)
    with pytest.raises(Http404):
        selectors.product_get(user=sales_user, pk="x")


def test_product_history_names_fields_with_readable_values(
    make_user: Callable[..., User], goods: TaxCategory
) -> None:
    editor = make_user(Role.SALES_MANAGER)
    other = TaxCategoryFactory(code="304", name="现代服务", vat_rate_key="6")
    product = services.product_create(
        actor=editor,
        data={"code": "A", "name": "甲", "unit": "个", "tax_category": goods},
    )
    services.product_update(
        actor=editor,
        product=product,
        data={
            "tax_category": other,
            "kind": "service",
            "price_includes_tax": False,
            "list_price": Decimal("12.5"),
        },
    )
    services.product_deactivate(actor=editor, product=product, reason="停产")

    history = selectors.product_history(product=product)

    assert [h["type"] for h in history] == ["~", "~", "+"]
    assert history[0]["reason"] == "停产"
    changes = {c["field"]: (c["old"], c["new"]) for c in history[1]["changes"]}
    assert changes == {
        "type": ("Goods", "Service"),
        "tax category": ("货物", "现代服务"),
        "list price": ("0.00", "12.50"),
        "price includes tax": ("yes", "no"),
    }
    assert all(h["user"] == editor for h in history)


def test_product_history_keeps_to_its_limit(
    make_user: Callable[..., User], goods: TaxCategory
) -> None:
    editor = make_user(Role.SALES_MANAGER)
    product = services.product_create(
        actor=editor, data={"code": "A", "name": "甲", "unit": "个", "tax_category": goods}
    )
    for n in range(4):
        services.product_update(actor=editor, product=product, data={"notes": str(n)})

    history = selectors.product_history(product=product, limit=3)

    assert len(history) == 3
    assert history[-1]["changes"]  # the oldest shown still compares with the one before it


def test_tax_category_list_counts_products_and_can_leave_out_inactive_ones(
    sales_user: User, goods: TaxCategory
) -> None:
    TaxCategoryFactory(code="1010", name="旧分类", is_active=False)
    ProductFactory.create_batch(2, tax_category=goods)

    listed = selectors.tax_category_list(user=sales_user)

    assert [(c.code, c.product_count) for c in listed] == [("1010", 0), (goods.code, 2)]
    assert [c.code for c in selectors.tax_category_list(user=sales_user, active_only=True)] == [
        goods.code
    ]
