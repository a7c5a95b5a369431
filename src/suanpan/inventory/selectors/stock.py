"""Stock on hand and the stock ledger of a product.

Quantities and values are scaled integers in the database (DESIGN.md "Money and tax"): sums
are done in SQL, and running balances of the stock ledger by a window function, so a page of
moves costs the same whatever the length of the history before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Cast, Coalesce, NullIf, Round
from django.http import Http404

from suanpan.catalog.selectors import product_by_id
from suanpan.catalog.selectors import products_by_id as catalog_products_by_id
from suanpan.core.filtering import filterset_qs
from suanpan.core.money import divide
from suanpan.inventory.calculations import issue_cost
from suanpan.inventory.filters.stock import StockLevelFilter, StockMoveFilter
from suanpan.inventory.models import StockLevel, StockMove, Warehouse
from suanpan.inventory.selectors.documents import filtered_list, visible_with_perm
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.catalog.models import Product

ZERO = Decimal(0)
UNIT_COST_PLACES = 4
# Exact numbers in SQL on PostgreSQL; sort keys only, so SQLite's arithmetic is good enough.
_NUMERIC = DecimalField(max_digits=38, decimal_places=0)


def _stock_visible(user: User) -> QuerySet[StockLevel]:
    return visible_with_perm(user, StockLevel, "inventory.view_stocklevel")


def stock_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[StockLevel], StockLevelFilter]:
    """Stock levels per product and warehouse, with their product's cost row, sortable by
    unit cost and value; call `stock_rows_value` on the rows shown."""
    cost_quantity = NullIf(Cast(F("product__cost__quantity"), _NUMERIC), 0)
    base = (
        _stock_visible(user)
        .select_related("product", "warehouse", "product__cost")
        .alias(
            # Nothing on hand sorts as zero, not as NULL (first or last by database).
            unit_cost_sort=Coalesce(
                Cast(F("product__cost__value_amount"), _NUMERIC) * 1_000_000 / cost_quantity,
                Value(0),
                output_field=_NUMERIC,
            ),
            value_sort=Coalesce(
                Cast(F("quantity"), _NUMERIC)
                * Cast(F("product__cost__value_amount"), _NUMERIC)
                / cost_quantity,
                Value(0),
                output_field=_NUMERIC,
            ),
        )
    )
    return filtered_list(
        base, StockLevelFilter, filters, ordering=("product__code", "warehouse__code")
    )


def level_value(*, quantity: Decimal, cost_quantity: Decimal, cost_value: Decimal) -> Decimal:
    """What `quantity` units of a product are worth at its moving average: all its value when
    they are all its stock, so a product kept in one warehouse shows exactly its book value."""
    if quantity <= 0 or cost_quantity <= 0:
        return ZERO
    return issue_cost(
        on_hand=cost_quantity, value=cost_value, quantity=min(quantity, cost_quantity)
    )


def stock_rows_value(levels: Iterable[StockLevel]) -> list[StockLevel]:
    """Set `unit_cost` (moving average, 4 places) and `value_amount` on each level shown."""
    rows = list(levels)
    for level in rows:
        cost = getattr(level.product, "cost", None)
        quantity = cost.quantity if cost else ZERO
        value = cost.value_amount if cost else ZERO
        level.unit_cost = (  # type: ignore[attr-defined]
            divide(value, quantity, places=UNIT_COST_PLACES) if quantity else None
        )
        level.value_amount = level_value(  # type: ignore[attr-defined]
            quantity=level.quantity, cost_quantity=quantity, cost_value=value
        )
    return rows


@dataclass(frozen=True)
class StockTotals:
    quantity: Decimal
    value_amount: Decimal
    rows: int


def _row_value_fen() -> Case:
    """A level's value in fen, in SQL, exactly as `level_value` works it out: all of the
    product's value when the level holds all its stock, else round(q × V ÷ Q) half up.

    The columns are scaled integers (quantity × 10⁴, value in fen), so q × V ÷ Q is already in
    fen. PostgreSQL divides as numeric and rounds half away from zero (= half up, the values are
    positive); SQLite divides integers, so half up is (2qV + Q) div 2Q.
    """
    level, cost_q, cost_v = (
        F("quantity"),
        F("product__cost__quantity"),
        F("product__cost__value_amount"),
    )
    if connection.vendor == "postgresql":
        share: Any = Round(Cast(level, _NUMERIC) * Cast(cost_v, _NUMERIC) / Cast(cost_q, _NUMERIC))
    else:
        share = ExpressionWrapper(
            (2 * level * cost_v + cost_q) / (2 * cost_q), output_field=BigIntegerField()
        )
    return Case(
        When(
            Q(product__cost__isnull=True) | Q(quantity__lte=0) | Q(product__cost__quantity__lte=0),
            then=Value(0),
        ),
        When(quantity__gte=cost_q, then=cost_v),
        default=share,
        output_field=_NUMERIC,
    )


def stock_totals(queryset: QuerySet[StockLevel]) -> StockTotals:
    """Totals of the filtered levels in one query: the quantity, and the value as the sum of
    the values the rows show (see `_row_value_fen`)."""
    sums = queryset.order_by().aggregate(
        row_count=Count("pk"),
        total_quantity=Sum("quantity"),
        value_fen=Sum(_row_value_fen(), output_field=_NUMERIC),
        # SQLite multiplies 64-bit integers and silently turns to floats beyond them.
        largest_quantity=Max(Cast(F("quantity"), BigIntegerField())),
        largest_value=Max(Cast(F("product__cost__value_amount"), BigIntegerField())),
    )
    if connection.vendor != "postgresql":
        largest = 2 * (sums["largest_quantity"] or 0) * (sums["largest_value"] or 0)
        if largest >= 2**63:
            return _stock_totals_python(queryset)
    value = Decimal(int(sums["value_fen"] or 0)).scaleb(-2)
    return StockTotals(
        quantity=sums["total_quantity"] or ZERO, value_amount=value, rows=sums["row_count"]
    )


def _stock_totals_python(queryset: QuerySet[StockLevel]) -> StockTotals:
    """The same totals row by row: for SQLite when the figures outgrow its integers."""
    rows = queryset.order_by().values_list(
        "quantity", "product__cost__quantity", "product__cost__value_amount"
    )
    quantity = value = ZERO
    count = 0
    for level_quantity, cost_quantity, cost_value in rows.iterator(chunk_size=5000):
        count += 1
        quantity += level_quantity
        value += level_value(
            quantity=level_quantity,
            cost_quantity=cost_quantity or ZERO,
            cost_value=cost_value or ZERO,
        )
    return StockTotals(quantity=quantity, value_amount=value, rows=count)


# ---------------------------------------------------------------------------- stock ledger


@dataclass
class StockLedger:
    """A product's moves in a date range (optionally one warehouse) between two balances."""

    product: Product
    warehouse: Warehouse | None
    date_from: date | None
    date_to: date | None
    opening_quantity: Decimal
    opening_value: Decimal
    closing_quantity: Decimal
    closing_value: Decimal
    moves: QuerySet[StockMove]
    filterset: StockMoveFilter

    def with_balances(self, moves: Iterable[StockMove]) -> list[StockMove]:
        """Running quantity and value after each move shown: the opening balance plus the
        window sums SQL worked out for it."""
        rows = list(moves)
        for move in rows:
            move.balance_quantity = self.opening_quantity + move.running_quantity  # type: ignore[attr-defined]
            move.balance_value = self.opening_value + move.running_value  # type: ignore[attr-defined]
        return rows


def _product_for_ledger(user: User, pk: int | str) -> Product:
    if not user.has_perm("inventory.view_stocklevel"):
        raise Http404
    product = product_by_id(pk)
    if product is None:
        raise Http404
    return product


def _sums(queryset: QuerySet[StockMove]) -> tuple[Decimal, Decimal]:
    sums = queryset.order_by().aggregate(quantity=Sum("quantity"), value=Sum("value_amount"))
    return sums["quantity"] or ZERO, sums["value"] or ZERO


def stock_ledger(
    *, user: User, product_pk: int | str, filters: Mapping[str, Any] | None = None
) -> StockLedger:
    """The stock ledger (库存明细账) of a product: three queries whatever the history, plus the
    page of moves the caller reads."""
    product = _product_for_ledger(user, product_pk)
    base = StockMove.objects.filter(product=product)
    filterset = StockMoveFilter(data=filters or {}, queryset=base)
    cleaned: dict[str, Any] = filterset.form.cleaned_data if filterset.is_valid() else {}
    warehouse = cleaned.get("warehouse")
    date_from = cleaned.get("date_from")
    date_to = cleaned.get("date_to")
    scope = base.filter(warehouse=warehouse) if warehouse else base
    if date_from:
        opening_quantity, opening_value = _sums(scope.filter(moved_on__lt=date_from))
    else:
        opening_quantity = opening_value = ZERO
    in_range = filterset_qs(filterset, base=base)
    moved_quantity, moved_value = _sums(in_range)
    order = [F("moved_on").asc(), F("id").asc()]
    moves = (
        in_range.select_related("warehouse")
        .annotate(
            running_quantity=Window(Sum("quantity"), order_by=order, frame=RowRange(None, 0)),
            running_value=Window(Sum("value_amount"), order_by=order, frame=RowRange(None, 0)),
        )
        .order_by("moved_on", "id")
    )
    return StockLedger(
        product=product,
        warehouse=warehouse,
        date_from=date_from,
        date_to=date_to,
        opening_quantity=opening_quantity,
        opening_value=opening_value,
        closing_quantity=opening_quantity + moved_quantity,
        closing_value=opening_value + moved_value,
        moves=moves,
        filterset=filterset,
    )


def stock_moves(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[StockMove], StockMoveFilter]:
    """Stock moves across products (the API's `/stock/moves`): optional product, warehouse
    and date range, oldest first."""
    if not user.has_perm("inventory.view_stocklevel"):
        base = StockMove.objects.none()
    else:
        base = StockMove.objects.select_related("product", "warehouse")
    filters = dict(filters or {})
    product = filters.pop("product", None)
    if product not in (None, ""):
        base = base.filter(product_id=product)
    filterset = StockMoveFilter(data=filters, queryset=base)
    queryset = filterset_qs(filterset, base=base)
    return queryset.order_by("moved_on", "id"), filterset


def products_by_id(ids: Iterable[int]) -> dict[int, Product]:
    """The products document lines name by id, keyed by id; absent ids are left out."""
    return catalog_products_by_id(ids)
