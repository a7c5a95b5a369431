"""`{{ level.quantity|stock_qty }}` → 1,250 or 2.5: quantities with thousands separators and
without trailing zeros or exponents (Decimal.normalize would print 1E+2)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from suanpan.core.templatetags.money import quantity_text

register = template.Library()


@register.filter
def stock_qty(value: object) -> str:
    return quantity_text(value, thousands=True)


@register.filter
def stock_abs(value: object) -> object:
    """The size of a signed quantity: the Out column shows goods out as positive numbers."""
    return abs(value) if isinstance(value, Decimal | int) else value
