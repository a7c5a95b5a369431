"""Refunds (退款单): money paid back to a customer out of what it has paid in advance or over."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField
from suanpan.receivables.choices import RefundMethod
from suanpan.receivables.models.receipts import BankAccount, PostedDocument


class Refund(PostedDocument):
    """Money paid back to a customer (退款单). Posted when recorded: Dr customer advance for what
    comes out of advances, Dr receivable for what comes out of credits on the receivable account
    (an overpayment, a red letter) / Cr bank or cash; the credits it uses are matched against it.
    Cancelled by a red voucher, never deleted."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="refunds",
        verbose_name=_("customer"),
    )
    refunded_on = models.DateField(_("refunded on"))
    amount = MoneyField(_("amount"))
    method = models.CharField(
        _("method"),
        max_length=20,
        choices=RefundMethod.choices,
        default=RefundMethod.BANK_TRANSFER,
    )
    bank_account = models.ForeignKey(
        BankAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
        verbose_name=_("bank account"),
    )
    payee_name = models.CharField(_("payee name"), max_length=200, blank=True)
    payee_account = models.CharField(_("payee account"), max_length=40, blank=True)
    reason = models.CharField(_("reason for the refund"), max_length=300)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("refund (退款单)")
        verbose_name_plural = _("refunds")
        permissions = [("cancel_refund", _("Can cancel refunds"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receivables_refund_positive"),
        ]
        indexes = [
            models.Index(fields=["customer", "refunded_on"], name="receivables_refund_customer"),
            models.Index(fields=["refunded_on", "id"], name="receivables_refund_date"),
        ]

    def __str__(self) -> str:
        return self.number


class RefundLine(models.Model):
    """One credit the refund paid back: the ledger's match of the refund's debit with it. The
    credit's document is copied from the open item (which never changes), so pages read this
    table."""

    refund = models.ForeignKey(
        Refund, on_delete=models.CASCADE, related_name="lines", verbose_name=_("refund")
    )
    match = models.OneToOneField("ledger.OpenItemMatch", on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("amount"))
    credit_source_type = models.CharField(max_length=50, blank=True)
    credit_source_id = models.CharField(max_length=50, blank=True)
    credit_label = models.CharField(_("credit"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("refund line")
        verbose_name_plural = _("refund lines")

    def __str__(self) -> str:
        return f"{self.refund} ← {self.credit_label}: {self.amount}"
