"""Files exchanged with the tax platform, and the invoicing settings."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from suanpan.core.fields import created_by_field
from suanpan.invoicing.choices import BatchKind, BatchStatus


class InvoiceBatch(models.Model):
    """One file in or out (批次): a batch-issue workbook, a failure file, an issued export, an
    XML invoice or a history import, with what it did."""

    number = models.CharField(_("batch number"), max_length=30, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=BatchKind.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    matched_count = models.PositiveIntegerField(_("matched"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A history import runs in the background: where it is, how far, and what it found.
    status = models.CharField(
        _("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.DONE
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=100, validators=[MaxValueValidator(100)]
    )
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        verbose_name = _("invoicing batch")
        verbose_name_plural = _("invoicing batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class InvoicingSettings(models.Model):
    """One row: how the company handles invoices after issuing them."""

    due_from_received = models.BooleanField(
        _("due dates count from the received date"),
        default=False,
        help_text=_(
            "When the customer confirms receipt, the invoice's due dates move to the received "
            "date plus the payment terms."
        ),
    )
    unconfirmed_after_days = models.PositiveSmallIntegerField(
        _("days before a sent invoice counts as unconfirmed"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name = _("invoicing settings")
        verbose_name_plural = _("invoicing settings")

    def __str__(self) -> str:
        return str(_("invoicing settings"))
