from django.utils.translation import gettext_lazy as _

from suanpan.core.errors import ConflictError, DomainError, ValidationFailed


class RequestInvalid(ValidationFailed):
    """A request's lines or buyer fail the platform's rules; `fields` says where."""

    code = "invoice_request_invalid"
    default_message = _("The invoice request cannot be saved; see the fields marked.")


class RequestExceedsOrder(ValidationFailed):
    code = "invoice_request_exceeds_order"
    default_message = _(
        "Line %(position)s of order %(number)s (%(product)s): %(quantity)s cannot be requested, "
        "only %(remaining)s remain uninvoiced."
    )


class RequestExceedsInstalment(ValidationFailed):
    code = "invoice_request_exceeds_instalment"
    default_message = _(
        "Instalment %(position)s of contract %(number)s has %(remaining)s left to invoice; "
        "the request asks for %(amount)s."
    )


class RequestNotInStatus(ConflictError):
    code = "wrong_status"
    default_message = _("%(number)s is %(status)s; this cannot be done now.")


class OwnRequestApproval(DomainError):
    code = "own_request_approval"
    http_status = 403
    default_message = _("You raised request %(number)s; another accountant must review it.")


class InvoiceNumberInvalid(ValidationFailed):
    code = "invoice_number_invalid"
    default_message = _("A digital invoice number is 20 digits; %(number)s is not.")


class InvoiceNumberTaken(ConflictError):
    code = "invoice_number_taken"
    default_message = _("Invoice %(number)s is already recorded.")


class InvoiceNotInStatus(ConflictError):
    code = "wrong_status"
    default_message = _("Invoice %(number)s is %(status)s; this cannot be done now.")


class InvoiceNotVoidable(ConflictError):
    code = "invoice_not_voidable"
    default_message = _(
        "Invoice %(number)s cannot be voided: %(reason)s. Reverse it in red instead."
    )


class RedLetterInvalid(ValidationFailed):
    code = "red_letter_invalid"
    default_message = _("The red-letter form cannot be saved; see the fields marked.")


class RedLetterExceedsBlue(ValidationFailed):
    code = "red_letter_exceeds_blue"
    default_message = _(
        "Line %(position)s of invoice %(number)s has %(remaining)s left to reverse; "
        "%(amount)s asked."
    )


class RedFormNotInStatus(ConflictError):
    code = "wrong_status"
    default_message = _("Red-letter form %(number)s is %(status)s; this cannot be done now.")


class MailingInvalid(ValidationFailed):
    code = "mailing_invalid"
    default_message = _("The mailing cannot be saved; see the fields marked.")


class PlatformFileInvalid(ValidationFailed):
    """A file from (or for) the tax platform is not what it should be; nothing was recorded."""

    code = "platform_file_invalid"
    default_message = _("%(file)s cannot be read: %(reason)s")


class MailingNotInStatus(ConflictError):
    code = "wrong_status"
    default_message = _("The mailing of invoice %(number)s is %(status)s; this cannot be done now.")


class MailingLinkInvalid(DomainError):
    """A confirmation link that was changed or cut short: nothing is recorded."""

    code = "mailing_link_invalid"
    http_status = 400
    default_message = _(
        "This confirmation link is not valid. Please ask the sender for the link again."
    )


class MailingLinkExpired(DomainError):
    code = "mailing_link_expired"
    http_status = 410
    default_message = _("This confirmation link has expired. Please ask the sender for a new link.")


class InvoicingSettingsInvalid(ValidationFailed):
    code = "invoicing_settings_invalid"
    default_message = _("The invoicing settings cannot be saved; see the fields marked.")


class InvoiceInvalid(ValidationFailed):
    """An invoice entered by hand fails a check (buyer, lines, type); `fields` says where."""

    code = "invoice_invalid"
    default_message = _("The invoice cannot be recorded; see the fields marked.")


class HistoryFileInvalid(ValidationFailed):
    """A history file cannot be read at all (not csv or xlsx, wrong encoding, no header)."""

    code = "history_file_invalid"
    default_message = _("The file cannot be read: %(reason)s")


class HistoryImportInvalid(ValidationFailed):
    """The history file has errors (the dry run lists them); nothing was imported."""

    code = "history_import_invalid"
    default_message = _("The file has %(count)s errors; nothing was imported.")
