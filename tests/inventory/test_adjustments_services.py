"""Stock adjustments (盘盈/盘亏) and the invariant that the inventory account equals stock value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suanpan.core.errors import DomainError, ValidationFailed
from suanpan.inventory.choices import MoveKind, StockDocumentStatus
from suanpan.inventory.errors import DocumentNotInStatus, NegativeStock
from suanpan.inventory.models import ProductCost, StockAdjustment, StockLevel, StockMove
from suanpan.inventory.services.adjustments import (
    AdjustmentLineInput,
    adjustment_cancel,
    adjustment_create,
    adjustment_post,
    adjustment_update,
)
from suanpan.inventory.services.receipts import (
    ReceiptLineInput,
    receipt_cancel,
    receipt_create,
    receipt_post,
)
from suanpan.ledger.models import Company, Voucher, VoucherLine
from suanpan.users.models import User
from tests.factories import ProductFactory, WarehouseFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 2)


def balance(code: str) -> Decimal:
    sums = VoucherLine.objects.filter(account__code=code).aggregate(
        d=Sum("debit_amount"), c=Sum("credit_amount")
    )
    return (sums["d"] or Decimal(0)) - (sums["c"] or Decimal(0))


def adjust(actor: User, warehouse, *lines) -> StockAdjustment:  # type: ignore[no-untyped-def]
    return adjustment_create(
        actor=actor,
        data={"warehouse": warehouse, "adjusted_on": ON, "reason": "月末盘点"},
        lines=[
            AdjustmentLineInput(p, Decimal(q), None if c is None else Decimal(c))
            for p, q, c in lines
        ],
    )


def receive(actor: User, warehouse, product, quantity: str, cost: str) -> None:  # type: ignore[no-untyped-def]
    receipt = receipt_create(
        actor=actor,
        data={"warehouse": warehouse, "received_on": ON},
        lines=[ReceiptLineInput(product, Decimal(quantity), Decimal(cost))],
    )
    receipt_post(actor=actor, receipt=receipt)


def test_adjustment_create_numbers_drafts_and_refuses_a_cost_on_a_loss(storekeeper: User) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()

    first = adjust(storekeeper, warehouse, (product, "2", "5"))
    assert first.number == "TZ-202611-0001" and first.status == StockDocumentStatus.DRAFT

    with pytest.raises(ValidationFailed) as caught:
        adjust(storekeeper, warehouse, (product, "-1", "5"), (product, "0", None))
    assert set(caught.value.fields) == {"lines.0.unit_cost", "lines.1.quantity"}


def test_adjustment_post_books_gains_and_losses_against_stock_adjustment(
    storekeeper: User, stock_books: Company
) -> None:
    lost, found, warehouse = ProductFactory(), ProductFactory(), WarehouseFactory()
    receive(storekeeper, warehouse, lost, "4", "10")
    adjustment = adjust(storekeeper, warehouse, (lost, "-1", None), (found, "2", "3.5"))

    adjustment_post(actor=storekeeper, adjustment=adjustment)

    assert list(adjustment.lines.values_list("value_amount", flat=True)) == [
        Decimal("-10.00"),
        Decimal("7.00"),
    ]
    assert StockLevel.objects.get(product=lost, warehouse=warehouse).quantity == Decimal("3")
    assert StockLevel.objects.get(product=found, warehouse=warehouse).quantity == Decimal("2")
    assert StockMove.objects.filter(kind=MoveKind.ADJUSTMENT).count() == 2
    voucher = Voucher.objects.get(source_type="inventory.stockadjustment")
    assert adjustment.number in voucher.summary
    assert balance("1405") == Decimal("37.00")  # 40 − 10 + 7
    assert balance("1901") == Decimal("3.00")  # loss 10 debit, gain 7 credit


def test_adjustment_post_brings_a_gain_without_cost_in_at_the_moving_average(
    storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(standard_cost=Decimal("60")), WarehouseFactory()
    receive(storekeeper, warehouse, product, "3", "12")

    adjustment_post(
        actor=storekeeper, adjustment=adjust(storekeeper, warehouse, (product, "1", None))
    )

    assert ProductCost.objects.get(product=product).value_amount == Decimal("48.00")


def test_adjustment_post_brings_a_gain_in_at_standard_cost_when_none_on_hand(
    storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(standard_cost=Decimal("60")), WarehouseFactory()

    adjustment_post(
        actor=storekeeper, adjustment=adjust(storekeeper, warehouse, (product, "2", None))
    )

    assert ProductCost.objects.get(product=product).value_amount == Decimal("120.00")


def test_adjustment_post_refuses_a_loss_beyond_stock_and_writes_nothing(
    storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    receive(storekeeper, warehouse, product, "1", "10")
    adjustment = adjust(storekeeper, warehouse, (product, "-2", None))

    with pytest.raises(NegativeStock):
        adjustment_post(actor=storekeeper, adjustment=adjustment)

    adjustment.refresh_from_db()
    assert adjustment.status == StockDocumentStatus.DRAFT
    assert not StockMove.objects.filter(kind=MoveKind.ADJUSTMENT).exists()
    assert Voucher.objects.count() == 1


def test_adjustment_cancel_only_for_drafts(storekeeper: User, stock_books: Company) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    draft = adjust(storekeeper, warehouse, (product, "1", "1"))
    assert (
        adjustment_cancel(actor=storekeeper, adjustment=draft).status
        == StockDocumentStatus.CANCELLED
    )

    posted = adjustment_post(
        actor=storekeeper, adjustment=adjust(storekeeper, warehouse, (product, "1", "1"))
    )
    with pytest.raises(DocumentNotInStatus):
        adjustment_cancel(actor=storekeeper, adjustment=posted)
    with pytest.raises(DocumentNotInStatus):
        adjustment_update(actor=storekeeper, adjustment=posted, data={}, lines=[])


# One step of a random history: receive, adjust up or down, or cancel an earlier receipt;
# (action, product, warehouse, quantity, unit cost).
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("receive"),
            st.integers(0, 2),
            st.integers(0, 1),
            st.integers(1, 9),
            st.decimals("0", "99.99", places=2),
        ),
        st.tuples(
            st.just("adjust"),
            st.integers(0, 2),
            st.integers(0, 1),
            st.integers(-5, 5).filter(bool),
            st.one_of(st.none(), st.decimals("0", "50", places=2)),
        ),
        st.tuples(st.just("cancel"), st.integers(0, 20), st.just(0), st.just(0), st.just(None)),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=steps)
def test_inventory_account_equals_stock_value_after_any_history(
    storekeeper: User, stock_books: Company, history: list
) -> None:
    # The database is shared by all examples of one test run: fresh products each time, and
    # the invariant checked over everything posted so far.
    products = [ProductFactory(standard_cost=Decimal("7.77")) for _ in range(3)]
    warehouses = [WarehouseFactory(), WarehouseFactory()]
    receipts = []
    for action, index, place, quantity, cost in history:
        warehouse = warehouses[place]
        try:
            if action == "receive":
                receipt = receipt_create(
                    actor=storekeeper,
                    data={"warehouse": warehouse, "received_on": ON},
                    lines=[ReceiptLineInput(products[index], Decimal(quantity), cost)],
                )
                receipts.append(receipt_post(actor=storekeeper, receipt=receipt))
            elif action == "adjust":
                adjustment_post(
                    actor=storekeeper,
                    adjustment=adjust(storekeeper, warehouse, (products[index], quantity, cost)),
                )
            elif receipts:
                receipt_cancel(actor=storekeeper, receipt=receipts[index % len(receipts)])
        except DomainError:
            pass  # refused (no stock, already cancelled): must leave no trace either way

    stock_value = ProductCost.objects.aggregate(v=Sum("value_amount"))["v"] or Decimal(0)
    assert balance("1405") == stock_value
    for voucher in Voucher.objects.prefetch_related("lines"):
        lines = list(voucher.lines.all())
        assert sum(x.debit_amount for x in lines) == sum(x.credit_amount for x in lines)
