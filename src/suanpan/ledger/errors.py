from collections.abc import Sequence
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from suanpan.core.errors import ConflictError, DomainError, NotFound, ValidationFailed


class LedgerNotSetUp(DomainError):
    code = "ledger_not_set_up"
    default_message = _("The company's books are not set up yet.")


class LedgerAlreadySetUp(ConflictError):
    code = "ledger_already_set_up"
    default_message = _("The company's books are already set up.")


class PeriodClosed(ConflictError):
    code = "period_closed"
    default_message = _("Period %(period)s is closed; nothing can be posted into it.")


class PeriodBeforeStart(DomainError):
    code = "period_before_start"
    default_message = _("%(date)s is before the first period of the books (%(period)s).")


class PeriodCloseFailed(ConflictError):
    code = "period_close_failed"
    default_message = _("Period %(period)s cannot be closed: %(problems)s")


class PeriodStateInvalid(ConflictError):
    code = "period_state_invalid"
    default_message = _("Period %(period)s is not in a state that allows this.")


class VoucherInvalid(ValidationFailed):
    code = "voucher_invalid"
    default_message = _("The voucher is not valid.")


class VoucherUnbalanced(ValidationFailed):
    code = "voucher_unbalanced"
    default_message = _("Debits (%(debit)s) and credits (%(credit)s) do not balance.")


class VoucherStateInvalid(ConflictError):
    code = "voucher_state_invalid"
    default_message = _("Voucher %(voucher)s is %(status)s; this is not possible now.")


class VoucherMakerCannotReview(DomainError):
    code = "voucher_maker_cannot_review"
    default_message = _("The maker of a voucher cannot review it.")


class VoucherAlreadyReversed(ConflictError):
    code = "voucher_already_reversed"
    default_message = _("Voucher %(voucher)s was reversed already.")


class AccountRoleNotMapped(DomainError):
    code = "account_role_not_mapped"
    default_message = _("No account plays the role “%(role)s”; map it in the company settings.")


class AccountInUse(ConflictError):
    code = "account_in_use"
    default_message = _("Account %(account)s has postings and cannot be deleted; deactivate it.")


class AccountInvalid(ValidationFailed):
    code = "account_invalid"
    default_message = _("The account is not valid.")


class DimensionNotFound(NotFound):
    code = "dimension_not_found"
    default_message = _("No auxiliary dimension %(kind)s %(code)s.")


class OpenItemMatchInvalid(DomainError):
    code = "open_item_match_invalid"
    default_message = _("These items cannot be matched: %(reason)s")


class OpenItemMatchExceeds(ConflictError):
    code = "open_item_match_exceeds"
    default_message = _("%(amount)s is more than the open amount (%(open)s) of an item.")


class TransferTemplateInvalid(ValidationFailed):
    code = "transfer_template_invalid"
    default_message = _("The transfer template is not valid.")


class TransferTemplateInUse(ConflictError):
    code = "transfer_template_in_use"
    default_message = _(
        "Transfer template %(template)s has posted vouchers and cannot be deleted; deactivate it."
    )


class TransferNotAvailable(ConflictError):
    code = "transfer_not_available"
    default_message = _("This transfer cannot run for %(period)s: %(reason)s")


class TransferOutOfOrder(ConflictError):
    code = "transfer_out_of_order"
    default_message = _("Run these first for %(period)s: %(first)s.")


class TransferUnbalanced(ConflictError):
    code = "transfer_unbalanced"
    default_message = _("Transfer template %(template)s cannot run: %(reason)s.")


class TransferUnknown(ValidationFailed):
    code = "transfer_unknown"
    default_message = _(
        "Unknown transfers: %(names)s. Name vat, templates, template:<id>, pnl or year-end."
    )


class VoucherNotFound(NotFound):
    code = "voucher_not_found"
    default_message = _("No voucher with the id %(ids)s.")


class VoucherSelectionTooLarge(ValidationFailed):
    code = "voucher_selection_too_large"
    default_message = _("At most %(limit)s vouchers at once; narrow the range or the selection.")


class Refusal(NamedTuple):
    """One voucher a batch action refused: its place in the selection, id, number and why."""

    position: int
    voucher_id: int
    number: str
    reason: str


class VoucherBatchRefused(ConflictError):
    """A batch review or post refused whole; `refusals` names every voucher refused and why,
    and the API's fields name them by their place in the request (`ids.3`)."""

    code = "voucher_batch_refused"
    default_message = _("Nothing was changed; these vouchers were refused: %(refusals)s")

    def __init__(self, refusals: Sequence[Refusal]) -> None:
        self.refusals = list(refusals)
        super().__init__(
            fields={f"ids.{r.position}": [f"{r.number}: {r.reason}"] for r in self.refusals},
            refusals="; ".join(f"{r.number}: {r.reason}" for r in self.refusals),
        )


class StatementDefinitionInvalid(ValidationFailed):
    code = "statement_definition_invalid"
    default_message = _("The statement definition is not valid.")


class CashFlowMappingInvalid(ValidationFailed):
    code = "cash_flow_mapping_invalid"
    default_message = _("The cash-flow mapping is not valid.")


class CashFlowItemInvalid(ValidationFailed):
    code = "cash_flow_item_invalid"
    default_message = _("These cash-flow items cannot be set.")
