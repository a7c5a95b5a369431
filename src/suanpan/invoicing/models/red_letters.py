"""Red-letter confirmation forms (红字发票信息确认单) and their lines."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField, QuantityField, created_by_field
from suanpan.invoicing.choices import RedFormStatus, RedInitiator, RedReason
from suanpan.invoicing.models.invoices import Invoice, InvoiceLine


class RedLetterForm(models.Model):
    """The confirmation form a red invoice needs: what is reversed, why, and who agreed."""

    number = models.CharField(_("form number"), max_length=30, unique=True, editable=False)
    # The platform's own number for the form, when it gave one.
    platform_number = models.CharField(_("platform form number"), max_length=40, blank=True)
    blue_invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="red_forms", verbose_name=_("invoice")
    )
    initiator = models.CharField(_("entered by"), max_length=1, choices=RedInitiator.choices)
    reason = models.CharField(_("reason"), max_length=2, choices=RedReason.choices)
    status = models.CharField(_("status"), max_length=2, choices=RedFormStatus.choices)
    is_full = models.BooleanField(_("full reversal"), default=False)
    entered_at = models.DateTimeField(_("entered at"))
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("confirmed or voided at"), null=True, blank=True)
    # Where returned goods go back to (销货退回).
    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("return warehouse"),
    )
    net_amount = MoneyField(_("amount excluding tax"), default=0)
    tax_amount = MoneyField(_("tax"), default=0)
    red_invoice = models.OneToOneField(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="red_form",
        verbose_name=_("red invoice"),
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_by = created_by_field()
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("red-letter confirmation form")
        verbose_name_plural = _("red-letter confirmation forms")
        ordering = ["-entered_at", "-id"]
        permissions = [("issue_redletter", _("Can issue red-letter invoices"))]

    def __str__(self) -> str:
        return self.number


class RedLetterLine(models.Model):
    """How much of one blue line the form reverses (positive here; the red invoice negates)."""

    form = models.ForeignKey(
        RedLetterForm, on_delete=models.CASCADE, related_name="lines", verbose_name=_("form")
    )
    blue_line = models.ForeignKey(
        InvoiceLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("invoice line")
    )
    quantity = QuantityField(_("quantity"), null=True, blank=True)
    net_amount = MoneyField(_("amount excluding tax"))
    tax_amount = MoneyField(_("tax"))

    class Meta:
        verbose_name = _("red-letter line")
        verbose_name_plural = _("red-letter lines")
        ordering = ["form", "blue_line__position"]
        constraints = [
            models.UniqueConstraint(fields=["form", "blue_line"], name="invoicing_red_line_once"),
            models.CheckConstraint(
                condition=Q(net_amount__gte=0) & Q(tax_amount__gte=0),
                name="invoicing_red_line_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blue_line_id}: {self.net_amount}"
