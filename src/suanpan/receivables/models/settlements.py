"""Settlements (核销): what one act of matching settled, as the ledger's matches it made."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField, acted_by_field, created_by_field
from suanpan.receivables.choices import SettlementKind


class Settlement(models.Model):
    """One settlement of a customer's debits (invoices, refunds) against its credits (receipts,
    advances, red invoices). Applying an advance first moves it to the receivable account with
    a transfer voucher (Dr customer advance / Cr receivable). Undone as a whole: its matches
    undone, its transfer reversed in red; the row stays."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    # Indexed by (customer, settled_on) below, not twice.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="settlements",
        verbose_name=_("customer"),
        db_index=False,
    )
    settled_on = models.DateField(_("settled on"))
    kind = models.CharField(_("kind"), max_length=20, choices=SettlementKind.choices)
    amount = MoneyField(_("amount settled"))
    advance_amount = MoneyField(_("advance applied"), default=0)
    receipt = models.ForeignKey(
        "receivables.Receipt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlements",
        verbose_name=_("receipt"),
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    undone_on = models.DateField(_("undone on"), null=True, blank=True)
    undone_by = acted_by_field(_("undone by"))
    # A settlement's history is read by its id; indexes on the copied columns would only be
    # written, once per settlement an automatic run makes.
    history = HistoricalRecords(
        get_user=history_user,
        no_db_index=["number", "customer", "receipt", "created_by", "undone_by"],
    )

    class Meta:
        verbose_name = _("settlement (核销)")
        verbose_name_plural = _("settlements")
        permissions = [("undo_settlement", _("Can undo settlements"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="receivables_settlement_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "settled_on"], name="receivables_settle_customer"),
        ]

    def __str__(self) -> str:
        return self.number


class SettlementLine(models.Model):
    """One match the settlement made: a debit document settled by a credit one. The documents
    are copied from the ledger's open items (which never change), so lists read this table."""

    settlement = models.ForeignKey(
        Settlement, on_delete=models.CASCADE, related_name="lines", verbose_name=_("settlement")
    )
    match = models.OneToOneField("ledger.OpenItemMatch", on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("amount"))
    debit_source_type = models.CharField(max_length=50, blank=True)
    debit_source_id = models.CharField(max_length=50, blank=True)
    debit_label = models.CharField(_("debit"), max_length=200, blank=True)
    credit_source_type = models.CharField(max_length=50, blank=True)
    credit_source_id = models.CharField(max_length=50, blank=True)
    credit_label = models.CharField(_("credit"), max_length=200, blank=True)
    # The advance side of applying an advance: the receipt's advance item against the
    # transfer; shown with the settlement, not as a settled invoice.
    is_transfer = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")
        indexes = [
            models.Index(
                fields=["credit_source_type", "credit_source_id"], name="receivables_line_credit"
            ),
            models.Index(
                fields=["debit_source_type", "debit_source_id"], name="receivables_line_debit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.debit_label} ← {self.credit_label}: {self.amount}"
