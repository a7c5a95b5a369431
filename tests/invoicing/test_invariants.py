"""Property tests: random orders, deliveries, returns and invoices never break the ledger's
invariants, under either revenue policy.

The stock side (receipts, orders, deliveries, signing, cancelling, returns) is the game of
tests/inventory/test_deliveries_invariants.py; here invoices join it — requested for a share
of what each order line may still be invoiced, approved by a second accountant and issued.
Afterwards: every voucher balances, invoiced never exceeds ordered and equals the invoice
lines, the receivable open items equal the receivable account per customer, output VAT and
revenue are what the invoices and deliveries say, and goods shipped holds exactly the cost of
what was shipped and not yet invoiced (revenue on invoice) or not yet signed for (on delivery).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tests.inventory.test_deliveries_invariants as stock_game
from suanpan.catalog.choices import ProductKind
from suanpan.core.errors import DomainError
from suanpan.inventory.choices import DeliveryStatus
from suanpan.inventory.models import Delivery, DeliveryLine, DeliveryReturn
from suanpan.invoicing.choices import (
    RED_FORM_PENDING,
    InvoiceStatus,
    InvoiceType,
    RedInitiator,
    RedReason,
    RequestSource,
)
from suanpan.invoicing.models import Invoice, InvoiceLine
from suanpan.invoicing.selectors.held import order_line_requestable, order_lines_held
from suanpan.invoicing.services import (
    IssueInput,
    RedLineInput,
    RequestInput,
    RequestLineInput,
    invoice_issue,
    invoice_mark_deducted,
    red_form_confirm,
    red_form_create,
    red_invoice_issue,
    request_approve,
    request_create,
)
from suanpan.ledger import selectors as ledger_selectors
from suanpan.ledger.choices import AccountRole, RevenuePolicy
from suanpan.ledger.models import Company, OpenItem, Period, Voucher, VoucherLine
from suanpan.sales.models import SalesOrderLine
from suanpan.users.choices import Role
from tests.factories import ProductFactory, UserFactory, WarehouseFactory
from tests.inventory.conftest import stock_books  # noqa: F401
from tests.inventory.deliveries_support import balance, customer_with_dimension

pytestmark = pytest.mark.django_db

D = Decimal
ZERO = D(0)
TAX_NUMBER = "91110000600037341L"

invoice_op = st.tuples(
    st.just("invoice"), stock_game.pick, st.lists(st.integers(0, 4), min_size=3, max_size=3)
)
# per blue line: the share to reverse in quarters (all 0: the whole invoice); the reason
red_op = st.tuples(
    st.just("red"),
    stock_game.pick,
    st.lists(st.integers(0, 4), min_size=3, max_size=3),
    st.sampled_from([RedReason.ERROR, RedReason.RETURN, RedReason.ALLOWANCE]),
)
operations = st.one_of(stock_game.operations, invoice_op, invoice_op, red_op)


@dataclass
class Game:
    stock: Any
    approver: Any
    numbers: Any


def _red(game: Game, op: tuple[Any, ...]) -> None:
    """Reverse part or all of an issued invoice: in full without the buyer's deduction, in part
    (the buyer has deducted it, so the form waits for the buyer's confirmation) otherwise."""
    _kind, invoice_i, quarters, reason = op
    blues = list(
        Invoice.objects.filter(
            kind="blue", status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_REVERSED]
        ).order_by("pk")
    )
    blue = stock_game._nth(blues, invoice_i)
    if blue is None:
        return
    clerk, approver = game.stock.clerk, game.approver
    on = max(game.stock.clock, blue.issued_on)
    try:
        with transaction.atomic():
            lines = None
            if any(quarters):
                lines = []
                for line, q in zip(blue.lines.order_by("position"), quarters, strict=False):
                    if not q or not line.quantity:
                        continue
                    reversed_q = -sum(
                        (r.quantity or ZERO for r in InvoiceLine.objects.filter(blue_line=line)),
                        ZERO,
                    )
                    share = stock_game._share(line.quantity - reversed_q, q)
                    if share > 0:
                        lines.append(RedLineInput(blue_line_id=line.pk, quantity=share))
                if not lines:
                    return
                if not blue.deducted:
                    invoice_mark_deducted(invoice=blue, actor=clerk)
            form = red_form_create(
                blue_invoice=blue,
                initiator=RedInitiator.SELLER,
                reason=reason,
                lines=lines,
                actor=clerk,
            )
            if form.status in RED_FORM_PENDING:
                red_form_confirm(form=form, actor=approver)
            red_invoice_issue(
                form=form,
                number=f"2635{next(game.numbers):016d}",
                issued_on=on,
                actor=approver,
            )
    except DomainError as exc:
        game.stock.refused[exc.code] += 1


def play(game: Game, op: tuple[Any, ...]) -> None:
    if op[0] == "red":
        _red(game, op)
        return
    if op[0] != "invoice":
        stock_game.apply(game.stock, op)
        return
    _kind, order_i, quarters = op
    order = stock_game._nth(game.stock.orders, order_i)
    if order is None:
        return
    lines = list(order.lines.select_related("product").order_by("position"))
    held = order_lines_held([line.pk for line in lines])
    wanted = []
    for line, q in zip(lines, quarters, strict=False):
        room = order_line_requestable(line, held.get(line.pk, (ZERO, ZERO, ZERO))[0])
        share = stock_game._share(room, q)
        if share > 0:
            wanted.append(RequestLineInput(order_line_id=line.pk, quantity=share))
    if not wanted:
        return
    clerk = game.stock.clerk
    try:
        with transaction.atomic():
            request = request_create(
                data=RequestInput(
                    source=RequestSource.ORDER,
                    invoice_type=InvoiceType.E_SPECIAL,
                    order_id=order.pk,
                    lines=tuple(wanted),
                    requested_on=game.stock.clock,
                ),
                actor=clerk,
            )
            request_approve(request=request, actor=game.approver)
            invoice_issue(
                request=request,
                data=IssueInput(
                    number=f"2635{next(game.numbers):016d}", issued_on=game.stock.clock
                ),
                actor=game.approver,
            )
    except DomainError as exc:
        game.stock.refused[exc.code] += 1


def _by_customer(lines: Any) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        sums[line.dimension.code] += line.debit_amount - line.credit_amount
    return {code: amount for code, amount in sums.items() if amount}


def assert_invariants(policy: str) -> None:
    for voucher in Voucher.objects.prefetch_related("lines"):
        lines = list(voucher.lines.all())
        assert sum(line.debit_amount for line in lines) == sum(line.credit_amount for line in lines)
    periods = list(Period.objects.order_by("year", "month"))
    if periods:
        tb = ledger_selectors.trial_balance(period_from=periods[0], period_to=periods[-1])
        assert tb.closing_debit == tb.closing_credit

    invoice_lines = InvoiceLine.objects.exclude(invoice__status=InvoiceStatus.VOIDED)
    invoiced: dict[int, Decimal] = defaultdict(Decimal)
    moved_cost: dict[int, Decimal] = defaultdict(Decimal)
    for line in invoice_lines.exclude(order_line=None):
        invoiced[line.order_line_id] += line.quantity or ZERO
        moved_cost[line.order_line_id] += line.cost_amount
    for order_line in SalesOrderLine.objects.all():
        assert 0 <= order_line.invoiced_quantity <= order_line.quantity
        assert order_line.invoiced_quantity == invoiced[order_line.pk]

    # The open-item table equals the receivable account, per customer.
    receivable = ledger_selectors.account_for_role(AccountRole.RECEIVABLE)
    items: dict[str, Decimal] = defaultdict(Decimal)
    for item in OpenItem.objects.filter(account=receivable).select_related("dimension"):
        items[item.dimension.code] += item.amount
    posted = _by_customer(
        VoucherLine.objects.filter(account=receivable).select_related("dimension")
    )
    assert {k: v for k, v in items.items() if v} == posted
    assert ledger_selectors.open_items_check(as_of=date(2026, 12, 31)) == []
    billed: dict[str, Decimal] = defaultdict(Decimal)
    for invoice in Invoice.objects.select_related("customer"):
        billed[invoice.customer.number] += invoice.gross_amount
    assert posted == {k: v for k, v in billed.items() if v}

    invoices = list(Invoice.objects.all())
    assert -balance(AccountRole.VAT_OUTPUT) == sum((i.tax_amount for i in invoices), ZERO)

    returned_cost: dict[int, Decimal] = defaultdict(Decimal)
    returned_net: dict[int, Decimal] = defaultdict(Decimal)
    returned_gross: dict[int, Decimal] = defaultdict(Decimal)
    for ret in DeliveryReturn.objects.all():
        returned_cost[ret.delivery_id] += ret.cost_amount
        returned_net[ret.delivery_id] += ret.net_amount
        returned_gross[ret.delivery_id] += ret.net_amount + ret.tax_amount
    out = (DeliveryStatus.SHIPPED, DeliveryStatus.SIGNED)
    if policy == RevenuePolicy.ON_INVOICE:
        # Goods shipped holds the cost of what left and was not yet invoiced.
        shipped_cost: dict[int, Decimal] = defaultdict(Decimal)
        for line in DeliveryLine.objects.filter(delivery__status__in=out).prefetch_related(
            "return_lines"
        ):
            shipped_cost[line.order_line_id] += line.cost_amount - sum(
                (r.cost_amount for r in line.return_lines.all()), ZERO
            )
        expected = sum(shipped_cost.values(), ZERO) - sum(moved_cost.values(), ZERO)
        assert balance(AccountRole.GOODS_SHIPPED) == expected
        assert -balance(AccountRole.REVENUE) == sum((i.net_amount for i in invoices), ZERO)
        assert balance(AccountRole.COGS) == sum(moved_cost.values(), ZERO)
        assert balance(AccountRole.RECEIVABLE_UNBILLED) == 0
    else:
        signed = Delivery.objects.filter(status=DeliveryStatus.SIGNED).select_related("customer")
        unbilled: dict[str, Decimal] = defaultdict(Decimal)
        revenue = ZERO
        for delivery in signed:
            unbilled[delivery.customer.number] += (
                delivery.net_amount + delivery.tax_amount - returned_gross[delivery.pk]
            )
            revenue += delivery.net_amount - returned_net[delivery.pk]
        for invoice in Invoice.objects.select_related("customer"):
            if invoice.red_reason in (RedReason.SERVICE_STOPPED, RedReason.ALLOWANCE):
                # An allowance takes revenue back; the delivery's unbilled part was billed.
                revenue += invoice.net_amount
            else:
                unbilled[invoice.customer.number] -= invoice.gross_amount
        unbilled_account = ledger_selectors.account_for_role(AccountRole.RECEIVABLE_UNBILLED)
        assert _by_customer(
            VoucherLine.objects.filter(account=unbilled_account).select_related("dimension")
        ) == {k: v for k, v in unbilled.items() if v}
        assert -balance(AccountRole.REVENUE) == revenue


@pytest.fixture
def game_parts(stock_books: Company, delivery_books: Company, clerk: Any) -> dict[str, Any]:  # noqa: F811
    return {
        "clerk": clerk,
        "products": [
            ProductFactory(),
            ProductFactory(),
            ProductFactory(kind=ProductKind.SERVICE),
        ],
        "warehouses": [WarehouseFactory(), WarehouseFactory()],
        "customers": [
            customer_with_dimension(invoice_tax_number=TAX_NUMBER),
            customer_with_dimension(invoice_tax_number=TAX_NUMBER),
        ],
    }


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    policy=st.sampled_from([RevenuePolicy.ON_DELIVERY, RevenuePolicy.ON_INVOICE]),
    ops=st.lists(operations, min_size=10, max_size=30),
)
def test_invoicing_invariants_hold_when_random_operations_run(game_parts, policy, ops):
    with transaction.atomic():
        Company.objects.update(revenue_policy=policy)
        game = Game(
            stock=stock_game.World(**game_parts),
            approver=UserFactory(role=Role.ACCOUNTANT),
            numbers=count(1),
        )
        for op in [*stock_game.PREAMBLE, *ops]:
            play(game, op)
        assert_invariants(policy)
        transaction.set_rollback(True)


@pytest.mark.parametrize("policy", [RevenuePolicy.ON_DELIVERY, RevenuePolicy.ON_INVOICE])
def test_invoicing_invariants_hold_along_a_busy_day(game_parts, policy):
    """A fixed sequence where every invoice goes through, so the property is seen to do work."""
    Company.objects.update(revenue_policy=policy)
    game = Game(
        stock=stock_game.World(**game_parts),
        approver=UserFactory(role=Role.ACCOUNTANT),
        numbers=count(1),
    )
    ops = [
        *stock_game.PREAMBLE,
        ("deliver", 0, 0, [2, 4, 4]),
        ("ship", 0, 1),
        ("invoice", 0, [2, 4, 4]),
        ("sign", 0, 1),
        ("deliver", 0, 0, [4, 0, 0]),
        ("ship", 0, 0),
        ("invoice", 0, [4, 4, 4]),
        ("return", 1, 1, [2, 0, 0]),
        ("red", 0, [2, 0, 0], RedReason.RETURN),
        ("red", 0, [0, 0, 0], RedReason.ERROR),
        ("red", 0, [4, 0, 0], RedReason.ALLOWANCE),
    ]
    for op in ops:
        play(game, op)
    assert dict(game.stock.refused) == {}
    assert Invoice.objects.filter(kind="blue").count() == 2
    assert Invoice.objects.filter(kind="red").count() == 3
    assert_invariants(policy)
