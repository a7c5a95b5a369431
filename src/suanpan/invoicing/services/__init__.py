"""Every write of the invoicing app, one module per document. What other apps may call (the
receivables app, the demo data) is re-exported here."""

from suanpan.invoicing.services.invoices import (
    IssueInput,
    invoice_issue,
    invoice_number_normalize,
    invoice_record,
)
from suanpan.invoicing.services.mailing import (
    mailing_confirm_by_customer,
    mailing_create,
    mailing_receive,
    mailing_returned,
    mailing_update,
    settings_get,
    settings_update,
)
from suanpan.invoicing.services.manual import (
    ManualInvoiceInput,
    ManualLineInput,
    invoice_enter,
)
from suanpan.invoicing.services.requests import (
    BuyerInput,
    RequestInput,
    RequestLineInput,
    request_approve,
    request_cancel,
    request_create,
    request_reject,
    request_update,
)

__all__ = [
    "BuyerInput",
    "IssueInput",
    "ManualInvoiceInput",
    "ManualLineInput",
    "RequestInput",
    "RequestLineInput",
    "invoice_enter",
    "invoice_issue",
    "invoice_number_normalize",
    "invoice_record",
    "mailing_confirm_by_customer",
    "mailing_create",
    "mailing_receive",
    "mailing_returned",
    "mailing_update",
    "request_approve",
    "request_cancel",
    "request_create",
    "request_reject",
    "request_update",
    "settings_get",
    "settings_update",
]
