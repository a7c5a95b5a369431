"""Every write of the invoicing app, one module per document. What other apps may call (the
receivables app, the demo data) is re-exported here."""

from suanpan.invoicing.services.invoices import (
    IssueInput,
    invoice_issue,
    invoice_number_normalize,
    invoice_record,
)
from suanpan.invoicing.services.platform_export import batch_export
from suanpan.invoicing.services.platform_imports import (
    failures_import,
    issued_import,
    xml_import,
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
    "RequestInput",
    "RequestLineInput",
    "batch_export",
    "failures_import",
    "invoice_issue",
    "invoice_number_normalize",
    "invoice_record",
    "issued_import",
    "request_approve",
    "request_cancel",
    "request_create",
    "request_reject",
    "request_update",
    "xml_import",
]
