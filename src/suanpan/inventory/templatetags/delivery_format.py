"""`{{ line.quantity|qty }}` → 3 or 2.5: quantities without trailing zeros or exponents."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def qty(value: object) -> str:
    if value is None or value == "":
        return ""
    try:
        quantity = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{quantity:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
