"""Quote services: numbering, lines and totals, status rules, visibility, copying, history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from suanpan.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from suanpan.sales.choices import QuoteStatus, StageOutcome
from suanpan.sales.errors import InvalidQuoteTransition, QuoteNotEditable
from suanpan.sales.models import Opportunity, OpportunityStage, Quote
from suanpan.sales.selectors.quotes import quote_get, quote_list
from suanpan.sales.services import quotes as services
from suanpan.sales.services.lines import LineInput
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def product():
    return ProductFactory(name="工业级交换机", list_price=D("113.00"))


def _quote(seller: User, product, **data) -> Quote:
    customer = data.pop("customer", None) or CustomerFactory(owner=seller)
    return services.quote_create(
        actor=seller,
        customer=customer,
        data={"quoted_on": date(2026, 11, 20), "valid_until": date(2026, 12, 20), **data},
        lines=[LineInput(product_id=product.pk, quantity=D("3"))],
    )


def test_quote_create_numbers_prices_and_records_history(seller: User, product) -> None:
    quote = _quote(seller, product, terms="款到发货")

    assert quote.number == "BJ-202611-0001"
    assert (quote.status, quote.owner, quote.terms) == (QuoteStatus.DRAFT, seller, "款到发货")
    assert (quote.net_amount, quote.tax_amount, quote.gross_amount) == (
        D("300.00"),
        D("39.00"),
        D("339.00"),
    )
    stored = Quote.objects.get(pk=quote.pk)
    assert stored.gross_amount == D("339.00")
    assert list(stored.lines.values_list("product_name", "gross_amount")) == [
        ("工业级交换机", D("339.00"))
    ]
    record = stored.history.get()
    assert (record.history_user, record.gross_amount) == (seller, D("339.00"))
    assert _quote(seller, product).number == "BJ-202611-0002"


def test_quote_create_refused_when_valid_until_is_before_the_date(seller: User, product) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _quote(seller, product, valid_until=date(2026, 11, 19))

    assert "valid_until" in caught.value.fields
    assert not Quote.objects.exists()


def test_quote_create_for_another_salespersons_customer_is_not_found(
    seller: User, product, make_user: Callable[..., User]
) -> None:
    other = CustomerFactory(owner=make_user(Role.SALES))

    with pytest.raises(NotFound):
        _quote(seller, product, customer=other)


def test_quote_of_another_salesperson_cannot_be_seen(
    seller: User, product, make_user: Callable[..., User]
) -> None:
    quote = _quote(seller, product)
    colleague = make_user(Role.SALES)
    manager = make_user(Role.SALES_MANAGER)

    with pytest.raises(Http404):
        quote_get(user=colleague, pk=quote.pk)
    assert list(quote_list(user=colleague)[0]) == []
    assert quote_get(user=manager, pk=quote.pk) == quote
    with pytest.raises(NotFound):
        services.quote_send(actor=colleague, quote=quote)


def test_quote_create_needs_the_permission(make_user: Callable[..., User], product) -> None:
    accountant = make_user(Role.ACCOUNTANT)

    with pytest.raises(PermissionDeniedError):
        _quote(accountant, product, customer=CustomerFactory())


def test_quote_opportunity_must_be_of_the_same_customer(seller: User, product) -> None:
    stage = OpportunityStage.objects.filter(outcome=StageOutcome.OPEN).first()
    opportunity = Opportunity.objects.create(
        customer=CustomerFactory(owner=seller),
        title="机房改造",
        expected_close_on=date(2026, 12, 31),
        stage=stage,
        owner=seller,
    )

    with pytest.raises(ValidationFailed) as caught:
        _quote(seller, product, opportunity=opportunity)
    quote = _quote(seller, product, opportunity=opportunity, customer=opportunity.customer)

    assert "opportunity" in caught.value.fields
    assert quote.opportunity == opportunity


def test_quote_update_replaces_lines_while_draft(seller: User, product) -> None:
    quote = _quote(seller, product)
    other = ProductFactory(list_price=D("106"))

    services.quote_update(
        actor=seller,
        quote=quote,
        data={"notes": "改为两种型号"},
        lines=[
            LineInput(product_id=product.pk, quantity=D("1")),
            LineInput(product_id=other.pk, quantity=D("1"), discount_rate=D("0.5")),
        ],
    )

    quote.refresh_from_db()
    assert quote.lines.count() == 2
    assert (quote.gross_amount, quote.notes) == (D("166.00"), "改为两种型号")


def test_quote_update_to_prices_excluding_tax_reprices_the_lines(seller: User, product) -> None:
    quote = _quote(seller, product)

    services.quote_update(actor=seller, quote=quote, data={"price_includes_tax": False})

    quote.refresh_from_db()
    # 3 × 113 is now the amount excluding tax: 339 + 44.07 tax.
    assert (quote.net_amount, quote.tax_amount, quote.gross_amount) == (
        D("339.00"),
        D("44.07"),
        D("383.07"),
    )


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        (["send"], "send"),
        (["accept"], "send"),
        (["cancel"], "accept"),
        (["send", "reject"], "cancel"),
        (["send", "accept"], "reject"),
    ],
)
def test_quote_status_rules(seller: User, product, steps: list[str], refused: str) -> None:
    quote = _quote(seller, product)
    for step in steps:
        quote = getattr(services, f"quote_{step}")(actor=seller, quote=quote)

    with pytest.raises(InvalidQuoteTransition):
        getattr(services, f"quote_{refused}")(actor=seller, quote=quote)


def test_quote_edit_refused_once_sent(seller: User, product) -> None:
    quote = services.quote_send(actor=seller, quote=_quote(seller, product))

    with pytest.raises(QuoteNotEditable):
        services.quote_update(actor=seller, quote=quote, data={"notes": "x"})


def test_quote_reject_keeps_the_reason_in_history(seller: User, product) -> None:
    quote = services.quote_send(actor=seller, quote=_quote(seller, product))

    services.quote_reject(actor=seller, quote=quote, reason="价格偏高")

    latest = quote.history.order_by("-history_id").first()
    assert (latest.status, latest.history_change_reason) == (QuoteStatus.REJECTED, "价格偏高")


def test_quote_copy_makes_a_new_draft_with_the_same_lines(seller: User, product) -> None:
    original = services.quote_cancel(actor=seller, quote=_quote(seller, product))

    copy = services.quote_copy(actor=seller, quote=original, quoted_on=date(2026, 12, 1))

    assert copy.pk != original.pk
    assert (copy.status, copy.quoted_on, copy.valid_until) == (
        QuoteStatus.DRAFT,
        date(2026, 12, 1),
        date(2026, 12, 31),
    )
    assert copy.number == "BJ-202612-0001"
    assert copy.gross_amount == original.gross_amount
    assert list(copy.lines.values_list("product_id", "quantity")) == [(product.pk, D("3"))]


def test_expired_quotes_are_flagged(seller: User, product) -> None:
    old = _quote(seller, product, quoted_on=date(2020, 1, 1), valid_until=date(2020, 1, 31))
    accepted_old = services.quote_accept(
        actor=seller,
        quote=_quote(seller, product, quoted_on=date(2020, 1, 1), valid_until=date(2020, 1, 31)),
    )
    today = timezone.localdate()
    current = _quote(seller, product, quoted_on=today, valid_until=today + timedelta(days=365))

    flags = {q.pk: q.is_expired for q in quote_list(user=seller)[0]}
    expired_only = quote_list(user=seller, filters={"expired": "true"})[0]

    assert flags == {old.pk: True, accepted_old.pk: False, current.pk: False}
    assert [q.pk for q in expired_only] == [old.pk]
