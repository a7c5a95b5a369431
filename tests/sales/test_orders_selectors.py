"""Sales order selectors and the reads every sales document shares (selectors.common)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from suanpan.sales.models import Quote, SalesOrder
from suanpan.sales.selectors import orders as selectors
from suanpan.sales.selectors.common import customer_seen, row_by_id
from suanpan.sales.services import quotes as quote_services
from suanpan.sales.services.lines import LineInput
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory, order_build

pytestmark = pytest.mark.django_db


def _order(owner: User, product, *, on: date = date(2026, 11, 2), price: str = "113") -> SalesOrder:
    customer = CustomerFactory(owner=owner)
    return order_build(customer=customer, lines=[(product, 1, price)], ordered_on=on)


def _quote(seller: User, product) -> Quote:
    return quote_services.quote_create(
        actor=seller,
        customer=CustomerFactory(owner=seller),
        data={"quoted_on": date(2026, 11, 20), "valid_until": date(2026, 12, 20)},
        lines=[LineInput(product_id=product.pk, quantity=Decimal(1))],
    )


# Visibility -------------------------------------------------------------------------------------


def test_order_visible_shows_own_customers_orders_when_salesperson(
    seller: User, make_user: Callable[..., User], product
) -> None:
    own = _order(seller, product)
    _order(make_user(Role.SALES), product)
    assert list(selectors.order_visible(user=seller)) == [own]


def test_order_visible_shows_every_order_when_manager(
    seller: User, make_user: Callable[..., User], product
) -> None:
    orders = {_order(seller, product), _order(make_user(Role.SALES), product)}
    assert set(selectors.order_visible(user=make_user(Role.SALES_MANAGER))) == orders


def test_order_visible_shows_nothing_without_the_view_permission(
    seller: User, make_user: Callable[..., User], product
) -> None:
    _order(seller, product)
    assert not selectors.order_visible(user=make_user(None)).exists()


# The list ---------------------------------------------------------------------------------------


def test_order_list_newest_first_by_default(seller: User, product) -> None:
    older = _order(seller, product, on=date(2026, 10, 1))
    newer = _order(seller, product, on=date(2026, 11, 1))
    queryset, filterset = selectors.order_list(user=seller)
    assert filterset.is_valid() and list(queryset) == [newer, older]


def test_order_list_breaks_ties_by_id_when_sorted_by_amount(seller: User, product) -> None:
    first, second = _order(seller, product), _order(seller, product)
    queryset, _ = selectors.order_list(user=seller, filters={"ordering": "-amount"})
    assert list(queryset) == [second, first]


def test_order_list_empty_with_errors_when_filters_invalid(seller: User, product) -> None:
    _order(seller, product)
    queryset, filterset = selectors.order_list(user=seller, filters={"ordering": "nonsense"})
    assert not filterset.is_valid() and not queryset.exists()


# Sources of an order ----------------------------------------------------------------------------


def test_order_source_quote_found_when_customer_visible(seller: User, product) -> None:
    quote = _quote(seller, product)
    assert selectors.order_source_quote(user=seller, pk=quote.pk) == quote


def test_order_source_quote_not_found_when_customer_not_visible(
    seller: User, make_user: Callable[..., User], product
) -> None:
    quote = _quote(seller, product)
    with pytest.raises(Http404):
        selectors.order_source_quote(user=make_user(Role.SALES), pk=quote.pk)


# Shared reads -----------------------------------------------------------------------------------


def test_customer_seen_none_when_not_visible_or_not_an_id(
    seller: User, make_user: Callable[..., User]
) -> None:
    mine = CustomerFactory(owner=seller)
    theirs = CustomerFactory(owner=make_user(Role.SALES))
    assert customer_seen(user=seller, pk=str(mine.pk)) == mine
    assert customer_seen(user=seller, pk=theirs.pk) is None
    assert customer_seen(user=seller, pk="x1") is None
    assert customer_seen(user=seller, pk=None) is None


def test_row_by_id_none_when_missing_or_not_given(seller: User) -> None:
    assert row_by_id(User, seller.pk) == seller
    assert row_by_id(User, seller.pk + 1000) is None
    assert row_by_id(User, None) is None
    assert row_by_id(User, seller.pk, is_active=False) is None


# The list page's narrow rows --------------------------------------------------------------------


def test_order_list_page_reads_only_the_columns_the_page_shows(seller, product):
    order = _order(seller, product)
    page_rows, _filterset = selectors.order_list_page(user=seller, filters={})
    (row,) = list(page_rows)
    deferred = row.get_deferred_fields()
    assert {"notes", "delivery_address", "net_amount"} <= deferred
    assert not {"number", "status", "gross_amount", "ordered_on"} & deferred
    assert {"email", "password"} <= row.owner.get_deferred_fields()
    assert row.customer.get_deferred_fields() >= {"credit_limit_amount"}
    assert (row.number, row.customer.name, str(row.owner)) == (
        order.number,
        order.customer.name,
        str(seller),
    )


def test_order_list_page_matches_the_list_in_rows_and_order(seller, product):
    for day in (3, 1, 2):
        _order(seller, product, on=date(2026, 11, day))
    full, _filterset = selectors.order_list(user=seller, filters={"ordering": "ordered_on"})
    narrow, _filterset = selectors.order_list_page(user=seller, filters={"ordering": "ordered_on"})
    assert [o.pk for o in narrow] == [o.pk for o in full]
