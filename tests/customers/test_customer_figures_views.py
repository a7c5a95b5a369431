"""What customers owe on the customer list and the customer page: shown to those who may see
it, for the customers they see, without a query per row."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.customers.figures_support import BALANCE, DAYS_TO_PAY, OVERDUE, customer_owing
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accountant(make_user: Callable[..., User]) -> User:
    return make_user(Role.ACCOUNTANT)


def _without_balances(make_user: Callable[..., User]) -> User:
    """Someone who sees every customer but not what they owe (a group set up without it)."""
    user = make_user()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_customer", "view_all_customers"])
    )
    return user


def _headers(response) -> list[str]:
    return [str(header["label"]) for header in response.context["columns"]]


def test_customer_list_shows_balance_and_overdue_when_salesperson_sees_own_customers(
    books, accountant, signed_in, make_user
):
    seller, other = make_user(Role.SALES), make_user(Role.SALES)
    mine = customer_owing(owner=seller, accountant=accountant)
    theirs = customer_owing(owner=other, accountant=accountant)

    response = signed_in(seller).get("/customers/")

    html = response.content.decode()
    assert _headers(response)[-2:] == ["Balance", "Overdue"]
    (row,) = response.context["page_obj"].object_list
    assert row.pk == mine.pk
    assert (row.figures.balance, row.figures.overdue) == (Decimal(BALANCE), Decimal(OVERDUE))
    assert BALANCE in html and OVERDUE in html
    assert theirs.number not in html


def test_customer_list_leaves_figures_out_when_user_may_not_see_balances(
    books, accountant, signed_in, make_user
):
    customer_owing(owner=make_user(Role.SALES), accountant=accountant)

    response = signed_in(_without_balances(make_user)).get("/customers/")

    html = response.content.decode()
    (row,) = response.context["page_obj"].object_list
    assert not hasattr(row, "figures")
    assert "Balance" not in _headers(response) and "Overdue" not in _headers(response)
    assert BALANCE not in html


def test_customer_list_shows_zero_balances_when_no_books_are_set_up(signed_in, make_user):
    manager = make_user(Role.SALES_MANAGER)
    CustomerFactory(owner=manager)

    response = signed_in(manager).get("/customers/")

    (row,) = response.context["page_obj"].object_list
    assert row.figures.balance == Decimal("0.00")
    assert row.figures.average_days_to_pay is None


def test_customer_list_does_not_sort_by_balance_when_columns_are_drawn(
    books, accountant, signed_in, make_user
):
    response = signed_in(make_user(Role.ACCOUNTANT)).get("/customers/?ordering=name")

    headers = {str(h["label"]): h for h in response.context["columns"]}
    assert headers["Balance"]["url"] is None and headers["Overdue"]["url"] is None
    assert headers["Name"]["url"] is not None


def test_customer_page_shows_balance_overdue_credit_used_and_days_to_pay_when_allowed(
    books, accountant, signed_in, make_user
):
    seller = make_user(Role.SALES)
    customer = customer_owing(owner=seller, accountant=accountant, credit_limit="1000.00")

    response = signed_in(seller).get(f"/customers/{customer.pk}/")

    html = response.content.decode()
    assert response.context["figures"].balance == Decimal(BALANCE)
    assert f"¥{BALANCE}" in html and f"¥{OVERDUE}" in html
    # 189 of a 1,000 limit.
    assert response.context["credit_used"] == 19
    assert 'aria-valuenow="19"' in html and "of ¥1,000.00" in html
    assert f"{DAYS_TO_PAY} days" in html


def test_customer_page_caps_the_bar_and_says_no_limit_when_limits_differ(
    books, accountant, signed_in, make_user
):
    manager = make_user(Role.SALES_MANAGER)
    over = customer_owing(owner=manager, accountant=accountant, credit_limit="100.00")
    unlimited = customer_owing(owner=manager, accountant=accountant, credit_limit="0")
    client = signed_in(manager)

    over_page = client.get(f"/customers/{over.pk}/")
    unlimited_page = client.get(f"/customers/{unlimited.pk}/")

    assert (over_page.context["credit_used"], over_page.context["credit_bar"]) == (189, 100)
    assert 'aria-valuenow="100"' in over_page.content.decode()
    assert unlimited_page.context["credit_used"] is None
    assert "No credit limit" in unlimited_page.content.decode()


def test_customer_page_leaves_figures_out_when_user_may_not_see_balances(
    books, accountant, signed_in, make_user
):
    customer = customer_owing(owner=make_user(Role.SALES), accountant=accountant)

    response = signed_in(_without_balances(make_user)).get(f"/customers/{customer.pk}/")

    assert response.status_code == 200
    assert response.context["figures"] is None
    assert "Average days to pay" not in response.content.decode()


def test_customer_page_answers_404_when_salesperson_opens_anothers_customer(
    books, accountant, signed_in, make_user
):
    theirs = customer_owing(owner=make_user(Role.SALES), accountant=accountant)

    response = signed_in(make_user(Role.SALES)).get(f"/customers/{theirs.pk}/")

    assert response.status_code == 404


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/customers/")
    assert response.status_code == 200
    return len(queries)


def test_customer_list_query_count_stays_flat_when_more_customers_owe(
    books, accountant, signed_in, make_user
):
    manager = make_user(Role.SALES_MANAGER)
    client = signed_in(manager)
    for _ in range(2):
        customer_owing(owner=manager, accountant=accountant)
    with_2 = _list_queries(client)

    for _ in range(4):
        customer_owing(owner=manager, accountant=accountant)

    assert _list_queries(client) == with_2
    response = client.get("/customers/")
    rows = response.context["page_obj"].object_list
    assert [row.figures.balance for row in rows] == [Decimal(BALANCE)] * 6
