from django.utils.translation import gettext_lazy as _

from suanpan.core.errors import ConflictError, DomainError, ValidationFailed


class ReceiptInvalid(ValidationFailed):
    code = "receipt_invalid"
    default_message = _("The receipt cannot be saved; see the fields marked.")


class ReceiptNotInStatus(ConflictError):
    code = "wrong_status"
    default_message = _("Receipt %(number)s is %(status)s; this cannot be done now.")


class RefundInvalid(ValidationFailed):
    code = "refund_invalid"
    default_message = _("The refund cannot be saved; see the fields marked.")


class RefundExceeds(ConflictError):
    """More than the customer has in advances and credits: also what the second of two racing
    refunds gets."""

    code = "refund_exceeds_credit"
    default_message = _(
        "The customer has %(available)s in advances and credits to refund, not %(amount)s."
    )


class RefundNotInStatus(ConflictError):
    code = "wrong_status"
    default_message = _("Refund %(number)s is %(status)s; this cannot be done now.")


class SettlementInvalid(ValidationFailed):
    code = "settlement_invalid"
    default_message = _("The settlement cannot be made: %(reason)s")


class SettlementExceeds(ConflictError):
    """More than an item still has open: also what the second of two racing requests gets."""

    code = "settlement_exceeds_open"
    default_message = _("%(document)s has %(open)s open; %(amount)s cannot be settled against it.")


class SettlementUndone(ConflictError):
    code = "settlement_undone"
    default_message = _("Settlement %(number)s was undone already.")


class StatementInvalid(ValidationFailed):
    """The file, its mapping or a line of it cannot be imported; nothing was imported."""

    code = "statement_invalid"
    default_message = _("The bank statement cannot be imported: %(reason)s")


class BankLineNotUnmatched(ConflictError):
    """The line was confirmed or ignored already: also what the second of two racing
    confirmations gets."""

    code = "bank_line_handled"
    default_message = _("Bank line %(line)s is %(status)s already.")


class ReceivablesSettingsInvalid(ValidationFailed):
    code = "receivables_settings_invalid"
    default_message = _("The receivables settings cannot be saved; see the fields marked.")


class BadDebtInvalid(ValidationFailed):
    """A provision, write-off or recovery with bad input; nothing was recorded."""

    code = "bad_debt_invalid"
    default_message = _("This cannot be recorded; see the fields marked.")


class ProvisionNotUsed(ConflictError):
    """The books keep no bad-debt provision: 小企业会计准则, or no provision account mapped."""

    code = "provision_not_used"
    default_message = _(
        "These books keep no bad-debt provision (%(reason)s); losses are written off directly."
    )


class WriteOffNotInStatus(ConflictError):
    """Also what the second of two racing approvals gets."""

    code = "writeoff_wrong_status"
    default_message = _("Write-off %(number)s is %(status)s; this cannot be done now.")


class WriteOffOwnApproval(ConflictError):
    code = "writeoff_own_approval"
    default_message = _("Write-off %(number)s was made by you; another user must approve it.")


class WriteOffExceeds(ConflictError):
    code = "writeoff_exceeds_open"
    default_message = _("%(document)s has %(open)s open; %(amount)s cannot be written off.")


class RecoveryExceeds(ConflictError):
    code = "recovery_exceeds_written_off"
    default_message = _(
        "Write-off %(number)s has %(left)s left to recover; %(amount)s is more than that."
    )


class CustomerStatementInvalid(ValidationFailed):
    """A statement or confirmation cannot be made, sent or answered as asked; nothing was
    written."""

    code = "customer_statement_invalid"
    default_message = _("The statement cannot be saved; see the fields marked.")


class CustomerStatementAnswered(ConflictError):
    """The balance was confirmed or disputed already: also what a reused link gets."""

    code = "customer_statement_answered"
    default_message = _("Statement %(number)s was answered already (%(status)s).")


class StatementLinkInvalid(DomainError):
    """A statement link that was changed or cut short: nothing is recorded."""

    code = "statement_link_invalid"
    http_status = 400
    default_message = _(
        "This statement link is not valid. Please ask the sender for the link again."
    )


class StatementLinkExpired(DomainError):
    code = "statement_link_expired"
    http_status = 410
    default_message = _("This statement link has expired. Please ask the sender for a new link.")


class StatementLinkThrottled(DomainError):
    """Too many requests for one link from one address in a short time."""

    code = "statement_link_throttled"
    http_status = 429
    default_message = _(
        "Too many requests for this statement. Please wait a few minutes and try again."
    )


class DunningInvalid(ValidationFailed):
    """A dunning level, promise to pay or customer setting that cannot be saved."""

    code = "dunning_invalid"
    default_message = _("This cannot be saved; see the fields marked.")


class DunningAlreadyRun(ConflictError):
    """Dunning runs once a day: also what the second of two racing runs gets."""

    code = "dunning_already_run"
    default_message = _("Dunning has run for %(on)s already.")


class PromiseNotOpen(ConflictError):
    code = "promise_not_open"
    default_message = _("This promise to pay is %(status)s already.")


class TaskDone(ConflictError):
    code = "collection_task_done"
    default_message = _("This collection task was done already.")
