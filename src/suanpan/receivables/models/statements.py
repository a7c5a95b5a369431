"""Customer statements (对账单) and balance confirmations (询证函), what happened to each
(sent, viewed, answered), and the customers who get one every month."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField, acted_by_field, created_by_field
from suanpan.receivables.choices import StatementEventKind, StatementKind, StatementStatus


class Statement(models.Model):
    """A customer's account between two days as sent to them: the balances are kept as they
    were when it was made, so a later posting never changes what the customer was asked to
    confirm. Answered once, by a user or by the customer on the signed link."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("customer"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=StatementKind.choices, default=StatementKind.STATEMENT
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"))
    opening_amount = MoneyField(_("opening balance"))
    closing_amount = MoneyField(_("closing balance"))
    status = models.CharField(
        _("status"), max_length=20, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_to = models.EmailField(_("sent to"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_notes = models.CharField(_("answer notes"), max_length=1000, blank=True)
    # A user who recorded the answer; empty with `answered_online` when the customer answered.
    answered_by = acted_by_field(_("answered by"))
    answered_online = models.BooleanField(_("answered online"), default=False)
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("statement (对账单)")
        verbose_name_plural = _("statements")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_on__lte=F("end_on")), name="receivables_statement_range"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "end_on"], name="receivables_statement_customer"),
            models.Index(fields=["created_at", "id"], name="receivables_statement_created"),
        ]

    def __str__(self) -> str:
        return self.number


class StatementEvent(models.Model):
    """What happened to a statement, with who (a user) or where from (the customer's address
    and browser on the signed link): the record shown on the statement and the customer."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="events", verbose_name=_("statement")
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="statement_events",
        verbose_name=_("customer"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StatementEventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    notes = models.CharField(_("notes"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("statement event")
        verbose_name_plural = _("statement events")
        indexes = [
            # The rate limit counts a link's recent requests from one address.
            models.Index(fields=["statement", "ip", "at"], name="receivables_stmt_event_rate"),
            models.Index(fields=["customer", "at"], name="receivables_stmt_event_cust"),
        ]

    def __str__(self) -> str:
        return f"{self.statement} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class StatementSchedule(models.Model):
    """A customer who gets last month's statement by e-mail early each month."""

    customer = models.OneToOneField(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="statement_schedule",
        verbose_name=_("customer"),
    )
    email = models.EmailField(_("e-mail"))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("monthly statement schedule")
        verbose_name_plural = _("monthly statement schedules")

    def __str__(self) -> str:
        return f"{self.customer} → {self.email}"
