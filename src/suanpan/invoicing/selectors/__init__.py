"""Every read of the invoicing app, one module per document, scoped by the user asking. What
other apps may call is re-exported here."""

from suanpan.invoicing.selectors.invoices import (
    InstalmentInvoice,
    customer_invoices,
    instalment_invoices,
    invoice_get,
    invoice_list,
    invoice_visible,
)
from suanpan.invoicing.selectors.mailing import (
    invoice_mailing_status,
    invoice_mailings,
    mailing_get,
    mailing_list,
    mailings_unconfirmed,
    settings_get,
)
from suanpan.invoicing.selectors.platform import (
    batch_list,
    exportable_requests,
    requests_by_number,
)
from suanpan.invoicing.selectors.red_letters import (
    red_form_get,
    red_form_list,
    red_form_visible,
    red_forms_for_invoice,
    red_remaining,
)
from suanpan.invoicing.selectors.requests import (
    request_counts,
    request_get,
    request_list,
    request_visible,
)
from suanpan.invoicing.selectors.vat_report import (
    vat_output_report,
)

__all__ = [
    "InstalmentInvoice",
    "batch_list",
    "customer_invoices",
    "exportable_requests",
    "instalment_invoices",
    "invoice_get",
    "invoice_list",
    "invoice_mailing_status",
    "invoice_mailings",
    "invoice_visible",
    "mailing_get",
    "mailing_list",
    "mailings_unconfirmed",
    "red_form_get",
    "red_form_list",
    "red_form_visible",
    "red_forms_for_invoice",
    "red_remaining",
    "request_counts",
    "request_get",
    "request_list",
    "request_visible",
    "requests_by_number",
    "settings_get",
    "vat_output_report",
]
