"""Bad debts (坏账): the provision matrix, individual provisions, period-end provision runs,
write-offs with their approval, and recoveries of what was written off."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField, acted_by_field, created_by_field
from suanpan.receivables.choices import ProvisionBucket, WriteOffStatus

RATE_RANGE = Q(rate__gte=0) & Q(rate__lte=1)


class ProvisionRate(models.Model):
    """One cell of the provision matrix (账龄组合计提比例): the rate for an ageing bucket, for
    every customer (grade blank) or for customers of one grade, which then use their own row."""

    bucket = models.PositiveSmallIntegerField(_("ageing bucket"), choices=ProvisionBucket.choices)
    grade = models.CharField(_("customer grade"), max_length=1, blank=True)
    rate = models.DecimalField(_("provision rate"), max_digits=5, decimal_places=4)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("provision rate")
        verbose_name_plural = _("provision matrix")
        ordering = ["grade", "bucket"]
        constraints = [
            models.UniqueConstraint(fields=["bucket", "grade"], name="receivables_rate_unique"),
            models.CheckConstraint(condition=RATE_RANGE, name="receivables_rate_range"),
        ]

    def __str__(self) -> str:
        return f"{self.grade or '*'} {self.get_bucket_display()}: {self.rate}"


class IndividualProvision(models.Model):
    """A named customer provided for on its own (单项计提): a fixed amount or a rate of what it
    owes. Its receivable then stays out of the matrix."""

    customer = models.OneToOneField(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="individual_provision",
        verbose_name=_("customer"),
    )
    amount = MoneyField(_("amount"), null=True, blank=True)
    rate = models.DecimalField(
        _("provision rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    reason = models.CharField(_("reason"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("individual provision")
        verbose_name_plural = _("individual provisions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(amount__isnull=True, rate__isnull=False) & RATE_RANGE)
                | Q(amount__isnull=False, rate__isnull=True, amount__gte=0),
                name="receivables_individual_amount_or_rate",
            ),
        ]

    def __str__(self) -> str:
        return str(self.customer)


class ProvisionRun(models.Model):
    """A period-end provision posted (计提坏账准备): what the allowance should be as of the
    period's last day, what the provision account held, and the difference posted."""

    period = models.CharField(_("period"), max_length=6)
    as_of = models.DateField(_("as of"))
    required_amount = MoneyField(_("required provision"))
    existing_amount = MoneyField(_("existing provision"))
    change_amount = MoneyField(_("amount posted"))
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("provision run")
        verbose_name_plural = _("provision runs")
        ordering = ["-as_of", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(change_amount=0), name="receivables_provision_run_posts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.change_amount}"


class WriteOff(models.Model):
    """Debts written off as lost (坏账核销): made by one user, approved by another, then posted
    (企业会计准则: Dr bad-debt provision / Cr receivable; 小企业会计准则: Dr non-operating
    expense / Cr receivable) and matched off the invoices it names."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="writeoffs",
        verbose_name=_("customer"),
    )
    written_off_on = models.DateField(_("written off on"))
    amount = MoneyField(_("amount written off"))
    recovered_amount = MoneyField(_("recovered"), default=0)
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(
        _("status"), max_length=20, choices=WriteOffStatus.choices, default=WriteOffStatus.DRAFT
    )
    created_by = created_by_field(_("made by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = acted_by_field(_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    cancelled_by = acted_by_field(_("cancelled by"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # A posted write-off found wrong (the customer paid after all, the wrong invoice) is
    # reversed in red on a day, never deleted.
    reversed_on = models.DateField(_("reversed on"), null=True, blank=True)
    reversed_by = acted_by_field(_("reversed by"))
    reverse_reason = models.CharField(_("reason for reversing"), max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("bad-debt write-off")
        verbose_name_plural = _("bad-debt write-offs")
        permissions = [("approve_writeoff", _("Can approve bad-debt write-offs"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receivables_writeoff_positive"),
            # Four eyes: whoever made the write-off never approves it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("created_by")),
                name="receivables_writeoff_other_approver",
            ),
            models.CheckConstraint(
                condition=Q(recovered_amount__gte=0) & Q(recovered_amount__lte=F("amount")),
                name="receivables_writeoff_recovered_range",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "written_off_on"], name="receivables_wo_customer"),
        ]

    def __str__(self) -> str:
        return self.number


class WriteOffLine(models.Model):
    """One open item (an invoice's instalment) the write-off takes off, and how much of it;
    the match closes the item once the write-off is posted."""

    writeoff = models.ForeignKey(
        WriteOff, on_delete=models.CASCADE, related_name="lines", verbose_name=_("write-off")
    )
    item = models.ForeignKey("ledger.OpenItem", on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("amount"))
    label = models.CharField(_("document"), max_length=200, blank=True)
    source_type = models.CharField(max_length=50, blank=True)
    source_id = models.CharField(max_length=50, blank=True)
    match = models.OneToOneField(
        "ledger.OpenItemMatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("write-off line")
        verbose_name_plural = _("write-off lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="receivables_writeoff_line_positive"
            ),
            models.UniqueConstraint(fields=["writeoff", "item"], name="receivables_wo_line_item"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"


class Recovery(models.Model):
    """Money for a debt written off (坏账收回), never more than was written off and not yet
    recovered."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    writeoff = models.ForeignKey(
        WriteOff,
        on_delete=models.PROTECT,
        related_name="recoveries",
        verbose_name=_("write-off"),
    )
    recovered_on = models.DateField(_("recovered on"))
    amount = MoneyField(_("amount"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("bad-debt recovery")
        verbose_name_plural = _("bad-debt recoveries")
        ordering = ["recovered_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receivables_recovery_positive"),
        ]

    def __str__(self) -> str:
        return self.number
