"""The customer FilterSet: one for the list page, the API, exports and the CLI."""

from suanpan.customers.filters.customers import SORTS, CustomerFilter, FilterForm

__all__ = ["SORTS", "CustomerFilter", "FilterForm"]
