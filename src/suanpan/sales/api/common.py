"""What the sales API modules share: the line schemas of priced documents and list filters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from suanpan.sales.services.lines import LineInput


# A stored line of a quote or order (no docstring: it would become the schema's description).
class PricedLineOut(Schema):
    id: int
    position: int
    product_id: int
    product_name: str
    specification: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    discount_rate: Decimal
    vat_rate_key: str
    vat_rate: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal


class LineInSchema(Schema):
    """What a line as entered becomes for the services; each document's line schema sets its own
    limits and descriptions of the other fields."""

    product_id: int
    quantity: Decimal
    unit_price: Decimal | None = None
    discount_rate: Decimal = Field(
        Decimal(0), ge=0, le=1, decimal_places=4, description="A fraction: 0.05 for 5 %."
    )

    def line_input(self) -> LineInput:
        return LineInput.like(self)


class CustomerOwnerNames(Schema):
    """Adds no field: fills a document's `customer` and `owner` fields with their names."""

    @staticmethod
    def resolve_customer(obj: Any) -> str:
        return obj.customer.name

    @staticmethod
    def resolve_owner(obj: Any) -> str:
        return str(obj.owner)
