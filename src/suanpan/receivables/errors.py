from django.utils.translation import gettext_lazy as _

from suanpan.core.errors import ConflictError, ValidationFailed


class ReceiptInvalid(ValidationFailed):
    code = "receipt_invalid"
    default_message = _("The receipt cannot be saved; see the fields marked.")


class ReceiptNotInStatus(ConflictError):
    code = "wrong_status"
    default_message = _("Receipt %(number)s is %(status)s; this cannot be done now.")


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
