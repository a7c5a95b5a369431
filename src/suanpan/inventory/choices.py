from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.core.badges import badge_tones


class MoveKind(models.TextChoices):
    RECEIPT = "receipt", _("Goods receipt")
    ADJUSTMENT = "adjustment", _("Stock adjustment")
    DELIVERY = "delivery", _("Delivery")
    RETURN = "return", _("Customer return")


class StockDocumentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("document", "Draft")
    POSTED = "posted", pgettext_lazy("stock", "Posted")
    CANCELLED = "cancelled", pgettext_lazy("document", "Cancelled")


badge_tones(
    "stock_document",
    {
        StockDocumentStatus.POSTED: "text-bg-success",
        StockDocumentStatus.CANCELLED: "text-bg-secondary",
    },
    other="text-bg-warning",
    labels=StockDocumentStatus,
)


class DeliveryStatus(models.TextChoices):
    """draft → shipped (stock out) → signed for (签收, revenue on delivery); or cancelled."""

    DRAFT = "draft", pgettext_lazy("document", "Draft")
    SHIPPED = "shipped", pgettext_lazy("delivery", "Shipped")
    SIGNED = "signed", _("Signed for")
    CANCELLED = "cancelled", pgettext_lazy("document", "Cancelled")


badge_tones(
    "delivery",
    {
        DeliveryStatus.DRAFT: "text-bg-secondary",
        DeliveryStatus.SHIPPED: "text-bg-info",
        DeliveryStatus.SIGNED: "text-bg-success",
    },
    other="text-bg-light border",
    labels=DeliveryStatus,
)
