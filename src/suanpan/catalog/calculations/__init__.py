"""Pure maths of the catalog (no Django): product search text and unit prices."""

from suanpan.catalog.calculations.products import (
    UnitPrices,
    name_initials,
    name_pinyin,
    price_text,
    search_query_normalize,
    search_text,
    unit_prices,
)

__all__ = [
    "UnitPrices",
    "name_initials",
    "name_pinyin",
    "price_text",
    "search_query_normalize",
    "search_text",
    "unit_prices",
]
