"""`{{ product.list_price|price }}` → 1,234.5678: unit prices keep up to their field's places
(PRICE_PLACES), at least 2; the core `number` filter with the catalog's places."""

from __future__ import annotations

from django import template

from suanpan.catalog.types import PRICE_PLACES
from suanpan.core.templatetags.money import number

register = template.Library()


@register.filter
def price(value: object) -> str:
    return number(value, PRICE_PLACES)
