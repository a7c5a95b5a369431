"""Receipts (收款单) and the company's bank accounts money comes into."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField, acted_by_field, created_by_field
from suanpan.receivables.choices import ReceiptMethod, ReceiptStatus


class BankAccount(models.Model):
    """One of the company's own accounts (收款账户): where a receipt came in, and the account a
    bank statement belongs to. All post to the ledger's `bank` role."""

    name = models.CharField(_("name"), max_length=100)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    account_number = models.CharField(_("account number"), max_length=40, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    # How this bank's statement files are read (calculations.bank_layouts.Mapping as JSON);
    # empty until a mapping is saved, when a file is read by the preset it matches.
    statement_mapping = models.JSONField(_("statement column mapping"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("bank account (收款账户)")
        verbose_name_plural = _("bank accounts")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.account_number[-4:]}"


class PostedDocument(models.Model):
    """What a receipt and a refund share: posted when recorded, cancelled by a red voucher on a
    day, by someone, for a reason — never deleted."""

    status = models.CharField(
        _("status"), max_length=20, choices=ReceiptStatus.choices, default=ReceiptStatus.POSTED
    )
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancelled_by = acted_by_field(_("cancelled by"))
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        abstract = True


class Receipt(PostedDocument):
    """Money a customer paid (收款单). Posted when recorded: Dr bank (notes receivable for an
    acceptance bill, cash for cash) / Cr receivable for what it settles at once, Cr customer
    advance for the rest. Cancelled by a red voucher, never deleted."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name=_("customer"),
    )
    received_on = models.DateField(_("received on"))
    amount = MoneyField(_("amount"))
    method = models.CharField(
        _("method"),
        max_length=20,
        choices=ReceiptMethod.choices,
        default=ReceiptMethod.BANK_TRANSFER,
    )
    bank_account = models.ForeignKey(
        BankAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
        verbose_name=_("bank account"),
    )
    bill_number = models.CharField(_("bill number"), max_length=40, blank=True)
    bill_matures_on = models.DateField(_("bill maturity"), null=True, blank=True)
    payer_name = models.CharField(_("payer name"), max_length=200, blank=True)
    payer_account = models.CharField(_("payer account"), max_length=40, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("receipt (收款单)")
        verbose_name_plural = _("receipts")
        permissions = [("cancel_receipt", _("Can cancel receipts"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receivables_receipt_positive"),
        ]
        indexes = [
            models.Index(fields=["customer", "received_on"], name="receivables_receipt_customer"),
            models.Index(fields=["received_on", "id"], name="receivables_receipt_date"),
            # Payers seen before suggest the customer of a bank line.
            models.Index(fields=["payer_account"], name="receivables_receipt_payer"),
        ]

    def __str__(self) -> str:
        return self.number
