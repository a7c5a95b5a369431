"""Every write of the invoicing app, one module per document. What other apps may call (the
receivables app, the demo data) is re-exported here."""

from suanpan.invoicing.services.history_import import (
    HistoryOptions,
    history_import_check,
    history_import_commit,
    history_invoices_write,
)
from suanpan.invoicing.services.invoices import (
    IssueInput,
    invoice_issue,
    invoice_number_normalize,
    invoice_record,
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
    "HistoryOptions",
    "IssueInput",
    "RequestInput",
    "RequestLineInput",
    "history_import_check",
    "history_import_commit",
    "history_invoices_write",
    "invoice_issue",
    "invoice_number_normalize",
    "invoice_record",
    "request_approve",
    "request_cancel",
    "request_create",
    "request_reject",
    "request_update",
]
