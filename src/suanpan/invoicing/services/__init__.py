"""Every write of the invoicing app, one module per document. What other apps may call (the
receivables app, the demo data) is re-exported here."""

from suanpan.invoicing.services.buyers import BuyerInput
from suanpan.invoicing.services.history_import import (
    history_import_check,
    history_import_commit,
)
from suanpan.invoicing.services.history_rows import HistoryOptions
from suanpan.invoicing.services.history_writer import history_invoices_write
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
from suanpan.invoicing.services.platform_export import (
    batch_export,
)
from suanpan.invoicing.services.platform_imports import (
    failures_import,
    issued_import,
    xml_import,
)
from suanpan.invoicing.services.red_invoices import red_invoice_issue
from suanpan.invoicing.services.red_letters import (
    RedLineInput,
    red_form_cancel,
    red_form_confirm,
    red_form_create,
    red_form_deny,
    red_form_withdraw,
    red_forms_expire,
)
from suanpan.invoicing.services.requests import (
    RequestInput,
    RequestLineInput,
    request_approve,
    request_cancel,
    request_create,
    request_reject,
    request_update,
)
from suanpan.invoicing.services.voids import (
    invoice_mark_deducted,
    invoice_unmark_deducted,
    invoice_void,
)

__all__ = [
    "BuyerInput",
    "HistoryOptions",
    "IssueInput",
    "ManualInvoiceInput",
    "ManualLineInput",
    "RedLineInput",
    "RequestInput",
    "RequestLineInput",
    "batch_export",
    "failures_import",
    "history_import_check",
    "history_import_commit",
    "history_invoices_write",
    "invoice_enter",
    "invoice_issue",
    "invoice_mark_deducted",
    "invoice_number_normalize",
    "invoice_record",
    "invoice_unmark_deducted",
    "invoice_void",
    "issued_import",
    "mailing_confirm_by_customer",
    "mailing_create",
    "mailing_receive",
    "mailing_returned",
    "mailing_update",
    "red_form_cancel",
    "red_form_confirm",
    "red_form_create",
    "red_form_deny",
    "red_form_withdraw",
    "red_forms_expire",
    "red_invoice_issue",
    "request_approve",
    "request_cancel",
    "request_create",
    "request_reject",
    "request_update",
    "settings_get",
    "settings_update",
    "xml_import",
]
