"""Moving goods: the one place that changes stock levels, product costs and the stock ledger.

Every document (goods receipt, adjustment, delivery, return) builds `MoveInput`s and calls
`stock_moves_apply` inside its own transaction. It locks the stock-level rows and the product
cost rows it touches in one sorted order (product, warehouse) — so two documents touching the
same goods queue behind each other instead of deadlocking — then checks every outgoing quantity
against what is on hand, values outgoing goods at the moving average (移动加权平均), and writes
the moves, levels and costs with a constant number of queries per call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from suanpan.core.locks import for_update
from suanpan.core.money import round_amount
from suanpan.inventory.calculations import issue_cost
from suanpan.inventory.errors import InactiveWarehouse, NegativeStock, NotStocked
from suanpan.inventory.models import ProductCost, StockLevel, StockMove, Warehouse
from suanpan.ledger.services import PostingEvent, RoleLine, posting_post
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.catalog.models import Product

ZERO = Decimal(0)


@dataclass(frozen=True)
class MoveInput:
    """One change of stock. `value` is the cost the goods move at (positive for goods in,
    ignored for goods out, which leave at the moving average); None for goods in means "at
    the current moving average" (or the product's standard cost when none is on hand)."""

    product: Product
    warehouse: Warehouse
    quantity: Decimal
    kind: str
    moved_on: date
    source_type: str
    source_id: str
    reference: str
    value: Decimal | None = None


def _levels_locked(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], StockLevel]:
    keys = sorted(set(keys))
    product_ids = {p for p, _w in keys}
    warehouse_ids = {w for _p, w in keys}

    def read() -> dict[tuple[int, int], StockLevel]:
        rows = for_update(
            StockLevel.objects.filter(product_id__in=product_ids, warehouse_id__in=warehouse_ids)
        ).order_by("product_id", "warehouse_id")
        return {(r.product_id, r.warehouse_id): r for r in rows}

    levels = read()
    missing = [key for key in keys if key not in levels]
    if missing:
        try:
            # A savepoint, so that losing the race to create a row leaves our transaction usable.
            with transaction.atomic():
                StockLevel.objects.bulk_create(
                    [StockLevel(product_id=p, warehouse_id=w) for p, w in missing],
                    ignore_conflicts=True,
                )
        except IntegrityError:
            pass
        levels = read()
    return {key: levels[key] for key in keys}


def _costs_locked(product_ids: Iterable[int]) -> dict[int, ProductCost]:
    ids = sorted(set(product_ids))

    def read() -> dict[int, ProductCost]:
        rows = for_update(ProductCost.objects.filter(product_id__in=ids)).order_by("product_id")
        return {r.product_id: r for r in rows}

    costs = read()
    missing = [pid for pid in ids if pid not in costs]
    if missing:
        with transaction.atomic():
            ProductCost.objects.bulk_create(
                [ProductCost(product_id=pid) for pid in missing], ignore_conflicts=True
            )
        costs = read()
    return costs


def moving_average(cost: ProductCost, product: Product) -> Decimal:
    """Cost per unit now: value / quantity, or the standard cost when nothing is on hand."""
    if cost.quantity > 0:
        return cost.value_amount / cost.quantity
    return product.standard_cost


@transaction.atomic
def stock_moves_apply(*, moves: Sequence[MoveInput], actor: User) -> list[StockMove]:
    """Apply `moves` in order; return the stock-ledger rows written (with their cost).

    Refuses services, inactive warehouses and any outgoing quantity above what is on hand at
    that point (`NegativeStock` names product, warehouse and shortfall); nothing is written
    unless every move succeeds.
    """
    for move in moves:
        if not move.product.is_stocked:
            raise NotStocked(product=move.product.name)
        if not move.warehouse.is_active:
            raise InactiveWarehouse(warehouse=move.warehouse.name)
        if move.quantity == 0:
            raise ValueError("a stock move needs a non-zero quantity")
    levels = _levels_locked((m.product.pk, m.warehouse.pk) for m in moves)
    costs = _costs_locked(m.product.pk for m in moves)
    rows = []
    for move in moves:
        level = levels[(move.product.pk, move.warehouse.pk)]
        cost = costs[move.product.pk]
        if move.quantity < 0:
            wanted = -move.quantity
            if wanted > level.quantity:
                raise NegativeStock(
                    product=move.product.name,
                    warehouse=move.warehouse.name,
                    requested=wanted,
                    on_hand=level.quantity,
                    shortfall=wanted - level.quantity,
                )
            value = -issue_cost(on_hand=cost.quantity, value=cost.value_amount, quantity=wanted)
        elif move.value is None:
            value = round_amount(moving_average(cost, move.product) * move.quantity)
        else:
            if move.value < 0:
                raise ValueError("goods come in at a cost of zero or more")
            value = round_amount(move.value)
        level.quantity += move.quantity
        cost.quantity += move.quantity
        cost.value_amount += value
        rows.append(
            StockMove(
                product=move.product,
                warehouse=move.warehouse,
                moved_on=move.moved_on,
                kind=move.kind,
                quantity=move.quantity,
                value_amount=value,
                source_type=move.source_type,
                source_id=move.source_id,
                reference=move.reference,
                created_by=actor,
            )
        )
    StockLevel.objects.bulk_update(levels.values(), ["quantity"])
    ProductCost.objects.bulk_update(costs.values(), ["quantity", "value_amount"])
    return StockMove.objects.bulk_create(rows)


def voucher_book(
    *,
    source_type: str,
    source_id: int,
    event: str,
    on: date,
    summary: str,
    lines: tuple[RoleLine, ...],
    red: bool = False,
    actor: User,
) -> None:
    """Post a document's voucher for `event`, unless its posting rule gave no lines (nothing
    of value moved)."""
    if lines:
        posting_post(
            event=PostingEvent(
                source_type=source_type,
                source_id=str(source_id),
                event=event,
                date=on,
                summary=summary,
                lines=lines,
                red=red,
            ),
            actor=actor,
        )
