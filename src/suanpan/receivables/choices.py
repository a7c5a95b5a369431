"""Choices of the receivables app: how money came in, and what became of a receipt."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.core.badges import badge_tones


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


badge_tones(
    "receipt",
    {ReceiptStatus.CANCELLED: "text-bg-secondary"},
    other="text-bg-success",
    labels=ReceiptStatus,
)


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


class RefundMethod(models.TextChoices):
    """How money went back to the customer."""

    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")


class PlanStatus(models.TextChoices):
    """Where a payment plan's instalment stands: received in full, else overdue, else invoiced
    in full, else by its due date."""

    NOT_DUE = "not_due", _("Not due")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    INVOICED = "invoiced", pgettext_lazy("payment plan", "Invoiced")
    RECEIVED = "received", pgettext_lazy("payment plan", "Received")


class ProvisionBucket(models.IntegerChoices):
    """The provision matrix's ageing buckets (calculations.provisions.PROVISION_BUCKETS)."""

    WITHIN_1_YEAR = 0, _("Within 1 year")
    YEARS_1_2 = 1, _("1–2 years")
    YEARS_2_3 = 2, _("2–3 years")
    YEARS_3_5 = 3, _("3–5 years")
    OVER_5_YEARS = 4, _("Over 5 years")


class WriteOffStatus(models.TextChoices):
    """A write-off waits as a draft for another user's approval, which posts it at once."""

    DRAFT = "draft", _("Awaiting approval")
    POSTED = "posted", _("Approved and posted")
    CANCELLED = "cancelled", _("Cancelled")
    REVERSED = "reversed", pgettext_lazy("write-off", "Reversed")


class StatementKind(models.TextChoices):
    """A statement of account (对账单) lists the movements; a confirmation (询证函) asks the
    customer to confirm the balance in writing."""

    STATEMENT = "statement", _("Statement of account")
    CONFIRMATION = "confirmation", _("Balance confirmation")


class StatementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("statement", "Not sent")
    SENT = "sent", pgettext_lazy("statement", "Sent")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")


badge_tones(
    "statement",
    {
        StatementStatus.CONFIRMED: "text-bg-success",
        StatementStatus.DISPUTED: "text-bg-danger",
        StatementStatus.SENT: "text-bg-primary",
    },
    other="text-bg-secondary",
    labels=StatementStatus,
)


class StatementAnswer(models.TextChoices):
    """What the customer says of the balance: the two answers a statement can end with."""

    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")


class StatementEventKind(models.TextChoices):
    VIEWED = "viewed", _("Viewed")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")
    SENT = "sent", _("Sent")
    MARKED = "marked", _("Marked")


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
