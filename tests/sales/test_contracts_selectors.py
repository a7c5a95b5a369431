"""Contract selectors: who sees which contract, the list's order and filters, the customer tab."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.http import Http404

from suanpan.sales.models import Contract
from suanpan.sales.selectors import contracts as selectors
from suanpan.sales.selectors import contracts_tab_context
from suanpan.sales.services import contracts as services
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _contract(seller: User, **data) -> Contract:
    customer = data.pop("customer", None) or CustomerFactory(owner=seller)
    return services.contract_create(
        actor=seller,
        customer=customer,
        data={"title": "年度供货合同", "amount": Decimal("100000.00"), **data},
    )


def test_contract_get_not_found_when_customer_not_visible(
    seller: User, make_user: Callable[..., User]
) -> None:
    contract = _contract(seller)
    assert selectors.contract_get(user=seller, pk=contract.pk) == contract
    with pytest.raises(Http404):
        selectors.contract_get(user=make_user(Role.SALES), pk=contract.pk)


def test_contract_visible_shows_nothing_without_the_view_permission(seller: User, make_user):
    _contract(seller)
    assert not selectors.contract_visible(user=make_user(None)).exists()


def test_contract_list_newest_first_and_sorted_with_id_tie_breaker(seller: User) -> None:
    first, second = _contract(seller), _contract(seller)
    queryset, _ = selectors.contract_list(user=seller)
    assert list(queryset) == [second, first]
    queryset, _ = selectors.contract_list(user=seller, filters={"ordering": "amount"})
    assert list(queryset) == [second, first]


def test_contracts_tab_context_counts_the_customers_contracts(seller: User) -> None:
    customer = CustomerFactory(owner=seller)
    mine = [_contract(seller, customer=customer) for _ in range(2)]
    _contract(seller)
    context = contracts_tab_context(seller, customer, {})
    assert context["contracts_count"] == 2 and set(context["contracts"]) == set(mine)
