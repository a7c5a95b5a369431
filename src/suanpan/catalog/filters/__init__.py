"""The product FilterSet: one for the list page, the API, exports and the CLI."""

from suanpan.catalog.filters.products import (
    ACTIVE_CHOICES,
    SORTS,
    FilterForm,
    ProductFilter,
    product_search_match,
)

__all__ = ["ACTIVE_CHOICES", "SORTS", "FilterForm", "ProductFilter", "product_search_match"]
