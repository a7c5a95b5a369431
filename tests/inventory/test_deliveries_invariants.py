"""Property tests: random goods receipts, orders, deliveries, signings, cancellations and returns
never break the invariants of stock, orders and the ledger, under either revenue policy.

Each example runs in a transaction that is rolled back, so every example starts from the same
books, products, warehouses and customers. Refused operations (not enough stock, more than
remains on the order, a document in the wrong state) are part of the game: they must leave
nothing behind.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suanpan.catalog.choices import ProductKind
from suanpan.core.errors import DomainError
from suanpan.inventory.choices import DeliveryStatus
from suanpan.inventory.models import (
    Delivery,
    DeliveryLine,
    DeliveryReturn,
    ProductCost,
    StockLevel,
    StockMove,
)
from suanpan.inventory.services.deliveries import (
    DeliveryLineInput,
    delivery_cancel,
    delivery_create,
    delivery_ship,
    delivery_sign,
)
from suanpan.inventory.services.receipts import ReceiptLineInput, receipt_create, receipt_post
from suanpan.inventory.services.returns import ReturnLineInput, return_create
from suanpan.ledger import selectors as ledger_selectors
from suanpan.ledger.choices import AccountRole, RevenuePolicy
from suanpan.ledger.models import Company, Period, Voucher, VoucherLine
from suanpan.sales.models import SalesOrderLine
from tests.factories import ProductFactory, WarehouseFactory, order_build
from tests.inventory.deliveries_support import balance, customer_with_dimension

pytestmark = pytest.mark.django_db

D = Decimal
ZERO = D(0)
DAY_ONE = date(2026, 11, 1)

pick = st.integers(min_value=0, max_value=10_000)  # an index into whatever exists, modulo
quantity = st.integers(min_value=1, max_value=6)
later = st.integers(min_value=0, max_value=4)

operations = st.one_of(
    st.tuples(st.just("receive"), pick, pick, quantity, st.integers(1, 30_000)),
    st.tuples(
        st.just("order"),
        pick,
        st.booleans(),
        st.lists(st.tuples(pick, quantity, st.integers(1, 50_000)), min_size=1, max_size=3),
    ),
    # per line: the share of what remains to deliver, in quarters (0 leaves it out)
    st.tuples(st.just("deliver"), pick, pick, st.lists(st.integers(0, 4), min_size=3, max_size=3)),
    st.tuples(st.just("ship"), pick, later),
    st.tuples(st.just("sign"), pick, later),
    st.tuples(st.just("cancel"), pick),
    st.tuples(st.just("return"), pick, later, st.lists(st.integers(0, 4), min_size=3, max_size=3)),
)


# Every example starts with some stock and two orders, so that its operations mostly act.
PREAMBLE = [
    ("receive", 0, 0, 10, 4_250),
    ("receive", 1, 0, 8, 9_999),
    ("receive", 0, 1, 10, 4_377),
    ("receive", 1, 1, 8, 10_001),
    ("order", 0, True, [(0, 4, 11_300), (1, 3, 3_333), (2, 1, 10_600)]),
    ("order", 1, False, [(1, 2, 99_999), (0, 5, 1)]),
]

# Weighted towards the delivery operations, which need documents to act on.
operations = st.one_of(
    operations,
    st.tuples(st.just("deliver"), pick, pick, st.lists(st.integers(0, 4), min_size=3, max_size=3)),
    st.tuples(st.just("ship"), pick, later),
    st.tuples(st.just("sign"), pick, later),
    st.tuples(st.just("return"), pick, later, st.lists(st.integers(0, 4), min_size=3, max_size=3)),
)


@dataclass
class World:
    clerk: Any
    products: list[Any]
    warehouses: list[Any]
    customers: list[Any]
    orders: list[Any] = field(default_factory=list)
    clock: date = DAY_ONE
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _nth(items: list[Any], index: int) -> Any:
    return items[index % len(items)] if items else None


def _share(amount: Decimal, quarters: int) -> Decimal:
    """`quarters`/4 of an amount, at least one unit when anything at all is asked for."""
    if quarters == 0 or amount <= 0:
        return ZERO
    return max(D(1), (amount * quarters / 4).quantize(D(1))) if amount >= 1 else amount


def apply(world: World, op: tuple[Any, ...]) -> None:
    kind, *args = op
    clerk = world.clerk
    world.clock = min(world.clock + timedelta(days=1), date(2026, 11, 28))
    try:
        with transaction.atomic():
            if kind == "receive":
                product_i, warehouse_i, qty, fen = args
                goods = [p for p in world.products if p.kind == ProductKind.GOODS]
                receipt = receipt_create(
                    actor=clerk,
                    data={"warehouse": _nth(world.warehouses, warehouse_i), "received_on": DAY_ONE},
                    lines=[
                        ReceiptLineInput(
                            product=_nth(goods, product_i),
                            quantity=D(qty),
                            unit_cost=D(fen) / 100,
                        )
                    ],
                )
                receipt_post(actor=clerk, receipt=receipt)
            elif kind == "order":
                customer_i, includes_tax, lines = args
                world.orders.append(
                    order_build(
                        customer=_nth(world.customers, customer_i),
                        lines=[
                            (_nth(world.products, p), D(q), D(fen) / 100) for p, q, fen in lines
                        ],
                        price_includes_tax=includes_tax,
                    )
                )
            elif kind == "deliver":
                order_i, warehouse_i, quarters = args
                order = _nth(world.orders, order_i)
                if order is None:
                    return
                lines = [
                    DeliveryLineInput(order_line_id=line.pk, quantity=_share(line.open_quantity, q))
                    for line, q in zip(order.lines.order_by("position"), quarters, strict=False)
                    if _share(line.open_quantity, q) > 0
                ]
                delivery_create(
                    order=order,
                    warehouse=_nth(world.warehouses, warehouse_i),
                    actor=clerk,
                    lines=lines,
                )
            elif kind == "ship":
                delivery = _nth(
                    list(Delivery.objects.filter(status="draft").order_by("pk")), args[0]
                )
                if delivery is not None:
                    delivery_ship(delivery=delivery, shipped_on=world.clock, actor=clerk)
            elif kind == "sign":
                delivery = _nth(
                    list(Delivery.objects.filter(status="shipped").order_by("pk")), args[0]
                )
                if delivery is not None:
                    on = delivery.shipped_on + timedelta(days=args[1])
                    delivery_sign(delivery=delivery, signed_on=on, actor=clerk)
            elif kind == "cancel":
                delivery = _nth(list(Delivery.objects.order_by("pk")), args[0])
                if delivery is not None:
                    delivery_cancel(delivery=delivery, actor=clerk, on=world.clock)
            elif kind == "return":
                delivery_i, days, quarters = args
                delivery = _nth(
                    list(Delivery.objects.filter(status__in=["shipped", "signed"]).order_by("pk")),
                    delivery_i,
                )
                if delivery is None:
                    return
                lines = [
                    ReturnLineInput(
                        delivery_line_id=line.pk,
                        quantity=_share(line.quantity - line.returned_quantity, q),
                    )
                    for line, q in zip(delivery.lines.order_by("pk"), quarters, strict=False)
                    if _share(line.quantity - line.returned_quantity, q) > 0
                ]
                return_create(
                    delivery=delivery,
                    lines=lines,
                    reason="随机退货",
                    returned_on=delivery.shipped_on + timedelta(days=days),
                    actor=clerk,
                )
    except DomainError as exc:
        world.refused[exc.code] += 1


def _sum(rows: Any, name: str) -> Decimal:
    return sum((getattr(row, name) for row in rows), ZERO)


def assert_invariants(policy: str) -> None:
    # Every voucher balances; the trial balance nets to zero.
    for voucher in Voucher.objects.prefetch_related("lines"):
        lines = list(voucher.lines.all())
        assert _sum(lines, "debit_amount") == _sum(lines, "credit_amount"), voucher
    periods = list(Period.objects.order_by("year", "month"))
    if periods:
        tb = ledger_selectors.trial_balance(period_from=periods[0], period_to=periods[-1])
        assert tb.closing_debit == tb.closing_credit
        assert tb.period_debit == tb.period_credit

    # Stock levels are the sums of the moves, and never negative; costs likewise.
    moves = list(StockMove.objects.all())
    by_place: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    by_product: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for move in moves:
        by_place[(move.product_id, move.warehouse_id)] += move.quantity
        by_product[move.product_id][0] += move.quantity
        by_product[move.product_id][1] += move.value_amount
    for level in StockLevel.objects.all():
        assert level.quantity >= 0
        assert level.quantity == by_place[(level.product_id, level.warehouse_id)]
    for cost in ProductCost.objects.all():
        assert [cost.quantity, cost.value_amount] == by_product[cost.product_id]
        assert cost.value_amount >= 0
    stock_value = _sum(ProductCost.objects.all(), "value_amount")
    assert balance(AccountRole.INVENTORY) == stock_value

    # Goods out and not yet recognised wait on goods shipped, net of returns.
    returned_cost: dict[int, Decimal] = defaultdict(Decimal)
    returned_gross: dict[int, Decimal] = defaultdict(Decimal)
    returned_net: dict[int, Decimal] = defaultdict(Decimal)
    for ret in DeliveryReturn.objects.all():
        returned_cost[ret.delivery_id] += ret.cost_amount
        returned_gross[ret.delivery_id] += ret.net_amount + ret.tax_amount
        returned_net[ret.delivery_id] += ret.net_amount
    waiting = (
        [DeliveryStatus.SHIPPED]
        if policy == RevenuePolicy.ON_DELIVERY
        else [DeliveryStatus.SHIPPED, DeliveryStatus.SIGNED]
    )
    out = Delivery.objects.filter(status__in=waiting)
    assert balance(AccountRole.GOODS_SHIPPED) == sum(
        (d.cost_amount - returned_cost[d.pk] for d in out), ZERO
    )

    # Orders: shipped is what was delivered less what came back, within what was ordered.
    delivered: dict[int, Decimal] = defaultdict(Decimal)
    for line in DeliveryLine.objects.filter(
        delivery__status__in=[DeliveryStatus.SHIPPED, DeliveryStatus.SIGNED]
    ):
        delivered[line.order_line_id] += line.quantity - line.returned_quantity
    carried: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for line in DeliveryLine.objects.filter(
        delivery__status__in=[DeliveryStatus.SHIPPED, DeliveryStatus.SIGNED]
    ).prefetch_related("return_lines"):
        carried[line.order_line_id][0] += line.net_amount - _sum(
            line.return_lines.all(), "net_amount"
        )
        carried[line.order_line_id][1] += line.tax_amount - _sum(
            line.return_lines.all(), "tax_amount"
        )
    for order_line in SalesOrderLine.objects.all():
        assert 0 <= order_line.shipped_quantity <= order_line.quantity
        assert order_line.shipped_quantity == delivered[order_line.pk]
        if order_line.shipped_quantity == order_line.quantity:
            # All of it out: its deliveries, net of returns, carry exactly its amounts.
            assert carried[order_line.pk] == [order_line.net_amount, order_line.tax_amount]

    # Receivable not yet invoiced, per customer: the gross of signed deliveries net of returns.
    signed = Delivery.objects.filter(status=DeliveryStatus.SIGNED).select_related("customer")
    expected: dict[str, Decimal] = defaultdict(Decimal)
    revenue = ZERO
    if policy == RevenuePolicy.ON_DELIVERY:
        for d in signed:
            expected[d.customer.number] += d.net_amount + d.tax_amount - returned_gross[d.pk]
            revenue += d.net_amount - returned_net[d.pk]
    unbilled = ledger_selectors.account_for_role(AccountRole.RECEIVABLE_UNBILLED)
    actual: dict[str, Decimal] = defaultdict(Decimal)
    for line in VoucherLine.objects.filter(account=unbilled).select_related("dimension"):
        actual[line.dimension.code] += line.debit_amount - line.credit_amount
    assert {k: v for k, v in actual.items() if v} == {k: v for k, v in expected.items() if v}
    assert -balance(AccountRole.REVENUE) == revenue
    # Nothing a refused operation started was left behind.
    assert not Voucher.objects.filter(
        Q(source_type="inventory.delivery") & ~Q(source_id__in=_ids(Delivery))
    ).exists()


def _ids(model: Any) -> list[str]:
    return [str(pk) for pk in model.objects.values_list("pk", flat=True)]


@pytest.fixture
def world_parts(stock_books: Company, delivery_books: Company, clerk: Any) -> dict[str, Any]:
    return {
        "clerk": clerk,
        "products": [
            ProductFactory(),
            ProductFactory(),
            ProductFactory(kind=ProductKind.SERVICE),
        ],
        "warehouses": [WarehouseFactory(), WarehouseFactory()],
        "customers": [customer_with_dimension(), customer_with_dimension()],
    }


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    policy=st.sampled_from([RevenuePolicy.ON_DELIVERY, RevenuePolicy.ON_INVOICE]),
    ops=st.lists(operations, min_size=10, max_size=30),
)
def test_delivery_invariants_hold_when_random_operations_run(world_parts, policy, ops):
    with transaction.atomic():
        Company.objects.update(revenue_policy=policy)
        world = World(**world_parts)
        for op in [*PREAMBLE, *ops]:
            apply(world, op)
        assert_invariants(policy)
        transaction.set_rollback(True)  # the next example starts from the same books


def test_delivery_invariants_hold_along_a_busy_day(world_parts):
    """A fixed sequence touching every operation, so the property is seen to do work."""
    ops = [
        ("receive", 0, 0, 6, 1000),
        ("receive", 1, 0, 3, 3333),
        ("order", 0, True, [(0, 5, 11300), (1, 3, 3333), (2, 1, 10600)]),
        ("deliver", 0, 0, [2, 4, 4]),
        ("ship", 0, 1),
        ("deliver", 0, 0, [4, 0, 0]),
        ("ship", 0, 0),
        ("sign", 1, 2),  # the second delivery
        ("return", 0, 1, [2, 4, 0]),  # part of the first, still on its way
        ("cancel", 0),  # the rest of the first comes back
        ("return", 0, 3, [4, 4, 4]),  # all of the second, signed for
    ]
    world = World(**world_parts)
    for op in ops:
        apply(world, op)

    assert dict(world.refused) == {}
    assert_invariants(RevenuePolicy.ON_DELIVERY)
    assert Delivery.objects.filter(status=DeliveryStatus.CANCELLED).count() == 1
    assert DeliveryReturn.objects.count() == 2
    assert Voucher.objects.filter(source_type="inventory.deliveryreturn").count() == 2
