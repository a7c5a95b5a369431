"""A customer merge crossing an order confirmation on PostgreSQL (docs/locking.md): the
confirmation stops just before it locks the customer until the merge has locked both
customers; taken customer first, then order, they queue, and the order ends confirmed under
the customer that stays."""

from __future__ import annotations

from typing import Any

import pytest

from suanpan.customers.models import Customer
from suanpan.customers.services import customer_merge
from suanpan.customers.services import merge as merge_module
from suanpan.sales.choices import OrderStatus
from suanpan.sales.services import order_common
from suanpan.sales.services import orders as order_services
from suanpan.users.models import User
from tests.factories import CustomerFactory, ProductFactory, order_build
from tests.lock_order import crossed, deadlocks

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_order_confirmed_while_its_customer_is_merged_queues_and_follows_the_merge(
    manager: User, books: Any
) -> None:
    duplicate, survivor = CustomerFactory(owner=manager), CustomerFactory(owner=manager)
    order = order_build(
        customer=duplicate, lines=[(ProductFactory(), "2", "113.00")], status=OrderStatus.DRAFT
    )

    results, errors = crossed(
        lambda: order_services.order_confirm(actor=manager, order=order),
        lambda: customer_merge(actor=manager, source=duplicate, target=survivor),
        first_stops_before=(order_common, "customer_locked"),
        second_goes_through=(merge_module, "_reverse_foreign_keys"),
    )

    assert not deadlocks(errors), errors
    assert not errors, errors
    assert len(results) == 2
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert order.customer_id == survivor.pk
    assert Customer.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk
