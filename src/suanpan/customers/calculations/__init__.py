"""Pure maths of customers (no Django): what customer search matches, when names are the same,
how much of the credit limit is used."""

from suanpan.customers.calculations.credit import credit_used_percent
from suanpan.customers.calculations.names import name_key
from suanpan.customers.calculations.search import (
    SearchFields,
    name_initials,
    name_pinyin,
    search_fields,
    search_query_normalize,
)

__all__ = [
    "SearchFields",
    "credit_used_percent",
    "name_initials",
    "name_key",
    "name_pinyin",
    "search_fields",
    "search_query_normalize",
]
