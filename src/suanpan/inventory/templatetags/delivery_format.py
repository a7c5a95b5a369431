"""`{{ line.quantity|qty }}` → 3 or 2.5: quantities without trailing zeros or exponents."""

from __future__ import annotations

from django import template

from suanpan.core.templatetags.money import quantity_text

register = template.Library()


@register.filter
def qty(value: object) -> str:
    return quantity_text(value)
