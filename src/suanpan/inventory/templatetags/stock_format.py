"""`{{ level.quantity|stock_qty }}` → 1,250 or 2.5: quantities with thousands separators and
without trailing zeros or exponents (Decimal.normalize would print 1E+2)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def stock_qty(value: object) -> str:
    if value is None or value == "":
        return ""
    try:
        quantity = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{quantity:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def stock_abs(value: object) -> object:
    """The size of a signed quantity: the Out column shows goods out as positive numbers."""
    return abs(value) if isinstance(value, Decimal | int) else value
