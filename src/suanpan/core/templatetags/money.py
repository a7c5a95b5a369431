"""`{{ amount|money }}` → 1,234,567.80: two decimals and thousands separators, never floats.

`quantity_text` is the quantity filters' one formatter (inventory's `qty` and `stock_qty`)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


def _formatted(value: object, text: Callable[[Decimal], str]) -> str:
    """`text(value as a Decimal)`; blank for None or "", the value as it is when not a number."""
    if value is None or value == "":
        return ""
    try:
        return text(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


@register.filter
def money(value: object) -> str:
    return _formatted(
        value, lambda number: f"{number.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"
    )


def quantity_text(value: object, *, thousands: bool = False) -> str:
    """A quantity without trailing zeros or exponents (Decimal.normalize would print 1E+2),
    with thousands separators when asked: 1,250 or 2.5."""

    def text(quantity: Decimal) -> str:
        plain = f"{quantity:,f}" if thousands else f"{quantity:f}"
        return plain.rstrip("0").rstrip(".") if "." in plain else plain

    return _formatted(value, text)
