"""Contracts with payment plans and attachments."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField, created_by_field
from suanpan.sales.choices import (
    ContractStatus,
)
from suanpan.sales.models.common import RATE_VALIDATORS
from suanpan.sales.models.quotes import Quote


class Contract(models.Model):
    """A sales contract (合同) with its payment plan (回款计划)."""

    number = models.CharField(_("contract number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("customer"),
    )
    quote = models.ForeignKey(
        Quote,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("quote"),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    amount = MoneyField(
        _("contract amount"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Including tax."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("owner"),
    )
    terms = models.TextField(_("terms"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], get_user=history_user)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="sales_contract_amount"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="sales_contract_term",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="sales_contract_customer"),
            models.Index(fields=["-created_at", "-id"], name="sales_contract_list"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class PaymentInstalment(models.Model):
    """One instalment of a contract's payment plan; the plan sums exactly to the contract."""

    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="instalments",
        verbose_name=_("contract"),
    )
    position = models.PositiveSmallIntegerField(_("instalment"))
    due_on = models.DateField(_("due date"))
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=RATE_VALIDATORS,
        help_text=_("A fraction of the contract amount; empty when the amount is fixed."),
    )
    amount = MoneyField(_("amount"))
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("payment instalment")
        verbose_name_plural = _("payment instalments")
        ordering = ["contract", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "position"], name="sales_instalment_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="sales_instalment_amount"),
        ]
        indexes = [models.Index(fields=["due_on"], name="sales_instalment_due")]

    def __str__(self) -> str:
        return f"{self.contract.number} #{self.position}"


def contract_attachment_path(instance: ContractAttachment, filename: str) -> str:
    return f"contracts/{instance.contract_id}/{filename}"


class ContractAttachment(models.Model):
    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("contract"),
    )
    file = models.FileField(_("file"), upload_to=contract_attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_by = created_by_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract attachment")
        verbose_name_plural = _("contract attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
