"""Every read of the invoicing app, one module per document, scoped by the user asking. What
other apps may call is re-exported here."""

from suanpan.invoicing.selectors.invoices import invoice_get, invoice_visible
from suanpan.invoicing.selectors.requests import (
    request_counts,
    request_get,
    request_list,
    request_visible,
)

__all__ = [
    "invoice_get",
    "invoice_visible",
    "request_counts",
    "request_get",
    "request_list",
    "request_visible",
]
