"""Sales documents refuse business dates outside the window (core.dates): before the books
begin (or 2000-01-01 without books), more than SUANPAN_MAX_FUTURE_DAYS ahead, planned dates more
than SUANPAN_MAX_PLAN_DAYS ahead; the field is named, and nothing is written."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from suanpan.core.errors import DateOutOfRange
from suanpan.sales.models import Contract, Opportunity, Quote, SalesOrder
from suanpan.sales.services import contracts, opportunities, order_batches, orders, quotes
from suanpan.sales.services.contracts import InstalmentInput
from suanpan.sales.services.lines import LineInput
from suanpan.users.models import User
from tests.factories import CustomerFactory, books_create

pytestmark = pytest.mark.django_db
D = Decimal
FAR = date(9999, 12, 31)
YEAR_1 = date(1, 1, 1)


def _refused(call: Any, *fields: str) -> DateOutOfRange:
    with pytest.raises(DateOutOfRange) as caught:
        call()
    assert sorted(caught.value.fields) == sorted(fields)
    assert caught.value.as_dict()["code"] == "date_out_of_range"
    return caught.value


def _today() -> date:
    return timezone.localdate()


# Quotes ---------------------------------------------------------------------------------------


def _quote(seller: User, product: Any, **data: Any) -> Quote:
    return quotes.quote_create(
        actor=seller,
        customer=CustomerFactory(owner=seller),
        data=data,
        lines=[LineInput(product_id=product.pk, quantity=D("1"))],
    )


@pytest.mark.parametrize("quoted_on", [FAR, YEAR_1, date(1999, 12, 31)])
def test_quote_create_refuses_a_date_outside_the_window(seller, product, quoted_on) -> None:
    _refused(lambda: _quote(seller, product, quoted_on=quoted_on), "quoted_on")
    assert not Quote.objects.exists()


def test_quote_expiry_may_lie_further_ahead_than_its_date(seller, product) -> None:
    today = _today()
    quote = _quote(seller, product, quoted_on=today, valid_until=today + timedelta(days=2000))
    assert quote.valid_until == today + timedelta(days=2000)
    _refused(lambda: _quote(seller, product, quoted_on=today, valid_until=FAR), "valid_until")


def test_quote_refuses_a_date_before_the_books_begin(books, seller, product) -> None:
    error = _refused(lambda: _quote(seller, product, quoted_on=date(2025, 12, 31)), "quoted_on")
    assert "2026-01-01" in error.fields["quoted_on"][0]


def test_quote_window_follows_the_setting(settings, seller, product) -> None:
    settings.SUANPAN_MAX_FUTURE_DAYS = 10
    ahead = _today() + timedelta(days=11)
    _refused(lambda: _quote(seller, product, quoted_on=ahead), "quoted_on")
    settings.SUANPAN_MAX_FUTURE_DAYS = 11
    assert _quote(seller, product, quoted_on=ahead).quoted_on == ahead


# Orders ---------------------------------------------------------------------------------------


def _order_input(customer: Any, product: Any, **kwargs: Any) -> orders.OrderInput:
    return orders.OrderInput(
        customer=customer,
        ordered_on=kwargs.pop("ordered_on", _today()),
        lines=[LineInput(product_id=product.pk, quantity=D("1"), unit_price=D("10"))],
        **kwargs,
    )


@pytest.mark.parametrize("ordered_on", [FAR, YEAR_1])
def test_order_create_refuses_year_1_and_9999(seller, customer, product, ordered_on) -> None:
    data = _order_input(customer, product, ordered_on=ordered_on)
    _refused(lambda: orders.order_create(actor=seller, data=data), "ordered_on")
    assert not SalesOrder.objects.exists()


def test_order_bulk_create_names_the_order_whose_date_is_wrong(seller, customer, product) -> None:
    batch = [
        _order_input(customer, product),
        _order_input(customer, product, ordered_on=FAR, delivery_due_on=FAR),
    ]
    _refused(
        lambda: order_batches.order_bulk_create(actor=seller, orders=batch),
        "orders.1.ordered_on",
        "orders.1.delivery_due_on",
    )
    assert not SalesOrder.objects.exists()


def test_order_update_keeps_an_old_date_but_refuses_a_new_one(seller, customer, product) -> None:
    old = date(2025, 6, 1)
    order = orders.order_create(actor=seller, data=_order_input(customer, product, ordered_on=old))
    books_create()  # the books begin in January 2026, after the order's date
    orders.order_update(
        actor=seller, order=order, data=_order_input(customer, product, ordered_on=old)
    )
    data = _order_input(customer, product, ordered_on=date(2025, 7, 1))
    _refused(lambda: orders.order_update(actor=seller, order=order, data=data), "ordered_on")
    order.refresh_from_db()
    assert order.ordered_on == old


# Contracts ------------------------------------------------------------------------------------


def _contract(seller: User, **data: Any) -> Contract:
    return contracts.contract_create(
        actor=seller,
        customer=CustomerFactory(owner=seller),
        data={"title": "年度供货合同", "amount": D("1000.00"), **data},
    )


def test_contract_refuses_signing_far_ahead_but_allows_a_long_term(seller) -> None:
    today = _today()
    _refused(lambda: _contract(seller, signed_on=FAR), "signed_on")
    long = _contract(seller, signed_on=today, starts_on=today, ends_on=today + timedelta(3 * 365))
    assert long.ends_on == today + timedelta(3 * 365)
    _refused(lambda: _contract(seller, signed_on=today, ends_on=FAR), "ends_on")
    contract = _contract(seller)
    _refused(
        lambda: contracts.contract_update(actor=seller, contract=contract, data={"starts_on": FAR}),
        "starts_on",
    )
    _refused(
        lambda: contracts.contract_activate(actor=seller, contract=contract, signed_on=YEAR_1),
        "signed_on",
    )


def test_contract_plan_refuses_an_instalment_due_in_9999(seller) -> None:
    contract = _contract(seller)
    plan = [
        InstalmentInput(due_on=_today(), percentage=D("0.5")),
        InstalmentInput(due_on=FAR, percentage=D("0.5")),
    ]
    _refused(
        lambda: contracts.contract_plan_set(actor=seller, contract=contract, instalments=plan),
        "instalments.1.due_on",
    )
    assert not contract.instalments.exists()


# Opportunities --------------------------------------------------------------------------------


def test_opportunity_refuses_an_expected_close_in_9999(seller, customer) -> None:
    data = {"customer": customer, "title": "ERP", "amount": D("100"), "expected_close_on": FAR}
    _refused(lambda: opportunities.opportunity_create(actor=seller, data=data), "expected_close_on")
    assert not Opportunity.objects.exists()
    made = opportunities.opportunity_create(
        actor=seller, data={**data, "expected_close_on": _today() + timedelta(days=500)}
    )
    _refused(
        lambda: opportunities.opportunity_update(
            actor=seller, opportunity=made, data={"expected_close_on": YEAR_1}
        ),
        "expected_close_on",
    )
