"""Warehouses: create, change, deactivate (only once empty) and reactivate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import ValidationFailed
from suanpan.core.locks import for_update
from suanpan.inventory.errors import InactiveWarehouse, WarehouseCodeTaken, WarehouseNotEmpty
from suanpan.inventory.models import StockLevel, Warehouse
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

WAREHOUSE_FIELDS = ("code", "name", "address")


def warehouse_active_require(warehouse: Warehouse) -> None:
    """Goods move only through an active warehouse (InactiveWarehouse on the warehouse field)."""
    if not warehouse.is_active:
        raise InactiveWarehouse(
            fields={
                "warehouse": [
                    _("Warehouse %(warehouse)s is inactive.") % {"warehouse": warehouse.name}
                ]
            },
            warehouse=warehouse.name,
        )


def _assign(warehouse: Warehouse, data: Mapping[str, Any]) -> None:
    for name in WAREHOUSE_FIELDS:
        if name in data:
            value = data[name]
            setattr(warehouse, name, value.strip() if isinstance(value, str) else value)
    warehouse.code = warehouse.code.upper()
    errors: dict[str, list[str]] = {}
    if not warehouse.code:
        errors["code"] = [str(Warehouse._meta.get_field("code").error_messages["blank"])]
    if not warehouse.name:
        errors["name"] = [str(Warehouse._meta.get_field("name").error_messages["blank"])]
    if errors:
        raise ValidationFailed(fields=errors)
    taken = Warehouse.objects.filter(code=warehouse.code).exclude(pk=warehouse.pk).exists()
    if taken:
        error = WarehouseCodeTaken(code=warehouse.code)
        raise WarehouseCodeTaken(fields={"code": [error.message]}, code=warehouse.code)


@audited
@transaction.atomic
def warehouse_create(*, actor: User, data: Mapping[str, Any]) -> Warehouse:
    """A new active warehouse; codes are unique, upper case."""
    permission_require(actor, "inventory.add_warehouse")
    warehouse = Warehouse(is_active=True)
    _assign(warehouse, data)
    warehouse.save()
    return warehouse


@audited
@transaction.atomic
def warehouse_update(*, actor: User, warehouse: Warehouse, data: Mapping[str, Any]) -> Warehouse:
    permission_require(actor, "inventory.change_warehouse")
    warehouse = for_update(Warehouse.objects.all()).get(pk=warehouse.pk)
    _assign(warehouse, data)
    warehouse.save()
    return warehouse


@audited
@transaction.atomic
def warehouse_deactivate(*, actor: User, warehouse: Warehouse) -> Warehouse:
    """Take a warehouse out of use; refused while it holds any stock (the error says how much).

    Its stock levels are locked before they are read, the same rows `stock_moves_apply`
    locks, so goods moving in at the same moment are either counted here or wait for this.
    """
    permission_require(actor, "inventory.change_warehouse")
    warehouse = for_update(Warehouse.objects.all()).get(pk=warehouse.pk)
    # In the order stock_moves_apply locks them: by product within the warehouse.
    list(
        for_update(StockLevel.objects.filter(warehouse=warehouse))
        .order_by("product_id")
        .values_list("pk")
    )
    held = StockLevel.objects.filter(warehouse=warehouse, quantity__gt=0).aggregate(
        quantity=Sum("quantity"), products=Count("id")
    )
    if held["products"]:
        raise WarehouseNotEmpty(
            warehouse=warehouse.name,
            quantity=f"{held['quantity'].normalize():f}",
            products=held["products"],
        )
    if warehouse.is_active:
        warehouse.is_active = False
        warehouse.save(update_fields=["is_active"])
    return warehouse


@audited
@transaction.atomic
def warehouse_reactivate(*, actor: User, warehouse: Warehouse) -> Warehouse:
    permission_require(actor, "inventory.change_warehouse")
    warehouse = for_update(Warehouse.objects.all()).get(pk=warehouse.pk)
    if not warehouse.is_active:
        warehouse.is_active = True
        warehouse.save(update_fields=["is_active"])
    return warehouse
