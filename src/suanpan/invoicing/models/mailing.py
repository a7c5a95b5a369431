"""The mailing register (发票寄送): paper or printed invoices sent to the customer."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.core.fields import created_by_field
from suanpan.invoicing.choices import MailingStatus
from suanpan.invoicing.models.invoices import Invoice


class InvoiceMailing(models.Model):
    """One sending of one or more invoices to the customer, and when it arrived."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="mailings", verbose_name=_("invoice")
    )
    sent_on = models.DateField(_("sent on"))
    courier = models.CharField(_("courier company"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    recipient = models.CharField(_("recipient"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=MailingStatus.choices, default=MailingStatus.SENT
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    confirmed_by_customer = models.BooleanField(_("confirmed by the customer"), default=False)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("invoice mailing")
        verbose_name_plural = _("invoice mailings")
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["status", "sent_on"], name="invoicing_mailing_status"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.sent_on:%Y-%m-%d}"
