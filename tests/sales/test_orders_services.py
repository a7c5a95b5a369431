"""Sales order services: entry, workflow, credit check, batch entry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from suanpan.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Dimension
from suanpan.ledger.services import PostingEvent, RoleLine, posting_post
from suanpan.sales.choices import (
    ContractStatus,
    OrderActivityKind,
    OrderStatus,
    QuoteStatus,
)
from suanpan.sales.errors import (
    CreditLimitExceeded,
    InvalidOrderTransition,
    OrderSourceNotUsable,
)
from suanpan.sales.models import Contract, Quote, QuoteLine, SalesOrder
from suanpan.sales.selectors.orders import customer_exposure, order_get
from suanpan.sales.services import orders as services
from suanpan.sales.services.lines import LineInput
from suanpan.sales.services.order_batches import order_bulk_create
from suanpan.sales.services.shipments import order_lines_ship
from suanpan.users.choices import Role
from tests.factories import (
    CustomerFactory,
    ProductFactory,
    TaxCategoryFactory,
    UserFactory,
    order_build,
)

D = Decimal


@pytest.fixture
def finance(db: None):
    return UserFactory(role=Role.FINANCE_MANAGER)


def order_input(customer, product, *, quantity="2", price="113", **kwargs):
    return services.OrderInput(
        customer=customer,
        ordered_on=kwargs.pop("ordered_on", date(2026, 11, 20)),
        lines=[LineInput(product_id=product.pk, quantity=D(quantity), unit_price=D(price))],
        **kwargs,
    )


def make_order(seller, customer, product, **kwargs) -> SalesOrder:
    return services.order_create(actor=seller, data=order_input(customer, product, **kwargs))


def kinds(order: SalesOrder) -> list[str]:
    return list(order.activities.order_by("at", "id").values_list("kind", flat=True))


# ---------------------------------------------------------------------------- entry


def test_order_create_numbers_prices_and_logs_when_customer_visible(seller, customer, product):
    order = make_order(seller, customer, product, quantity="3", price="113")

    assert order.number == "XS-202611-0001"
    assert order.status == OrderStatus.DRAFT
    assert order.owner == seller
    assert order.gross_amount == D("339.00")
    assert order.net_amount == D("300.00")
    assert order.tax_amount == D("39.00")
    line = order.lines.get()
    assert (line.position, line.product_name, line.vat_rate) == (1, product.name, D("0.13"))
    assert kinds(order) == [OrderActivityKind.CREATED]
    assert order.activities.get().actor == seller
    assert make_order(seller, customer, product).number == "XS-202611-0002"


def test_order_create_refused_when_customer_not_visible(seller, product):
    stranger = CustomerFactory()
    with pytest.raises(NotFound):
        make_order(seller, stranger, product)
    assert not SalesOrder.objects.exists()


def test_order_create_refused_when_quote_of_another_customer(seller, customer, product):
    other = CustomerFactory(owner=seller)
    quote = Quote.objects.create(
        number="BJ-1",
        customer=other,
        quoted_on=date(2026, 11, 1),
        valid_until=date(2026, 11, 30),
        owner=seller,
    )
    with pytest.raises(OrderSourceNotUsable):
        make_order(seller, customer, product, quote=quote)


def test_order_create_refused_without_permission(customer, product):
    accountant = UserFactory(role=Role.ACCOUNTANT)
    with pytest.raises(PermissionDeniedError):
        make_order(accountant, customer, product)


def test_order_update_replaces_lines_and_lists_changes_when_draft(seller, customer, product):
    order = make_order(seller, customer, product)
    other = ProductFactory(
        tax_category=TaxCategoryFactory(code="304", name="服务", vat_rate_key="6")
    )
    data = services.OrderInput(
        customer=customer,
        ordered_on=date(2026, 11, 20),
        delivery_due_on=date(2026, 12, 1),
        lines=[
            LineInput(product_id=product.pk, quantity=D("1"), unit_price=D("113")),
            LineInput(product_id=other.pk, quantity=D("1"), unit_price=D("106")),
        ],
    )

    services.order_update(actor=seller, order=order, data=data)

    order.refresh_from_db()
    assert order.gross_amount == D("219.00")
    assert order.lines.count() == 2
    change = order.activities.get(kind=OrderActivityKind.CHANGED)
    assert "2026-12-01" in change.note
    assert "1 → 2" in change.note and "226.00" in change.note and "219.00" in change.note


def test_order_update_refused_when_confirmed(seller, customer, product):
    order = make_order(seller, customer, product)
    services.order_confirm(actor=seller, order=order)
    with pytest.raises(InvalidOrderTransition, match="only draft"):
        services.order_update(actor=seller, order=order, data=order_input(customer, product))


# ---------------------------------------------------------------------------- from quote / contract


def _quote(seller, customer, status=QuoteStatus.SENT) -> Quote:
    quote = Quote.objects.create(
        number="BJ-202611-0001",
        customer=customer,
        quoted_on=date(2026, 11, 1),
        valid_until=date(2026, 11, 30),
        owner=seller,
        status=status,
        price_includes_tax=True,
        net_amount=D("88.49"),
        tax_amount=D("11.50"),
        gross_amount=D("99.99"),
    )
    product = ProductFactory()
    # Amounts as stored on the quote, whatever today's maths would give: the order copies them.
    QuoteLine.objects.create(
        quote=quote,
        position=1,
        product=product,
        product_name="旧名称",
        unit="台",
        quantity=D("3"),
        unit_price=D("33.333333"),
        discount_rate=D("0.0500"),
        vat_rate_key="13",
        vat_rate=D("0.13"),
        net_amount=D("88.49"),
        tax_amount=D("11.50"),
        gross_amount=D("99.99"),
    )
    return quote


def test_order_from_quote_copies_lines_exactly_and_accepts_quote(seller, customer):
    quote = _quote(seller, customer)

    order = services.order_create_from_quote(actor=seller, quote=quote)

    line = order.lines.get()
    assert (line.product_name, line.quantity, line.unit_price, line.discount_rate) == (
        "旧名称",
        D("3"),
        D("33.333333"),
        D("0.0500"),
    )
    assert (line.net_amount, line.tax_amount, line.gross_amount) == (
        D("88.49"),
        D("11.50"),
        D("99.99"),
    )
    assert (order.net_amount, order.tax_amount, order.gross_amount) == (
        D("88.49"),
        D("11.50"),
        D("99.99"),
    )
    assert order.quote == quote and order.status == OrderStatus.DRAFT
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED
    assert quote.history.first().history_user == seller


@pytest.mark.parametrize("status", [QuoteStatus.DRAFT, QuoteStatus.REJECTED])
def test_order_from_quote_refused_when_quote_not_sent(seller, customer, status):
    quote = _quote(seller, customer, status=status)
    with pytest.raises(OrderSourceNotUsable):
        services.order_create_from_quote(actor=seller, quote=quote)


def test_order_from_quote_refused_when_customer_not_visible(seller):
    quote = _quote(seller, CustomerFactory())
    with pytest.raises(NotFound):
        services.order_create_from_quote(actor=seller, quote=quote)


def _contract(seller, customer, *, quote=None, status=ContractStatus.ACTIVE) -> Contract:
    return Contract.objects.create(
        number="HT-202611-0001",
        title="年度供货",
        customer=customer,
        quote=quote,
        amount=D("1000.00"),
        status=status,
        owner=seller,
    )


def test_order_from_contract_copies_quote_lines_when_contract_has_quote(seller, customer):
    quote = _quote(seller, customer, status=QuoteStatus.ACCEPTED)
    contract = _contract(seller, customer, quote=quote)

    order = services.order_create_from_contract(actor=seller, contract=contract)

    assert order.contract == contract and order.quote == quote
    assert order.gross_amount == D("99.99")


def test_order_from_contract_takes_entered_lines_when_contract_has_no_quote(
    seller, customer, product
):
    contract = _contract(seller, customer)
    order = services.order_create_from_contract(
        actor=seller,
        contract=contract,
        lines=[LineInput(product_id=product.pk, quantity=D("1"), unit_price=D("226"))],
    )
    assert order.gross_amount == D("226.00") and order.contract == contract


def test_order_from_contract_refused_when_not_in_force(seller, customer, product):
    contract = _contract(seller, customer, status=ContractStatus.DRAFT)
    with pytest.raises(OrderSourceNotUsable, match="in force"):
        services.order_create_from_contract(
            actor=seller,
            contract=contract,
            lines=[LineInput(product_id=product.pk, quantity=D("1"))],
        )


# ---------------------------------------------------------------------------- workflow


def test_order_walks_every_valid_transition(seller, customer, product):
    order = make_order(seller, customer, product, quantity="2")
    order = services.order_confirm(actor=seller, order=order)
    assert order.status == OrderStatus.CONFIRMED and order.confirmed_by == seller
    order = services.order_pick(actor=seller, order=order)
    assert order.status == OrderStatus.PICKING
    line = order.lines.get()
    order_lines_ship(order=order, quantities={line.pk: D("1")}, actor=seller, reference="FH-1")
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTLY_SHIPPED
    order_lines_ship(order=order, quantities={line.pk: D("1")}, actor=seller, reference="FH-2")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    order = services.order_complete(actor=seller, order=order)
    assert order.status == OrderStatus.COMPLETED
    statuses = list(
        order.activities.filter(kind=OrderActivityKind.STATUS).values_list("to_status", flat=True)
    )
    assert statuses == [OrderStatus.CONFIRMED, OrderStatus.PICKING, OrderStatus.COMPLETED]


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (OrderStatus.CONFIRMED, "confirm"),
        (OrderStatus.PICKING, "confirm"),
        (OrderStatus.DRAFT, "pick"),
        (OrderStatus.PICKING, "pick"),
        (OrderStatus.SHIPPED, "pick"),
        (OrderStatus.DRAFT, "complete"),
        (OrderStatus.CONFIRMED, "complete"),
        (OrderStatus.PARTLY_SHIPPED, "complete"),
        (OrderStatus.COMPLETED, "complete"),
        (OrderStatus.PARTLY_SHIPPED, "cancel"),
        (OrderStatus.SHIPPED, "cancel"),
        (OrderStatus.COMPLETED, "cancel"),
        (OrderStatus.CANCELLED, "cancel"),
        (OrderStatus.CANCELLED, "confirm"),
    ],
)
def test_order_transition_refused_when_status_does_not_allow(
    seller, customer, product, status, action
):
    order = order_build(customer=customer, lines=[(product, "1", "113")], status=status)
    calls = {
        "confirm": lambda: services.order_confirm(actor=seller, order=order),
        "pick": lambda: services.order_pick(actor=seller, order=order),
        "complete": lambda: services.order_complete(actor=seller, order=order),
        "cancel": lambda: services.order_cancel(actor=seller, order=order, reason="客户取消"),
    }
    with pytest.raises(InvalidOrderTransition) as caught:
        calls[action]()
    assert order.number in caught.value.message
    assert caught.value.code == "invalid_order_transition"
    order.refresh_from_db()
    assert order.status == status


@pytest.mark.parametrize("status", [OrderStatus.DRAFT, OrderStatus.CONFIRMED, OrderStatus.PICKING])
def test_order_cancel_stores_reason_when_nothing_shipped(seller, customer, product, status):
    order = order_build(customer=customer, lines=[(product, "1", "113")], status=status)
    order = services.order_cancel(actor=seller, order=order, reason=" 客户取消 ")
    assert order.status == OrderStatus.CANCELLED
    assert order.cancel_reason == "客户取消"
    activity = order.activities.get()
    assert (activity.from_status, activity.to_status, activity.note) == (
        status,
        OrderStatus.CANCELLED,
        "客户取消",
    )


def test_order_cancel_refused_without_reason(seller, customer, product):
    order = make_order(seller, customer, product)
    with pytest.raises(ValidationFailed) as caught:
        services.order_cancel(actor=seller, order=order, reason="  ")
    assert "reason" in caught.value.fields


def test_order_note_add_logs_note(seller, customer, product):
    order = make_order(seller, customer, product)
    activity = services.order_note_add(actor=seller, order=order, note="客户要求周五送货")
    assert activity.kind == OrderActivityKind.NOTE and activity.actor == seller


def test_order_get_answers_404_when_customer_of_another_salesperson(seller, product):
    order = order_build(customer=CustomerFactory(), lines=[(product, "1", "113")])
    with pytest.raises(Http404):
        order_get(user=seller, pk=order.pk)
    with pytest.raises(NotFound):
        services.order_pick(actor=seller, order=order)


# ---------------------------------------------------------------------------- credit check


def _limited(seller, limit: str):
    return CustomerFactory(owner=seller, credit_limit_amount=D(limit))


def test_order_confirm_passes_when_under_limit(seller, product):
    customer = _limited(seller, "1000.00")
    order = make_order(seller, customer, product, quantity="8")  # 904.00
    order = services.order_confirm(actor=seller, order=order)
    assert order.status == OrderStatus.CONFIRMED
    assert order.credit_approved_by is None


def test_order_confirm_passes_when_limit_is_zero(seller, product):
    customer = _limited(seller, "0")
    order = make_order(seller, customer, product, quantity="1000")
    assert services.order_confirm(actor=seller, order=order).status == OrderStatus.CONFIRMED


def test_order_confirm_refused_with_figures_when_over_limit(seller, product):
    customer = _limited(seller, "1000.00")
    order = make_order(seller, customer, product, quantity="10")  # 1,130.00
    with pytest.raises(CreditLimitExceeded) as caught:
        services.order_confirm(actor=seller, order=order)
    message = caught.value.message
    assert "1,000.00" in message and "1,130.00" in message and "130.00" in message
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_order_confirm_counts_open_orders(seller, product):
    customer = _limited(seller, "1000.00")
    order_build(customer=customer, lines=[(product, "5", "113")], status=OrderStatus.CONFIRMED)
    partly = order_build(
        customer=customer, lines=[(product, "3", "113")], status=OrderStatus.PICKING
    )
    line = partly.lines.get()
    order_lines_ship(order=partly, quantities={line.pk: D("2")}, actor=seller, reference="FH")
    # Not counted: drafts, shipped, cancelled orders.
    for status in (OrderStatus.DRAFT, OrderStatus.SHIPPED, OrderStatus.CANCELLED):
        order_build(customer=customer, lines=[(product, "100", "113")], status=status)
    order = make_order(seller, customer, product, quantity="3")  # 339.00

    exposure = customer_exposure(customer=customer, order=order)

    assert exposure.open_orders == D("565.00") + D("113.00")
    assert exposure.total == D("1017.00")
    with pytest.raises(CreditLimitExceeded, match=r"excess ¥17\.00"):
        services.order_confirm(actor=seller, order=order)


def test_order_confirm_counts_ledger_receivables(books, seller, product):
    customer = _limited(seller, "1000.00")
    Dimension.objects.create(kind="customer", code=customer.number, name=customer.name)
    admin = UserFactory(role=Role.ADMINISTRATOR, is_superuser=True)
    posting_post(
        event=PostingEvent(
            source_type="tests.invoice",
            source_id="1",
            event="issued",
            date=date(2026, 1, 15),
            summary="开票",
            lines=(
                RoleLine(
                    role=AccountRole.RECEIVABLE, debit=D("800.00"), dimension_code=customer.number
                ),
                RoleLine(
                    role=AccountRole.RECEIVABLE_UNBILLED,
                    debit=D("100.00"),
                    dimension_code=customer.number,
                ),
                RoleLine(role=AccountRole.REVENUE, credit=D("900.00")),
            ),
        ),
        actor=admin,
    )
    order = make_order(seller, customer, product, quantity="1")  # 113.00

    assert customer_exposure(customer=customer, order=order).receivables == D("900.00")
    with pytest.raises(CreditLimitExceeded, match=r"excess ¥13\.00"):
        services.order_confirm(actor=seller, order=order)


def test_order_confirm_approved_with_reason_when_finance_manager(seller, finance, product):
    customer = _limited(seller, "100.00")
    order = make_order(seller, customer, product, quantity="1")  # 113.00
    with pytest.raises(CreditLimitExceeded) as caught:
        services.order_confirm(actor=finance, order=order)
    assert "credit_approval_reason" in caught.value.fields

    order = services.order_confirm(
        actor=finance, order=order, credit_approval_reason="老客户，月底回款"
    )

    assert order.status == OrderStatus.CONFIRMED
    assert order.credit_approved_by == finance
    assert order.credit_approval_reason == "老客户，月底回款"
    approval = order.activities.get(kind=OrderActivityKind.CREDIT_APPROVED)
    assert approval.actor == finance and "老客户" in approval.note and "13.00" in approval.note


def test_order_confirm_reason_ignored_without_approve_permission(seller, product):
    customer = _limited(seller, "100.00")
    order = make_order(seller, customer, product, quantity="1")
    with pytest.raises(CreditLimitExceeded):
        services.order_confirm(actor=seller, order=order, credit_approval_reason="我保证")
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT and order.credit_approved_by is None


def test_order_confirm_refused_for_finance_manager_when_under_limit(seller, finance, product):
    customer = _limited(seller, "10000.00")
    order = make_order(seller, customer, product)
    with pytest.raises(PermissionDeniedError):
        services.order_confirm(actor=finance, order=order)


def _owing(customer, *, due_on: date, amount: str = "800.00") -> None:
    """A receivable item of `amount` falling due on `due_on`, posted in January 2026."""
    Dimension.objects.get_or_create(kind="customer", code=customer.number, name=customer.name)
    posting_post(
        event=PostingEvent(
            source_type="tests.invoice",
            source_id=f"{customer.pk}-{due_on}",
            event="issued",
            date=date(2026, 1, 2),
            summary="开票",
            lines=(
                RoleLine(
                    role=AccountRole.RECEIVABLE,
                    debit=D(amount),
                    dimension_code=customer.number,
                    due_on=due_on,
                ),
                RoleLine(role=AccountRole.REVENUE, credit=D(amount)),
            ),
        ),
        actor=UserFactory(role=Role.ADMINISTRATOR, is_superuser=True),
    )


def test_order_confirm_held_when_overdue_beyond_the_company_days(books, seller, finance, product):
    from datetime import timedelta

    from django.utils import timezone

    from suanpan.sales.errors import CreditHoldOverdue

    books.credit_hold_overdue_days = 30
    books.save()
    customer = _limited(seller, "0")  # no limit: only the age of the debt holds the order
    today = timezone.localdate()
    _owing(customer, due_on=today - timedelta(days=30), amount="100.00")  # 30 days: not yet
    order = make_order(seller, customer, product, quantity="1")
    assert customer_exposure(customer=customer, order=order).held is False
    _owing(customer, due_on=today - timedelta(days=31))
    exposure = customer_exposure(customer=customer, order=order)
    assert exposure.held and exposure.overdue == D("800.00")
    with pytest.raises(CreditHoldOverdue, match=r"800\.00 more than 30 days") as caught:
        services.order_confirm(actor=seller, order=order)
    assert caught.value.code == "credit_hold_overdue"
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    confirmed = services.order_confirm(
        actor=finance, order=order, credit_approval_reason="已承诺月底付款"
    )
    assert confirmed.status == OrderStatus.CONFIRMED
    assert "Overdue more than 30 days" in order.activities.filter(kind="credit_approved").get().note


def test_order_confirm_not_held_when_the_setting_is_off(books, seller, product):
    from datetime import timedelta

    from django.utils import timezone

    customer = _limited(seller, "0")
    _owing(customer, due_on=timezone.localdate() - timedelta(days=400))
    order = make_order(seller, customer, product, quantity="1")
    assert services.order_confirm(actor=seller, order=order).status == OrderStatus.CONFIRMED


# ---------------------------------------------------------------------------- batch entry


def test_order_bulk_create_numbers_and_prices_like_single_entry(
    seller, customer, product, django_assert_max_num_queries
):
    inputs = [
        order_input(
            customer, product, quantity=str(n), ordered_on=date(2026, 11 if n % 2 else 10, 5)
        )
        for n in range(1, 21)
    ]
    # 23: one for the books' first period the order dates are checked against, one reading the
    # customers' shipping addresses for orders that name none.
    with django_assert_max_num_queries(23):
        created = order_bulk_create(actor=seller, orders=inputs)
    assert len(created) == 20
    numbers = sorted(SalesOrder.objects.values_list("number", flat=True))
    assert numbers[0] == "XS-202610-0001" and numbers[-1] == "XS-202611-0010"
    third = SalesOrder.objects.get(pk=created[2].pk)
    assert third.gross_amount == D("339.00") and third.lines.get().gross_amount == D("339.00")
    assert all(kinds(order) == [OrderActivityKind.CREATED] for order in created[:3])


def test_order_bulk_create_query_count_constant_when_batch_grows(seller, customer, product):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The first batch also loads the actor's permissions and creates the month's sequence.
    order_bulk_create(actor=seller, orders=[order_input(customer, product)])
    counts = []
    for size in (5, 40):
        inputs = [order_input(customer, product) for _ in range(size)]
        with CaptureQueriesContext(connection) as queries:
            order_bulk_create(actor=seller, orders=inputs)
        counts.append(len(queries))
    # SQLite splits very large inserts by its parameter limit; 40 orders stay under it. One
    # query each reads the books' first period and the customers' shipping addresses.
    assert counts[0] == counts[1] <= 11


def test_order_bulk_create_writes_nothing_when_one_customer_not_visible(seller, customer, product):
    inputs = [order_input(customer, product), order_input(CustomerFactory(), product)]
    with pytest.raises(NotFound):
        order_bulk_create(actor=seller, orders=inputs)
    assert not SalesOrder.objects.exists()


@pytest.mark.parametrize("discount", ["1.5", "-0.1"])
def test_order_bulk_create_refuses_discount_out_of_range_like_single_entry(
    seller, customer, product, discount
):
    line = LineInput(
        product_id=product.pk, quantity=D(1), unit_price=D(113), discount_rate=D(discount)
    )
    data = services.OrderInput(customer=customer, ordered_on=date(2026, 11, 20), lines=[line])
    with pytest.raises(ValidationFailed) as single:
        services.order_create(actor=seller, data=data)
    with pytest.raises(ValidationFailed) as bulk:
        order_bulk_create(actor=seller, orders=[order_input(customer, product), data])
    assert single.value.fields == {"lines.0.discount": ["The discount lies between 0 and 100 %."]}
    # The same check and message; the batch names the order the line belongs to.
    assert bulk.value.fields == {
        "orders.1.lines.0.discount": ["The discount lies between 0 and 100 %."]
    }
    assert not SalesOrder.objects.exists()


def test_manager_sees_every_order(manager, seller, customer, product):
    order = make_order(seller, customer, product)
    assert order_get(user=manager, pk=order.pk) == order
