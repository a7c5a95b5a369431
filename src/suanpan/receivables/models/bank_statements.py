"""Bank statements (银行流水): each import of a file, and its lines waiting to become receipts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suanpan.core.fields import MoneyField, acted_by_field, created_by_field
from suanpan.receivables.choices import BankLineStatus, SuggestionReason


class StatementImport(models.Model):
    """One statement file imported into a bank account, with what it added and the mapping it
    was read with (a saved mapping may change later)."""

    bank_account = models.ForeignKey(
        "receivables.BankAccount",
        on_delete=models.PROTECT,
        related_name="statement_imports",
        verbose_name=_("bank account"),
    )
    file_name = models.CharField(_("file name"), max_length=200)
    preset = models.CharField(_("layout"), max_length=10, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict)
    row_count = models.PositiveIntegerField(_("lines in the file"), default=0)
    added_count = models.PositiveIntegerField(_("lines added"), default=0)
    duplicate_count = models.PositiveIntegerField(_("duplicates"), default=0)
    outgoing_count = models.PositiveIntegerField(_("paid out"), default=0)
    suggested_count = models.PositiveIntegerField(_("with a suggestion"), default=0)
    created_by = created_by_field()
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class BankLine(models.Model):
    """A line of a bank statement. Money received waits unmatched until it is confirmed as a
    receipt or ignored with a reason; money paid out is kept as such and never suggested.

    A line comes in once: by its bank serial (交易流水号) when the file has one, else by a
    hash of what it says, so importing a file again adds nothing."""

    bank_account = models.ForeignKey(
        "receivables.BankAccount",
        on_delete=models.PROTECT,
        related_name="statement_lines",
        verbose_name=_("bank account"),
    )
    statement_import = models.ForeignKey(
        StatementImport,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("import"),
    )
    row_number = models.PositiveIntegerField(_("row"))
    booked_on = models.DateField(_("date"))
    booked_at = models.TimeField(_("time"), null=True, blank=True)
    amount = MoneyField(_("amount"))
    balance = MoneyField(_("balance"), null=True, blank=True)
    counterparty_name = models.CharField(_("counterparty"), max_length=200, blank=True)
    counterparty_account = models.CharField(_("counterparty account"), max_length=40, blank=True)
    counterparty_bank = models.CharField(_("counterparty bank"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    serial = models.CharField(_("bank serial"), max_length=100, blank=True)
    content_hash = models.CharField(max_length=64)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=BankLineStatus.choices,
        default=BankLineStatus.UNMATCHED,
    )
    receipt = models.OneToOneField(
        "receivables.Receipt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_line",
        verbose_name=_("receipt"),
    )
    ignore_reason = models.CharField(_("reason for ignoring"), max_length=300, blank=True)
    handled_by = acted_by_field(_("handled by"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    suggested_customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested customer"),
    )
    suggestion_reason = models.CharField(
        _("why suggested"), max_length=20, choices=SuggestionReason.choices, blank=True
    )
    suggestion_detail = models.CharField(_("suggestion detail"), max_length=100, blank=True)
    # [[open item id, "amount"], …]: the invoices the line seems to pay, for the confirm screen.
    suggested_allocations = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receivables_bankline_positive"),
            # Serial first after the account: the duplicate check looks lines up by serial.
            models.UniqueConstraint(
                fields=["bank_account", "serial", "booked_on", "amount"],
                condition=~Q(serial=""),
                name="receivables_bankline_serial",
            ),
            models.UniqueConstraint(
                fields=["bank_account", "content_hash"],
                condition=Q(serial=""),
                name="receivables_bankline_content",
            ),
            models.CheckConstraint(
                condition=Q(status=BankLineStatus.CONFIRMED, receipt__isnull=False)
                | (~Q(status=BankLineStatus.CONFIRMED) & Q(receipt__isnull=True)),
                name="receivables_bankline_receipt",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "booked_on", "id"], name="receivables_bankline_queue"),
            models.Index(fields=["bank_account", "booked_on"], name="receivables_bankline_account"),
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.amount} {self.counterparty_name}"
