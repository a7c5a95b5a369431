from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.core.badges import badge_tones


class StageOutcome(models.TextChoices):
    """Whether an opportunity in this stage is still being worked, won or lost."""

    OPEN = "open", pgettext_lazy("opportunity", "Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("document", "Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", pgettext_lazy("document", "Cancelled")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("document", "Draft")
    ACTIVE = "active", pgettext_lazy("contract", "In force")
    COMPLETED = "completed", pgettext_lazy("contract", "Completed")
    TERMINATED = "terminated", _("Terminated")


badge_tones(
    "contract",
    {
        ContractStatus.DRAFT: "text-bg-secondary",
        ContractStatus.ACTIVE: "text-bg-success",
        ContractStatus.COMPLETED: "text-bg-primary",
    },
    other="text-bg-danger",
    labels=ContractStatus,
)


class OrderStatus(models.TextChoices):
    """draft → confirmed → picking (备货) → partly shipped → shipped → completed, or cancelled."""

    DRAFT = "draft", pgettext_lazy("document", "Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    PICKING = "picking", _("Picking")
    PARTLY_SHIPPED = "partly_shipped", _("Partly shipped")
    SHIPPED = "shipped", _("Shipped")
    COMPLETED = "completed", pgettext_lazy("order", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("document", "Cancelled")


badge_tones(
    "order",
    {
        OrderStatus.DRAFT: "rounded-pill text-bg-light border",
        OrderStatus.CONFIRMED: "rounded-pill text-bg-primary",
        OrderStatus.PICKING: "rounded-pill text-bg-info",
        OrderStatus.PARTLY_SHIPPED: "rounded-pill text-bg-warning",
        OrderStatus.SHIPPED: "rounded-pill text-bg-success",
        OrderStatus.COMPLETED: "rounded-pill text-bg-secondary",
    },
    other="rounded-pill text-bg-danger",
    labels=OrderStatus,
)


# A quote becomes an order or a contract once the customer has it: sent or accepted.
QUOTE_CONVERTIBLE_STATUSES = (QuoteStatus.SENT, QuoteStatus.ACCEPTED)

# Orders in these states still hold the customer's credit (open orders).
ORDER_OPEN_STATUSES = (
    OrderStatus.CONFIRMED,
    OrderStatus.PICKING,
    OrderStatus.PARTLY_SHIPPED,
)
# Orders in these states can still be shipped from.
ORDER_SHIPPABLE_STATUSES = (
    OrderStatus.CONFIRMED,
    OrderStatus.PICKING,
    OrderStatus.PARTLY_SHIPPED,
)


class OrderActivityKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("order activity", "Created")
    CHANGED = "changed", pgettext_lazy("order activity", "Changed")
    STATUS = "status", _("Status changed")
    CREDIT_APPROVED = "credit_approved", _("Credit limit exceeded, approved")
    SHIPMENT = "shipment", _("Shipment")
    RETURN = "return", _("Return")
    INVOICE = "invoice", pgettext_lazy("order activity", "Invoiced")
    NOTE = "note", _("Note")


# Orders that may be invoiced: confirmed and not cancelled.
ORDER_INVOICEABLE_STATUSES = (
    OrderStatus.CONFIRMED,
    OrderStatus.PICKING,
    OrderStatus.PARTLY_SHIPPED,
    OrderStatus.SHIPPED,
    OrderStatus.COMPLETED,
)
