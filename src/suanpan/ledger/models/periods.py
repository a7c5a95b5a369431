"""Accounting periods, what happened to them, and the totals per account and month."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suanpan.core.fields import MoneyField, acted_by_field
from suanpan.ledger.choices import (
    PeriodStatus,
)


class Period(models.Model):
    """An accounting month; closed periods accept nothing."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = acted_by_field(_("closed by"))

    class Meta:
        verbose_name = _("accounting period")
        verbose_name_plural = _("accounting periods")
        ordering = ["year", "month"]
        permissions = [
            ("close_period", _("Can close accounting periods")),
            ("reopen_period", _("Can re-open closed accounting periods")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="ledger_period_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="ledger_month"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        return f"{self.year}{self.month:02d}"


class PeriodEvent(models.Model):
    """Who closed or re-opened a period, when and why."""

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="events", verbose_name=_("period")
    )
    action = models.CharField(_("action"), max_length=10)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("period event")
        verbose_name_plural = _("period events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.period} {self.action}"


class PeriodTotal(models.Model):
    """Posted movements per account, customer and period, kept at posting time.

    Reports read these (a row per account, customer and month) instead of rescanning every
    voucher line; opening balances are the sums of earlier periods.
    """

    # Indexed by the unique (period, account, dimension) and by (account, period) below: every
    # index more is written on each posting's total update.
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", db_index=False)
    account = models.ForeignKey(
        "ledger.Account", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    dimension = models.ForeignKey(
        "ledger.Dimension", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    debit_amount = MoneyField(_("debit"), default=0)
    credit_amount = MoneyField(_("credit"), default=0)

    class Meta:
        verbose_name = _("period total")
        verbose_name_plural = _("period totals")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "account", "dimension"],
                name="ledger_total_unique",
                nulls_distinct=False,
            ),
        ]
        indexes = [
            models.Index(fields=["account", "period"], name="ledger_total_account"),
            # The balance sheet's per-customer balances (应收账款 takes the debit balances of
            # 1122 per customer) group the totals by account and customer: read in this
            # index's order, and from the index alone, they stream instead of being hashed.
            models.Index(
                fields=["account", "dimension", "period"],
                include=["debit_amount", "credit_amount"],
                name="ledger_total_account_dimension",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.account_id}/{self.dimension_id}"
