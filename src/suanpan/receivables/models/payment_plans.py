"""Payment plans (回款计划): the company's reminder setting and the reminders sent to contract
owners. The plans themselves are the contracts' instalments (sales)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

REMIND_DAYS_DEFAULT = 7
REMIND_DAYS_MAX = 90


class ReceivablesSettings(models.Model):
    """One row: how the company works its receivables."""

    remind_days_before = models.PositiveSmallIntegerField(
        _("remind owners days before an instalment is due"),
        default=REMIND_DAYS_DEFAULT,
        validators=[MinValueValidator(0), MaxValueValidator(REMIND_DAYS_MAX)],
        help_text=_("0: on the due date itself."),
    )

    class Meta:
        verbose_name = _("receivables settings")
        verbose_name_plural = _("receivables settings")

    def __str__(self) -> str:
        return str(_("receivables settings"))


class PlanReminder(models.Model):
    """A contract owner was reminded of an instalment coming due: each instalment once."""

    # The instalment is the sales app's; kept by id so a contract's plan stays the sales app's
    # to rewrite (a rewritten instalment is a new one and is reminded of again).
    instalment_id = models.PositiveBigIntegerField(_("instalment"), unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment plan reminder")
        verbose_name_plural = _("payment plan reminders")
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.instalment_id} {self.sent_on}"
