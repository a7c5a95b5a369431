"""Stock on hand and the stock ledger: values, totals, running balances, query counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from suanpan.inventory.choices import MoveKind
from suanpan.inventory.selectors.stock import (
    stock_ledger,
    stock_list,
    stock_moves,
    stock_rows_value,
    stock_totals,
)
from suanpan.inventory.services.stock import MoveInput, stock_moves_apply
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ProductFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


def move(
    actor: User, product, warehouse, quantity: str, value: str | None, on: date, ref: str = "RK-1"
):  # type: ignore[no-untyped-def]
    return stock_moves_apply(
        moves=[
            MoveInput(
                product=product,
                warehouse=warehouse,
                quantity=Decimal(quantity),
                value=None if value is None else Decimal(value),
                kind=MoveKind.RECEIPT if Decimal(quantity) > 0 else MoveKind.ADJUSTMENT,
                moved_on=on,
                source_type="inventory.goodsreceipt",
                source_id="1",
                reference=ref,
            )
        ],
        actor=actor,
    )


@pytest.fixture
def reader(db: None) -> User:
    return UserFactory(role=Role.SALES)


def test_stock_list_values_rows_at_moving_average_and_totals_them(reader: User) -> None:
    a, b = ProductFactory(code="A-1"), ProductFactory(code="B-1")
    north, south = WarehouseFactory(code="N"), WarehouseFactory(code="S")
    move(reader, a, north, "1", "10.00", date(2026, 11, 1))
    move(reader, a, south, "2", "21.00", date(2026, 11, 1))  # 31.00 for 3: 10.3333 each
    move(reader, b, north, "5", "50.00", date(2026, 11, 1))

    queryset, _filter = stock_list(user=reader, filters={})
    rows = stock_rows_value(queryset)

    assert [(r.product.code, r.warehouse.code, r.quantity) for r in rows] == [
        ("A-1", "N", Decimal("1")),
        ("A-1", "S", Decimal("2")),
        ("B-1", "N", Decimal("5")),
    ]
    assert [r.unit_cost for r in rows] == [Decimal("10.3333"), Decimal("10.3333"), Decimal("10")]
    assert [r.value_amount for r in rows] == [Decimal("10.33"), Decimal("20.67"), Decimal("50.00")]
    totals = stock_totals(queryset)
    assert (totals.quantity, totals.value_amount, totals.rows) == (
        Decimal("8"),
        Decimal("81.00"),
        3,
    )


def test_stock_list_filters_search_warehouse_nonzero_and_sorts_by_value(reader: User) -> None:
    cheap, dear = ProductFactory(name="螺丝"), ProductFactory(name="显示器")
    gone = ProductFactory(name="键盘")
    north, south = WarehouseFactory(), WarehouseFactory()
    move(reader, cheap, north, "100", "10.00", date(2026, 11, 1))
    move(reader, dear, north, "1", "900.00", date(2026, 11, 1))
    move(reader, dear, south, "1", "900.00", date(2026, 11, 1))
    move(reader, gone, north, "1", "1.00", date(2026, 11, 1))
    move(reader, gone, north, "-1", None, date(2026, 11, 2))

    by_value, _f = stock_list(user=reader, filters={"ordering": "-value", "warehouse": north.pk})
    assert [r.product.name for r in by_value] == ["显示器", "螺丝", "键盘"]
    nonzero, _f = stock_list(user=reader, filters={"nonzero": "true", "warehouse": north.pk})
    assert {r.product.name for r in nonzero} == {"螺丝", "显示器"}
    found, _f = stock_list(user=reader, filters={"q": "显示"})
    assert {r.warehouse for r in found} == {north, south}


def test_stock_list_is_empty_for_users_without_stock_permission(db: None) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    user = UserFactory(role=None)
    move(user, product, warehouse, "1", "1", date(2026, 11, 1))

    assert not stock_list(user=user, filters={})[0].exists()
    with pytest.raises(Http404):
        stock_ledger(user=user, product_pk=product.pk)


def test_stock_ledger_running_balances_start_from_the_opening_balance(reader: User) -> None:
    product, north, south = ProductFactory(), WarehouseFactory(), WarehouseFactory()
    move(reader, product, north, "10", "100.00", date(2026, 10, 5), "RK-A")
    move(reader, product, south, "5", "60.00", date(2026, 10, 20), "RK-B")
    move(reader, product, north, "-4", None, date(2026, 11, 3), "TZ-A")  # 160/15 × 4 = 42.67
    move(reader, product, north, "2", "30.00", date(2026, 11, 9), "RK-C")
    move(reader, product, north, "1", "1.00", date(2026, 12, 1), "RK-D")

    ledger = stock_ledger(
        user=reader,
        product_pk=product.pk,
        filters={"date_from": "2026-11-01", "date_to": "2026-11-30"},
    )
    rows = ledger.with_balances(ledger.moves)

    assert (ledger.opening_quantity, ledger.opening_value) == (Decimal("15"), Decimal("160.00"))
    assert [(m.reference, m.balance_quantity, m.balance_value) for m in rows] == [
        ("TZ-A", Decimal("11"), Decimal("117.33")),
        ("RK-C", Decimal("13"), Decimal("147.33")),
    ]
    assert (ledger.closing_quantity, ledger.closing_value) == (Decimal("13"), Decimal("147.33"))

    north_only = stock_ledger(
        user=reader,
        product_pk=product.pk,
        filters={"warehouse": north.pk, "date_from": "2026-11-01"},
    )
    assert north_only.opening_quantity == Decimal("10")
    assert [m.balance_quantity for m in north_only.with_balances(north_only.moves)] == [
        Decimal("6"),
        Decimal("8"),
        Decimal("9"),
    ]


def test_stock_ledger_page_costs_the_same_queries_whatever_the_history(
    reader: User, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    product, warehouse = ProductFactory(), WarehouseFactory()
    reader.has_perm("inventory.view_stocklevel")  # permissions are read once per user

    def read() -> None:
        ledger = stock_ledger(
            user=reader, product_pk=product.pk, filters={"date_from": "2026-11-02"}
        )
        ledger.with_balances(ledger.moves[:50])

    for day in (1, 2):
        move(reader, product, warehouse, "1", "1", date(2026, 11, day))
    with django_assert_num_queries(4):  # product, opening, range sums, page
        read()
    for day in range(1, 29):
        move(reader, product, warehouse, "1", "1", date(2026, 11, day))
    with django_assert_num_queries(4):
        read()


def test_stock_moves_filters_by_product_and_warehouse(reader: User) -> None:
    a, b, north = ProductFactory(), ProductFactory(), WarehouseFactory()
    move(reader, a, north, "1", "1", date(2026, 11, 1))
    move(reader, b, north, "1", "1", date(2026, 11, 1))

    moves, _f = stock_moves(user=reader, filters={"product": a.pk, "warehouse": north.pk})

    assert [m.product for m in moves] == [a]


def test_stock_totals_in_sql_equal_the_rows_shown_also_at_half_fen_shares(reader: User) -> None:
    from suanpan.inventory.selectors.stock import _stock_totals_python

    product, north, south = ProductFactory(), WarehouseFactory(), WarehouseFactory()
    move(reader, product, north, "1", "0.03", date(2026, 11, 1))
    move(reader, product, south, "1", "0", date(2026, 11, 1))  # 0.03 for 2: 1.5 fen a unit
    whole = ProductFactory()
    move(reader, whole, north, "3", "10.00", date(2026, 11, 1))

    queryset, _f = stock_list(user=reader, filters={})
    totals = stock_totals(queryset)

    shown = sum(r.value_amount for r in stock_rows_value(queryset))
    assert totals.value_amount == shown == Decimal("10.04")  # 0.02 + 0.02 + 10.00
    assert totals == _stock_totals_python(queryset)


def test_stock_totals_stay_exact_beyond_64_bit_products(reader: User) -> None:
    product, north, south = ProductFactory(), WarehouseFactory(), WarehouseFactory()
    move(reader, product, north, "1000000", "90000000.00", date(2026, 11, 1))
    move(reader, product, south, "2000000", "90000000.01", date(2026, 11, 1))

    queryset, _f = stock_list(user=reader, filters={"warehouse": north.pk})

    # 180,000,000.01 × 1,000,000 ÷ 3,000,000 = 60,000,000.003… → 60,000,000.00
    assert stock_totals(queryset).value_amount == Decimal("60000000.00")
