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


class BankLineStatus(models.TextChoices):
    """What became of a bank statement line: waiting in the queue, made a receipt, set aside,
    or money paid out (kept with the statement, never suggested)."""

    UNMATCHED = "unmatched", _("Unmatched")
    CONFIRMED = "confirmed", _("Confirmed")
    IGNORED = "ignored", _("Ignored")
    OUTGOING = "outgoing", _("Paid out")


class SuggestionReason(models.TextChoices):
    """Why a bank line suggests its customer, strongest first."""

    PAYER_ACCOUNT = "payer_account", _("Payer account seen before")
    INVOICE_NUMBER = "invoice_number", _("Invoice number in the remark")
    PAYER_NAME = "payer_name", _("Payer name is the customer's")
    ORDER_NUMBER = "order_number", _("Order number in the remark")
    AMOUNT = "amount", _("Amount of an open invoice")


class DunningLanguage(models.TextChoices):
    """The language a customer's dunning letters (催款函) are written in."""

    ZH = "zh-hans", _("Chinese")
    EN = "en", _("English")


class LetterStatus(models.TextChoices):
    """What became of a customer's dunning letter in a run: e-mailed, recorded without an
    e-mail (its level only acts), skipped with a reason, or the e-mail failed."""

    SENT = "sent", _("Sent")
    RECORDED = "recorded", _("Recorded")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class SkipReason(models.TextChoices):
    EXCLUDED = "excluded", _("Excluded from dunning")
    PROMISE = "promise", _("Promised to pay")
    NO_EMAIL = "no_email", _("No e-mail address")
    # Receipts or advances not yet settled cover what is overdue: settle (核销), do not dun.
    CREDITS = "credits", _("Unsettled receipts cover it")


class PromiseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")
