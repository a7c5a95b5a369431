"""Quote selectors: who sees which quote, the list's order and filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from suanpan.sales.models import Quote
from suanpan.sales.selectors import quotes as selectors
from suanpan.sales.services import quotes as services
from suanpan.sales.services.lines import LineInput
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _quote(seller: User, product, quoted_on: date = date(2026, 11, 20)) -> Quote:
    return services.quote_create(
        actor=seller,
        customer=CustomerFactory(owner=seller),
        data={"quoted_on": quoted_on, "valid_until": date(2026, 12, 20)},
        lines=[LineInput(product_id=product.pk, quantity=Decimal(1))],
    )


def test_quote_get_not_found_when_customer_not_visible(
    seller: User, make_user: Callable[..., User], product
) -> None:
    quote = _quote(seller, product)
    assert selectors.quote_get(user=seller, pk=quote.pk) == quote
    with pytest.raises(Http404):
        selectors.quote_get(user=make_user(Role.SALES), pk=quote.pk)


def test_quote_visible_shows_every_quote_when_manager(
    seller: User, make_user: Callable[..., User], product
) -> None:
    quotes = {_quote(seller, product), _quote(make_user(Role.SALES), product)}
    assert set(selectors.quote_visible(user=make_user(Role.SALES_MANAGER))) == quotes


def test_quote_list_newest_first_and_filtered(seller: User, product) -> None:
    older = _quote(seller, product, date(2026, 11, 1))
    newer = _quote(seller, product, date(2026, 11, 10))
    queryset, _ = selectors.quote_list(user=seller)
    assert list(queryset) == [newer, older]
    queryset, _ = selectors.quote_list(user=seller, filters={"q": newer.number})
    assert list(queryset) == [newer]


def test_quote_list_empty_when_filters_invalid(seller: User, product) -> None:
    _quote(seller, product)
    queryset, filterset = selectors.quote_list(user=seller, filters={"ordering": "nonsense"})
    assert not filterset.is_valid() and not queryset.exists()
