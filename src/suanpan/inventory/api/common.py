"""What every inventory API module needs: query parameters, and the warehouse and products
an API caller names by id, refused with the API's field errors when they do not exist."""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ninja import FilterSchema, Schema

from suanpan.core.errors import ValidationFailed
from suanpan.core.limits import query_field
from suanpan.inventory.choices import StockDocumentStatus
from suanpan.inventory.models import Warehouse
from suanpan.inventory.selectors import stock as stock_selectors
from suanpan.inventory.selectors import warehouses as warehouse_selectors

if TYPE_CHECKING:
    from suanpan.catalog.models import Product


def products_named(ids: Sequence[int]) -> "dict[int, Product]":
    found = stock_selectors.products_by_id(ids)
    missing = {
        f"lines.{i}.product_id": [f"No product with id {pk}."]
        for i, pk in enumerate(ids)
        if pk not in found
    }
    if missing:
        raise ValidationFailed(fields=missing)
    return found


def warehouse_named(pk: int, *, field: str = "warehouse_id") -> Warehouse:
    warehouse = warehouse_selectors.warehouse_by_id(pk)
    if warehouse is None:
        raise ValidationFailed(fields={field: [f"No warehouse with id {pk}."]})
    return warehouse


# ---------------------------------------------------------------- goods receipts and adjustments


class DocumentFilters(FilterSchema):
    q: str | None = query_field(description="Number, supplier or reason")
    warehouse: int | None = None
    status: StockDocumentStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    ordering: str | None = query_field(
        description="number, date, warehouse, status (receipts also supplier, total)"
    )


def document_header(payload: Schema, *, exclude_unset: bool) -> dict[str, Any]:
    """A stock document's header fields from a payload, the warehouse looked up by its id."""
    data = payload.dict(exclude_unset=exclude_unset, exclude={"lines"})
    if "warehouse_id" in data:
        pk = data.pop("warehouse_id")
        data["warehouse"] = None if pk is None else warehouse_named(pk)
    return {k: v for k, v in data.items() if v is not None or not exclude_unset}


class StockLineIn(Protocol):
    product_id: int
    quantity: Any
    unit_cost: Any


L = TypeVar("L")


def document_lines(
    given: Sequence[StockLineIn] | None, *, current: Iterable[Any], line_input: Callable[..., L]
) -> list[L]:
    """The line inputs for a stock document's service: the lines given, or (a change that
    gives none) the lines the document has."""
    if given is None:
        return [line_input(line.product, line.quantity, line.unit_cost) for line in current]
    products = products_named([line.product_id for line in given])
    return [
        line_input(
            product=products[line.product_id], quantity=line.quantity, unit_cost=line.unit_cost
        )
        for line in given
    ]
