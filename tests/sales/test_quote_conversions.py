"""Converting a quote: only a sent or accepted quote offers it, and a quote gives one order
and one contract — a second conversion (a double submit, a repeated API call) goes to the
first instead of making another."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from suanpan.sales.choices import OrderStatus, QuoteStatus
from suanpan.sales.errors import InvalidQuoteTransition, QuoteAlreadyConverted
from suanpan.sales.models import Contract, Quote, SalesOrder
from suanpan.sales.services import contracts as contract_services
from suanpan.sales.services import orders as order_services
from suanpan.users.models import User
from tests.ledger.test_concurrency import race
from tests.sales.test_orders_services import _quote

D = Decimal


def _post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.mark.django_db
def test_second_order_from_a_quote_is_refused_naming_the_first(seller: User, customer: Any) -> None:
    quote = _quote(seller, customer)
    first = order_services.order_create_from_quote(actor=seller, quote=quote)

    with pytest.raises(QuoteAlreadyConverted) as refused:
        order_services.order_create_from_quote(actor=seller, quote=quote)

    assert first.number in refused.value.message
    assert refused.value.params["existing_id"] == first.pk
    assert SalesOrder.objects.count() == 1


@pytest.mark.django_db
def test_quote_whose_order_was_cancelled_converts_again(seller: User, customer: Any) -> None:
    quote = _quote(seller, customer)
    first = order_services.order_create_from_quote(actor=seller, quote=quote)
    order_services.order_cancel(actor=seller, order=first, reason="客户改单")

    second = order_services.order_create_from_quote(actor=seller, quote=quote)

    assert second.pk != first.pk and second.status == OrderStatus.DRAFT


@pytest.mark.django_db
def test_second_contract_from_a_quote_is_refused_naming_the_first(
    seller: User, customer: Any
) -> None:
    quote = _quote(seller, customer)
    first = contract_services.contract_create_from_quote(actor=seller, quote=quote)

    with pytest.raises(QuoteAlreadyConverted) as refused:
        contract_services.contract_create_from_quote(actor=seller, quote=quote)

    assert first.number in refused.value.message
    assert Contract.objects.count() == 1


@pytest.mark.django_db
def test_contract_from_a_draft_quote_is_refused(seller: User, customer: Any) -> None:
    quote = _quote(seller, customer, status=QuoteStatus.DRAFT)

    with pytest.raises(InvalidQuoteTransition):
        contract_services.contract_create_from_quote(actor=seller, quote=quote)
    assert not Contract.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (QuoteStatus.DRAFT, False),
        (QuoteStatus.SENT, True),
        (QuoteStatus.ACCEPTED, True),
        (QuoteStatus.REJECTED, False),
        (QuoteStatus.CANCELLED, False),
    ],
)
def test_quote_page_offers_conversions_only_when_the_state_allows(
    client: Client, seller: User, customer: Any, status: str, offered: bool
) -> None:
    quote = _quote(seller, customer, status=status)
    client.force_login(seller)

    page = client.get(reverse("sales:quote_detail", args=[quote.pk])).text

    order_url = reverse("sales:order_create_from_quote", args=[quote.pk])
    contract_url = reverse("sales:quote_convert_contract", args=[quote.pk])
    assert (f'href="{order_url}"' in page) is offered
    assert (f'href="{contract_url}"' in page) is offered


@pytest.mark.django_db
def test_converted_quote_no_longer_offers_and_its_pages_go_to_the_order(
    client: Client, seller: User, customer: Any
) -> None:
    quote = _quote(seller, customer)
    order = order_services.order_create_from_quote(actor=seller, quote=quote)
    contract = contract_services.contract_create_from_quote(actor=seller, quote=quote)
    client.force_login(seller)

    page = client.get(reverse("sales:quote_detail", args=[quote.pk])).text
    to_order = client.post(
        reverse("sales:order_create_from_quote", args=[quote.pk]), {"ordered_on": "2026-11-21"}
    )
    to_contract = client.get(reverse("sales:quote_convert_contract", args=[quote.pk]))

    assert f'href="{reverse("sales:order_create_from_quote", args=[quote.pk])}"' not in page
    assert to_order.url == reverse("sales:order_detail", args=[order.pk])
    assert to_contract.url == reverse("sales:contract_detail", args=[contract.pk])
    shown = [str(m) for m in client.get(to_order.url).context["messages"]]
    assert f"already converted to order {order.number}" in " ".join(shown)
    assert SalesOrder.objects.count() == 1 and Contract.objects.count() == 1


@pytest.mark.django_db
def test_api_repeated_conversion_answers_the_existing_order_and_contract(
    client_for: Client, seller: User, customer: Any
) -> None:
    quote = _quote(seller, customer)
    url = f"/api/v1/orders/from-quote/{quote.pk}"

    created, repeated = _post(client_for, url), _post(client_for, url)
    made = _post(client_for, "/api/v1/contracts", {"quote_id": quote.pk, "title": "框架合同"})
    again = _post(client_for, "/api/v1/contracts", {"quote_id": quote.pk, "title": "框架合同"})

    assert (created.status_code, repeated.status_code) == (201, 200), repeated.content
    assert repeated.json()["id"] == created.json()["id"]
    assert (made.status_code, again.status_code) == (201, 200), again.content
    assert again.json()["id"] == made.json()["id"]
    assert SalesOrder.objects.count() == 1 and Contract.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_double_submit_of_a_conversion_makes_one_order(seller: User, customer: Any) -> None:
    quote = _quote(seller, customer)

    results, errors = race(
        2, lambda _i: order_services.order_create_from_quote(actor=seller, quote=quote)
    )

    assert len(results) == 1, errors
    assert len(errors) == 1 and isinstance(errors[0], QuoteAlreadyConverted), errors
    assert SalesOrder.objects.filter(quote=quote).count() == 1
    assert Quote.objects.get(pk=quote.pk).status == QuoteStatus.ACCEPTED
