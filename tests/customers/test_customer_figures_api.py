"""What customers owe in the customers API: `balance`, `overdue`, `average_days_to_pay` on the
list and the detail, null for callers who may not see them, without a query per row."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.customers.figures_support import BALANCE, DAYS_TO_PAY, OVERDUE, customer_owing

pytestmark = pytest.mark.django_db

URL = "/api/v1/customers"


@pytest.fixture
def accountant(make_user: Callable[..., User]) -> User:
    return make_user(Role.ACCOUNTANT)


def _figures(answer: dict) -> tuple[str | None, str | None, int | None]:
    return answer["balance"], answer["overdue"], answer["average_days_to_pay"]


def test_customer_list_answers_figures_when_salesperson_lists_own_customers(
    books, accountant, api_client, make_user
):
    seller = make_user(Role.SALES)
    mine = customer_owing(owner=seller, accountant=accountant)
    customer_owing(owner=make_user(Role.SALES), accountant=accountant)

    response = api_client(seller).get(URL)

    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["id"] == mine.pk
    assert _figures(item) == (BALANCE, OVERDUE, DAYS_TO_PAY)


def test_customer_get_answers_figures_when_caller_may_see_them(
    books, accountant, api_client, make_user
):
    seller = make_user(Role.SALES)
    customer = customer_owing(owner=seller, accountant=accountant)

    response = api_client(seller).get(f"{URL}/{customer.pk}")

    assert response.status_code == 200
    assert _figures(response.json()) == (BALANCE, OVERDUE, DAYS_TO_PAY)


def test_customer_answers_null_figures_when_caller_may_not_see_balances(
    books, accountant, api_client, make_user
):
    customer = customer_owing(owner=make_user(Role.SALES), accountant=accountant)
    user = make_user()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_customer", "view_all_customers"])
    )
    client = api_client(user)

    (item,) = client.get(URL).json()["items"]
    detail = client.get(f"{URL}/{customer.pk}").json()

    assert _figures(item) == (None, None, None)
    assert _figures(detail) == (None, None, None)


def test_customer_update_answers_figures_when_saved(books, accountant, api_client, make_user):
    seller = make_user(Role.SALES)
    customer = customer_owing(owner=seller, accountant=accountant)

    response = api_client(seller).patch(
        f"{URL}/{customer.pk}", {"notes": "按月对账"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert _figures(response.json()) == (BALANCE, OVERDUE, DAYS_TO_PAY)


def _list_queries(client: Client) -> int:
    client.get(URL)  # the token's last use is recorded once a minute: warm it up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_customer_list_query_count_stays_flat_when_more_customers_owe(
    books, accountant, api_client, make_user
):
    manager = make_user(Role.SALES_MANAGER)
    client = api_client(manager)
    for _ in range(2):
        customer_owing(owner=manager, accountant=accountant)
    with_2 = _list_queries(client)

    for _ in range(4):
        customer_owing(owner=manager, accountant=accountant)

    assert _list_queries(client) == with_2
    items = client.get(URL).json()["items"]
    assert [item["balance"] for item in items] == [BALANCE] * 6
