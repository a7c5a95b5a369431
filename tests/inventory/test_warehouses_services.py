"""Warehouses: codes unique, deactivation refused while they hold stock."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.core.errors import PermissionDeniedError, ValidationFailed
from suanpan.inventory.choices import MoveKind
from suanpan.inventory.errors import WarehouseCodeTaken, WarehouseNotEmpty
from suanpan.inventory.services.stock import MoveInput, stock_moves_apply
from suanpan.inventory.services.warehouses import (
    warehouse_create,
    warehouse_deactivate,
    warehouse_reactivate,
    warehouse_update,
)
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ProductFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


def stock_in(actor: User, warehouse, product, quantity: str) -> None:  # type: ignore[no-untyped-def]
    stock_moves_apply(
        moves=[
            MoveInput(
                product=product,
                warehouse=warehouse,
                quantity=Decimal(quantity),
                value=Decimal("1"),
                kind=MoveKind.RECEIPT,
                moved_on=date(2026, 11, 2),
                source_type="tests.doc",
                source_id="1",
                reference="RK-1",
            )
        ],
        actor=actor,
    )


def test_warehouse_create_upper_cases_the_code_and_refuses_a_taken_one(storekeeper: User) -> None:
    warehouse = warehouse_create(actor=storekeeper, data={"code": " bj01 ", "name": "北京仓"})
    assert (warehouse.code, warehouse.is_active) == ("BJ01", True)

    with pytest.raises(WarehouseCodeTaken) as caught:
        warehouse_create(actor=storekeeper, data={"code": "BJ01", "name": "另一个"})
    assert "BJ01" in caught.value.fields["code"][0]

    with pytest.raises(ValidationFailed) as caught:
        warehouse_create(actor=storekeeper, data={"code": "", "name": ""})
    assert set(caught.value.fields) == {"code", "name"}


def test_warehouse_update_keeps_its_own_code(storekeeper: User) -> None:
    warehouse = WarehouseFactory(code="SH01")

    warehouse = warehouse_update(
        actor=storekeeper,
        warehouse=warehouse,
        data={"code": "SH01", "name": "上海仓", "address": "浦东"},
    )

    assert (warehouse.name, warehouse.address) == ("上海仓", "浦东")
    assert warehouse.history.first().history_user == storekeeper


def test_warehouse_create_refused_for_sales(db: None) -> None:
    with pytest.raises(PermissionDeniedError):
        warehouse_create(actor=UserFactory(role=Role.SALES), data={"code": "X", "name": "X"})


def test_warehouse_deactivate_refused_saying_how_much_stock_it_holds(storekeeper: User) -> None:
    warehouse = WarehouseFactory(name="广州仓")
    stock_in(storekeeper, warehouse, ProductFactory(), "2.5")
    stock_in(storekeeper, warehouse, ProductFactory(), "3")

    with pytest.raises(WarehouseNotEmpty) as caught:
        warehouse_deactivate(actor=storekeeper, warehouse=warehouse)

    assert "广州仓" in caught.value.message
    assert "5.5" in caught.value.message and "2" in caught.value.message
    warehouse.refresh_from_db()
    assert warehouse.is_active


def test_warehouse_deactivate_and_reactivate_when_empty(storekeeper: User) -> None:
    warehouse = WarehouseFactory()

    assert not warehouse_deactivate(actor=storekeeper, warehouse=warehouse).is_active
    assert warehouse_reactivate(actor=storekeeper, warehouse=warehouse).is_active
