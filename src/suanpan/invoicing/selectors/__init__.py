"""Every read of the invoicing app, one module per document, scoped by the user asking. What
other apps may call is re-exported here."""

from suanpan.invoicing.selectors.invoices import (
    customer_invoices,
    invoice_get,
    invoice_list,
    invoice_visible,
)
from suanpan.invoicing.selectors.requests import request_get, request_visible
from suanpan.invoicing.selectors.vat_report import vat_output_report

__all__ = [
    "customer_invoices",
    "invoice_get",
    "invoice_list",
    "invoice_visible",
    "request_get",
    "request_visible",
    "vat_output_report",
]
