from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.core.badges import badge_tones


class InvoiceType(models.TextChoices):
    """The fapiao kinds. The e-tax platform issues 数电 only; paper kinds stay for history."""

    E_SPECIAL = "e_special", _("Digital VAT special invoice (数电专票)")
    E_NORMAL = "e_normal", _("Digital ordinary invoice (数电普票)")
    PAPER_SPECIAL = "paper_special", _("Paper VAT special invoice")
    PAPER_NORMAL = "paper_normal", _("Paper ordinary invoice")
    E_NORMAL_LEGACY = "e_normal_legacy", _("Electronic ordinary invoice (pre-数电)")


# What a request may ask for: the platform's batch workbook takes these two.
REQUESTABLE_TYPES = (InvoiceType.E_SPECIAL, InvoiceType.E_NORMAL)
SPECIAL_TYPES = (InvoiceType.E_SPECIAL, InvoiceType.PAPER_SPECIAL)
DIGITAL_TYPES = (InvoiceType.E_SPECIAL, InvoiceType.E_NORMAL)


class RequestSource(models.TextChoices):
    ORDER = "order", _("Sales order")
    DELIVERIES = "deliveries", _("Deliveries")
    INSTALMENT = "instalment", _("Contract instalment")


class RequestStatus(models.TextChoices):
    """pending → approved → exported → issued; rejected or failed go back to be fixed; or cancelled."""

    PENDING = "pending", pgettext_lazy("invoice request", "Pending approval")
    APPROVED = "approved", pgettext_lazy("invoice request", "Approved")
    REJECTED = "rejected", pgettext_lazy("invoice request", "Rejected")
    EXPORTED = "exported", pgettext_lazy("invoice request", "Exported")
    FAILED = "failed", pgettext_lazy("invoice request", "Failed at the tax platform")
    ISSUED = "issued", pgettext_lazy("invoice request", "Issued")
    CANCELLED = "cancelled", pgettext_lazy("document", "Cancelled")


badge_tones(
    "invoice_request",
    {
        RequestStatus.PENDING: "text-bg-warning",
        RequestStatus.APPROVED: "text-bg-info",
        RequestStatus.EXPORTED: "text-bg-info",
        RequestStatus.ISSUED: "text-bg-success",
        RequestStatus.REJECTED: "text-bg-danger",
        RequestStatus.FAILED: "text-bg-danger",
    },
    other="text-bg-light border",
    labels=RequestStatus,
)


# Requests that still hold their order lines' quantities.
REQUEST_OPEN_STATUSES = (
    RequestStatus.PENDING,
    RequestStatus.APPROVED,
    RequestStatus.REJECTED,
    RequestStatus.EXPORTED,
    RequestStatus.FAILED,
)
# Requests the accountant may issue (record an invoice number for).
REQUEST_ISSUABLE_STATUSES = (RequestStatus.APPROVED, RequestStatus.EXPORTED, RequestStatus.FAILED)
# Requests the maker may still change.
REQUEST_EDITABLE_STATUSES = (RequestStatus.PENDING, RequestStatus.REJECTED, RequestStatus.FAILED)


class InvoiceKind(models.TextChoices):
    BLUE = "blue", _("Blue (normal)")
    RED = "red", _("Red (reversal)")


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", pgettext_lazy("invoice", "Issued")
    PARTLY_REVERSED = "partly_reversed", _("Partly reversed in red")
    REVERSED = "reversed", _("Fully reversed in red")
    VOIDED = "voided", _("Voided")


badge_tones(
    "invoice",
    {
        InvoiceStatus.ISSUED: "text-bg-success",
        InvoiceStatus.PARTLY_REVERSED: "text-bg-warning",
        InvoiceStatus.REVERSED: "text-bg-secondary",
        InvoiceStatus.VOIDED: "text-bg-dark",
    },
    other="text-bg-light border",
    labels=InvoiceStatus,
)


class InvoiceSource(models.TextChoices):
    REQUEST = "request", _("Invoice request")
    ISSUED_EXPORT = "issued_export", _("Tax platform export")
    XML = "xml", _("数电 XML file")
    MANUAL = "manual", _("Entered by hand")
    HISTORY = "history", _("History import")
    RED_LETTER = "red_letter", _("Red-letter form")


class RedReason(models.TextChoices):
    """冲红原因 with the platform's codes."""

    ERROR = "1", _("Invoicing error (开票有误)")
    RETURN = "2", _("Goods returned (销货退回)")
    SERVICE_STOPPED = "3", _("Service stopped (服务中止)")
    ALLOWANCE = "4", _("Sales allowance (销售折让)")


class RedInitiator(models.TextChoices):
    SELLER = "0", _("Seller")
    BUYER = "1", _("Buyer")


class RedFormStatus(models.TextChoices):
    """The platform's statuses of a 红字发票信息确认单, with its codes."""

    NOT_NEEDED = "01", _("No confirmation needed")
    SELLER_PENDING = "02", _("Entered by seller, awaiting buyer")
    BUYER_PENDING = "03", _("Entered by buyer, awaiting seller")
    CONFIRMED = "04", _("Confirmed by both")
    VOID_BUYER_DENIED = "05", _("Void: buyer denied")
    VOID_SELLER_DENIED = "06", _("Void: seller denied")
    VOID_EXPIRED = "07", _("Void: not confirmed within 72 hours")
    VOID_WITHDRAWN = "08", _("Void: withdrawn by initiator")
    VOID_CANCELLED = "09", _("Void: cancelled after confirmation")


# Pending amber, issuable green, void grey.
badge_tones(
    "red_form",
    {
        RedFormStatus.SELLER_PENDING: "text-bg-warning",
        RedFormStatus.BUYER_PENDING: "text-bg-warning",
        RedFormStatus.NOT_NEEDED: "text-bg-success",
        RedFormStatus.CONFIRMED: "text-bg-success",
    },
    other="text-bg-secondary",
    labels=RedFormStatus,
)


RED_FORM_ISSUABLE = (RedFormStatus.NOT_NEEDED, RedFormStatus.CONFIRMED)
RED_FORM_PENDING = (RedFormStatus.SELLER_PENDING, RedFormStatus.BUYER_PENDING)


class MailingStatus(models.TextChoices):
    SENT = "sent", pgettext_lazy("mailing", "Sent")
    RECEIVED = "received", pgettext_lazy("mailing", "Received")
    RETURNED = "returned", pgettext_lazy("mailing", "Returned undelivered")


badge_tones(
    "mailing",
    {MailingStatus.RECEIVED: "text-bg-success", MailingStatus.RETURNED: "text-bg-danger"},
    other="text-bg-warning",
    labels=MailingStatus,
)


class BatchKind(models.TextChoices):
    EXPORT = "export", _("Batch-issue workbook")
    FAILURES = "failures", _("Failure file")
    ISSUED = "issued", _("Issued-invoice export")
    XML = "xml", _("数电 XML")
    HISTORY = "history", _("History import")


class BatchStatus(models.TextChoices):
    """A batch run in the background (history import): queued, checking, writing, then done."""

    QUEUED = "queued", pgettext_lazy("batch", "Queued")
    CHECKING = "checking", pgettext_lazy("batch", "Checking")
    WRITING = "writing", pgettext_lazy("batch", "Writing")
    DONE = "done", pgettext_lazy("batch", "Done")
    FAILED = "failed", pgettext_lazy("batch", "Failed")
