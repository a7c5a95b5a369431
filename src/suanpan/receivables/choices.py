"""Choices of the receivables app: how money came in, and what became of a receipt."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceiptMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    ACCEPTANCE_BILL = "acceptance_bill", _("Acceptance bill")
    CASH = "cash", _("Cash")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    OTHER = "other", _("Other")


class ReceiptStatus(models.TextChoices):
    POSTED = "posted", _("Posted")
    CANCELLED = "cancelled", _("Cancelled")


class SettlementKind(models.TextChoices):
    """How a settlement (核销) was made: with the receipt, by hand, or by automatic matching."""

    RECEIPT = "receipt", _("With the receipt")
    MANUAL = "manual", _("By hand")
    AUTOMATIC = "automatic", _("Automatic")


class AutoMatchRule(models.TextChoices):
    OLDEST_DUE = "oldest_due", _("Oldest due first")
    REFERENCE = "reference", _("By reference")
