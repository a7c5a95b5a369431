from django.utils.translation import gettext_lazy as _

from suanpan.core.errors import ConflictError, DomainError, ValidationFailed


class OrderNotShippable(ConflictError):
    code = "order_not_shippable"
    default_message = _("Order %(number)s is %(status)s and cannot be shipped from.")


class ShipmentExceedsOrder(ValidationFailed):
    code = "shipment_exceeds_order"
    default_message = _(
        "Line %(position)s of order %(number)s (%(product)s): %(quantity)s more cannot ship, "
        "only %(remaining)s remain."
    )


class ReturnExceedsShipped(ValidationFailed):
    code = "return_exceeds_shipped"
    default_message = _(
        "Line %(position)s of order %(number)s (%(product)s): %(quantity)s cannot come back, "
        "only %(shipped)s were shipped."
    )


class InvalidOrderTransition(DomainError):
    code = "invalid_order_transition"
    http_status = 409
    default_message = _("Order %(number)s cannot go from %(from_status)s to %(to_status)s.")


class StageOutcomesIncomplete(ValidationFailed):
    code = "stage_outcomes_incomplete"
    default_message = _(
        "The pipeline needs at least one active open stage, one won stage and one lost stage."
    )


class StageInUse(ConflictError):
    code = "stage_in_use"
    default_message = _(
        "Stage %(name)s holds %(count)s opportunities and cannot be deleted; deactivate it instead."
    )


class StageInactive(ValidationFailed):
    code = "stage_inactive"
    default_message = _("Stage %(name)s is no longer in use; choose an active stage.")


class LossReasonRequired(ValidationFailed):
    code = "loss_reason_required"
    default_message = _("Say why the opportunity was lost.")


class CreditLimitExceeded(DomainError):
    """Confirming would take the customer's exposure past its credit limit.

    Carries the figures, so pages and the API can show them: `limit`, `exposure`, `excess`
    and their parts `receivables`, `open_orders` and `order`.
    """

    code = "credit_limit_exceeded"
    http_status = 409
    default_message = _(
        "Credit limit of %(customer)s exceeded: limit ¥%(limit)s, exposure ¥%(exposure)s "
        "(open receivables ¥%(receivables)s, open orders ¥%(open_orders)s, this order "
        "¥%(order)s), excess ¥%(excess)s. A finance manager can approve it with a reason."
    )


class CreditHoldOverdue(CreditLimitExceeded):
    """The customer owes more than the company's hold days past due: the order waits for a
    finance manager's approval, like an order over the credit limit."""

    code = "credit_hold_overdue"
    default_message = _(
        "%(customer)s owes ¥%(overdue)s more than %(days)s days past due (since %(since)s). "
        "A finance manager can approve the order with a reason."
    )


class CreditHoldPlaced(CreditLimitExceeded):
    """The customer is on credit hold (by dunning or finance): the order waits for a finance
    manager's approval, like an order over the credit limit."""

    code = "credit_hold"
    default_message = _(
        "%(customer)s is on credit hold (%(reason)s). "
        "A finance manager can approve the order with a reason."
    )


class OrderSourceNotUsable(DomainError):
    """A quote or contract that an order cannot be made from (its state or its customer)."""

    code = "order_source_not_usable"
    http_status = 409
    default_message = _("No order can be made from %(source)s: %(reason)s")


class LineProductInactive(ValidationFailed):
    code = "line_product_inactive"
    default_message = _("Line %(position)s: product %(product)s is no longer sold.")


class LineProductUnknown(ValidationFailed):
    code = "line_product_unknown"
    default_message = _("Line %(position)s: there is no product with id %(product_id)s.")


class LinesMissing(ValidationFailed):
    code = "lines_missing"
    default_message = _("Add at least one line.")


class QuoteNotEditable(ConflictError):
    code = "quote_not_editable"
    default_message = _("Quote %(number)s is %(status)s; only draft quotes can be changed.")


class InvalidQuoteTransition(ConflictError):
    code = "invalid_quote_transition"
    default_message = _("Quote %(number)s is %(status)s and cannot be %(action)s.")


class QuoteAlreadyConverted(ConflictError):
    """The quote already has its order (or contract): a second conversion makes none.

    `existing_id` is the primary key of that order or contract, for pages to go there and for
    the API to answer with it."""

    code = "quote_already_converted"
    default_message = _("Quote %(number)s was already converted to %(document)s.")


class ContractNumberTaken(ValidationFailed):
    code = "contract_number_taken"
    default_message = _("Contract number %(number)s is already taken.")


class ContractNotEditable(ConflictError):
    code = "contract_not_editable"
    default_message = _("Contract %(number)s is %(status)s and can no longer be changed.")


class InvalidContractTransition(ConflictError):
    code = "invalid_contract_transition"
    default_message = _("Contract %(number)s is %(status)s and cannot be %(action)s.")


class PaymentPlanInvalid(ValidationFailed):
    code = "payment_plan_invalid"
    default_message = _("The payment plan does not add up to the contract.")


class AttachmentRefused(ValidationFailed):
    code = "attachment_refused"
    default_message = _("This file cannot be attached.")


class OrderNotInvoiceable(ConflictError):
    code = "order_not_invoiceable"
    default_message = _("Order %(number)s is %(status)s and cannot be invoiced.")


class InvoiceExceedsOrder(ValidationFailed):
    code = "invoice_exceeds_order"
    default_message = _(
        "Line %(position)s of order %(number)s (%(product)s): %(quantity)s cannot be invoiced, "
        "only %(remaining)s remain."
    )
