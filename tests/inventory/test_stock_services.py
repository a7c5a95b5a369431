"""The stock primitives every inventory document moves goods with."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.catalog.choices import ProductKind
from suanpan.inventory.choices import MoveKind
from suanpan.inventory.errors import InactiveWarehouse, NegativeStock, NotStocked
from suanpan.inventory.models import ProductCost, StockLevel, StockMove
from suanpan.inventory.services.stock import MoveInput, stock_moves_apply
from suanpan.users.models import User
from tests.factories import ProductFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 2)


def move(
    product, warehouse, quantity: str, value: str | None = None, ref: str = "T-1"
) -> MoveInput:  # type: ignore[no-untyped-def]
    return MoveInput(
        product=product,
        warehouse=warehouse,
        quantity=Decimal(quantity),
        value=None if value is None else Decimal(value),
        kind=MoveKind.RECEIPT if Decimal(quantity) > 0 else MoveKind.DELIVERY,
        moved_on=ON,
        source_type="tests.doc",
        source_id=ref,
        reference=ref,
    )


@pytest.fixture
def actor() -> User:
    return UserFactory()


def test_stock_moves_apply_values_goods_out_at_moving_average_when_bought_at_two_prices(
    actor: User,
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    stock_moves_apply(
        moves=[move(product, warehouse, "3", "30.00"), move(product, warehouse, "1", "11.00")],
        actor=actor,
    )

    [out] = stock_moves_apply(moves=[move(product, warehouse, "-1")], actor=actor)

    # 41.00 for 4 units: 10.25 each.
    assert out.value_amount == Decimal("-10.25")
    cost = ProductCost.objects.get(product=product)
    assert (cost.quantity, cost.value_amount) == (Decimal("3"), Decimal("30.75"))
    assert StockLevel.objects.get(product=product, warehouse=warehouse).quantity == Decimal("3")


def test_stock_moves_apply_takes_the_remaining_value_when_the_last_units_leave(actor: User) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    stock_moves_apply(moves=[move(product, warehouse, "3", "10.00")], actor=actor)

    first = stock_moves_apply(moves=[move(product, warehouse, "-1")], actor=actor)
    last = stock_moves_apply(moves=[move(product, warehouse, "-2")], actor=actor)

    assert first[0].value_amount == Decimal("-3.33")
    assert last[0].value_amount == Decimal("-6.67")
    cost = ProductCost.objects.get(product=product)
    assert (cost.quantity, cost.value_amount) == (0, 0)


def test_stock_moves_apply_refuses_negative_stock_naming_the_shortfall_when_short(
    actor: User,
) -> None:
    product, warehouse = ProductFactory(name="扫码枪"), WarehouseFactory(name="上海仓")
    stock_moves_apply(moves=[move(product, warehouse, "2", "20.00")], actor=actor)

    with pytest.raises(NegativeStock) as caught:
        stock_moves_apply(
            moves=[move(product, warehouse, "-1"), move(product, warehouse, "-1.5")], actor=actor
        )

    assert "扫码枪" in caught.value.message and "上海仓" in caught.value.message
    assert "0.5" in caught.value.message
    # All or nothing: the first move of the refused call is not kept.
    assert StockMove.objects.filter(product=product).count() == 1
    assert StockLevel.objects.get(product=product, warehouse=warehouse).quantity == 2


def test_stock_moves_apply_keeps_warehouses_apart_when_another_holds_the_goods(actor: User) -> None:
    product = ProductFactory()
    north, south = WarehouseFactory(), WarehouseFactory()
    stock_moves_apply(moves=[move(product, north, "5", "50.00")], actor=actor)

    with pytest.raises(NegativeStock):
        stock_moves_apply(moves=[move(product, south, "-1")], actor=actor)


def test_stock_moves_apply_comes_in_at_standard_cost_when_no_value_and_none_on_hand(
    actor: User,
) -> None:
    product, warehouse = ProductFactory(standard_cost=Decimal("7.125")), WarehouseFactory()

    [row] = stock_moves_apply(moves=[move(product, warehouse, "2")], actor=actor)

    assert row.value_amount == Decimal("14.25")


def test_stock_moves_apply_refuses_services_and_inactive_warehouses_when_asked(
    actor: User,
) -> None:
    service = ProductFactory(kind=ProductKind.SERVICE)
    goods = ProductFactory()
    closed = WarehouseFactory(is_active=False)

    with pytest.raises(NotStocked):
        stock_moves_apply(moves=[move(service, WarehouseFactory(), "1", "1.00")], actor=actor)
    with pytest.raises(InactiveWarehouse):
        stock_moves_apply(moves=[move(goods, closed, "1", "1.00")], actor=actor)
