"""Quotes and their lines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.sales.choices import (
    QuoteStatus,
)
from suanpan.sales.models.common import DocumentLine, DocumentTotals
from suanpan.sales.models.opportunities import Opportunity


class Quote(DocumentTotals):
    """A quote (报价单) to a customer; accepted quotes become contracts or orders."""

    number = models.CharField(_("quote number"), max_length=30, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="quotes",
        verbose_name=_("customer"),
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("opportunity"),
    )
    quoted_on = models.DateField(_("quote date"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=20, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quotes",
        verbose_name=_("owner"),
    )
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    terms = models.TextField(_("terms"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], get_user=history_user)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-quoted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("quoted_on")), name="sales_quote_valid_after_date"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-quoted_on"], name="sales_quote_customer"),
            models.Index(fields=["-quoted_on", "-id"], name="sales_quote_list"),
        ]

    def __str__(self) -> str:
        return self.number


class QuoteLine(DocumentLine):
    quote = models.ForeignKey(
        Quote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("quote")
    )

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["quote", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "position"], name="sales_quote_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_quote_line_quantity"),
        ]
