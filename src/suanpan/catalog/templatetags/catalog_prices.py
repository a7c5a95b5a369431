"""`{{ product.list_price|price }}` → 1,234.5678: unit prices keep up to 6 decimals, at least 2."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from suanpan.catalog.calculations import price_text

register = template.Library()


@register.filter
def price(value: object) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not amount.is_finite():
        return str(value)
    return price_text(amount)
