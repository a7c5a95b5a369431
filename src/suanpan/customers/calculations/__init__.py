"""Pure maths of customers (no Django): what customer search matches."""

from suanpan.customers.calculations.search import (
    SearchFields,
    name_initials,
    name_pinyin,
    search_fields,
    search_query_normalize,
)

__all__ = [
    "SearchFields",
    "name_initials",
    "name_pinyin",
    "search_fields",
    "search_query_normalize",
]
