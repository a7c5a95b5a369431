"""Opportunities, their stages and product lines."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField, QuantityField
from suanpan.sales.choices import (
    StageOutcome,
)
from suanpan.sales.models.common import RATE_VALIDATORS


class OpportunityStage(models.Model):
    """A step of the sales pipeline with its win probability (e.g. 方案报价 50%)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    probability = models.DecimalField(
        _("win probability"), max_digits=5, decimal_places=4, validators=RATE_VALIDATORS
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=StageOutcome.choices, default=StageOutcome.OPEN
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("opportunity stage")
        verbose_name_plural = _("opportunity stages")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=0) & Q(probability__lte=1),
                name="sales_stage_probability_fraction",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Opportunity(models.Model):
    """An opportunity (商机): a sale being worked towards, weighted by its stage."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("customer"),
    )
    title = models.CharField(_("title"), max_length=200)
    amount = MoneyField(_("amount"), default=0, validators=[MinValueValidator(Decimal(0))])
    expected_close_on = models.DateField(_("expected close date"))
    stage = models.ForeignKey(
        OpportunityStage,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("stage"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("owner"),
    )
    competitor = models.CharField(_("competitor"), max_length=200, blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    loss_reason = models.CharField(_("loss reason"), max_length=300, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The id the opportunity had in the system it was imported from: importing the same file
    # again updates these opportunities instead of creating them twice.
    external_ref = models.CharField(
        _("external reference"), max_length=100, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], get_user=history_user)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["expected_close_on", "id"]
        permissions = [("view_all_opportunities", _("Can see every opportunity"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="sales_opportunity_amount"),
        ]
        indexes = [
            models.Index(fields=["stage", "expected_close_on"], name="sales_opp_stage_close"),
            models.Index(fields=["owner", "expected_close_on"], name="sales_opp_owner_close"),
        ]

    def __str__(self) -> str:
        return self.title


class OpportunityLine(models.Model):
    """A product the opportunity is about, with its quantity: no price (the amount stays the
    opportunity's); prices come with the quote. Lines come from the import."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="lines", verbose_name=_("opportunity")
    )
    position = models.PositiveIntegerField(_("line"))
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = QuantityField(_("quantity"))

    class Meta:
        verbose_name = _("opportunity product line")
        verbose_name_plural = _("opportunity product lines")
        ordering = ["opportunity", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="sales_opportunity_line_quantity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.product}"
