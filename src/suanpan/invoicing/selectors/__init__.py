"""Every read of the invoicing app, one module per document, scoped by the user asking. What
other apps may call is re-exported here."""

from suanpan.invoicing.selectors.invoices import invoice_get, invoice_visible
from suanpan.invoicing.selectors.red_letters import (
    red_form_get,
    red_form_list,
    red_form_visible,
    red_forms_for_invoice,
    red_remaining,
)
from suanpan.invoicing.selectors.requests import request_get, request_visible

__all__ = [
    "invoice_get",
    "invoice_visible",
    "red_form_get",
    "red_form_list",
    "red_form_visible",
    "red_forms_for_invoice",
    "red_remaining",
    "request_get",
    "request_visible",
]
