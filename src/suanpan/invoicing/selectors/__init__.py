"""Every read of the invoicing app, one module per document, scoped by the user asking. What
other apps may call is re-exported here."""

from suanpan.invoicing.selectors.invoices import invoice_get, invoice_visible
from suanpan.invoicing.selectors.platform import (
    batch_list,
    exportable_requests,
    requests_by_number,
)
from suanpan.invoicing.selectors.requests import request_get, request_visible

__all__ = [
    "batch_list",
    "exportable_requests",
    "invoice_get",
    "invoice_visible",
    "request_get",
    "request_visible",
    "requests_by_number",
]
