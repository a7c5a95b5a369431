"""FilterSets: one filter per list, for the pages, the API and exports."""

from suanpan.ledger.filters.journals import JournalFilter
from suanpan.ledger.filters.vouchers import (
    SORTS,
    FilterForm,
    VoucherFilter,
)

__all__ = [
    "SORTS",
    "FilterForm",
    "JournalFilter",
    "VoucherFilter",
]
