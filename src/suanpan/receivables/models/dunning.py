"""Dunning (催款): the levels a reminder climbs, each day's run with one letter per customer,
promises to pay (承诺付款) that pause it, customers' dunning settings and the collection tasks
(催收任务) a level gives the customer's owner."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField, acted_by_field, created_by_field
from suanpan.receivables.choices import (
    DunningLanguage,
    LetterStatus,
    PromiseStatus,
    SkipReason,
)


class DunningLevel(models.Model):
    """A step of dunning: reached by an open item `days` after its due date (negative: before
    it), with its letter in Chinese and English and what it does."""

    position = models.PositiveSmallIntegerField(_("position"), unique=True)
    name = models.CharField(_("name"), max_length=60)
    days = models.SmallIntegerField(
        _("days after due date"),
        unique=True,
        help_text=_("Negative for a reminder before the due date."),
    )
    subject_zh = models.CharField(_("subject (Chinese)"), max_length=200)
    body_zh = models.TextField(_("letter (Chinese)"))
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_en = models.TextField(_("letter (English)"))
    sends_email = models.BooleanField(_("send the letter by e-mail"), default=True)
    creates_task = models.BooleanField(
        _("give the customer's owner a collection task"), default=False
    )
    holds_credit = models.BooleanField(_("put the customer on credit hold"), default=False)
    attaches_statement = models.BooleanField(_("attach the statement"), default=False)
    # Per day on the open amount, a fraction: 0.0005 is 万分之五.
    interest_rate = models.DecimalField(
        _("late-payment interest per day"),
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("dunning level (催款级别)")
        verbose_name_plural = _("dunning levels")
        ordering = ["days", "position"]
        permissions = [("run_dunning", _("Can run dunning"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(interest_rate__isnull=True)
                | (Q(interest_rate__gte=0) & Q(interest_rate__lt=1)),
                name="receivables_dunning_interest_rate",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DunningRun(models.Model):
    """One day's dunning: one letter per customer with anything reaching a level; a day is
    run once (scheduled or by hand)."""

    run_on = models.DateField(_("run on"), unique=True)
    started_by = acted_by_field(_("started by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    letters_sent = models.PositiveIntegerField(_("letters sent"), default=0)
    letters_recorded = models.PositiveIntegerField(_("letters recorded"), default=0)
    letters_skipped = models.PositiveIntegerField(_("customers skipped"), default=0)
    letters_failed = models.PositiveIntegerField(_("letters failed"), default=0)
    tasks_created = models.PositiveIntegerField(_("tasks created"), default=0)
    holds_placed = models.PositiveIntegerField(_("credit holds placed"), default=0)
    promises_kept = models.PositiveIntegerField(_("promises kept"), default=0)
    promises_broken = models.PositiveIntegerField(_("promises broken"), default=0)

    class Meta:
        verbose_name = _("dunning run")
        verbose_name_plural = _("dunning runs")
        ordering = ["-run_on"]

    def __str__(self) -> str:
        return self.run_on.isoformat()


class DunningLetter(models.Model):
    """A customer's consolidated letter (催款函) of one run, as written and sent, or why it was
    skipped: the customer-visible dunning log."""

    run = models.ForeignKey(
        DunningRun, on_delete=models.CASCADE, related_name="letters", verbose_name=_("run")
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="dunning_letters",
        verbose_name=_("customer"),
    )
    level = models.ForeignKey(
        DunningLevel,
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=pgettext_lazy("dunning", "level"),
    )
    status = models.CharField(_("status"), max_length=20, choices=LetterStatus.choices)
    skip_reason = models.CharField(
        _("reason skipped"), max_length=20, choices=SkipReason.choices, blank=True
    )
    language = models.CharField(
        _("language"), max_length=10, choices=DunningLanguage.choices, default=DunningLanguage.ZH
    )
    to_email = models.CharField(_("to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("letter"), blank=True)
    total_amount = MoneyField(_("amount overdue"), default=0)
    interest_amount = MoneyField(_("late-payment interest"), default=0)
    # The level asked for the statement; attaching it is the statements' business.
    statement_requested = models.BooleanField(_("statement attached"), default=False)
    task_created = models.BooleanField(_("task created"), default=False)
    hold_placed = models.BooleanField(_("credit hold placed"), default=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("dunning letter (催款函)")
        verbose_name_plural = _("dunning letters")
        ordering = ["-run__run_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "customer"], name="receivables_letter_once"),
        ]
        indexes = [
            models.Index(fields=["customer", "-id"], name="receivables_letter_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.customer_id} {self.level}"


class DunningLetterItem(models.Model):
    """An open item in a letter, at the level it reached: an item is dunned once per level."""

    letter = models.ForeignKey(
        DunningLetter, on_delete=models.CASCADE, related_name="items", verbose_name=_("letter")
    )
    item = models.ForeignKey("ledger.OpenItem", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(
        DunningLevel,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("dunning", "level"),
    )
    label = models.CharField(_("document"), max_length=200)
    due_on = models.DateField(_("due on"))
    open_amount = MoneyField(_("open amount"))
    days_overdue = models.IntegerField(_("days overdue"))
    interest_amount = MoneyField(_("late-payment interest"), default=0)

    class Meta:
        verbose_name = _("dunning letter item")
        verbose_name_plural = _("dunning letter items")
        indexes = [models.Index(fields=["item", "level"], name="receivables_letter_item")]

    def __str__(self) -> str:
        return self.label


class PaymentPromise(models.Model):
    """A customer's promise to pay (承诺付款) an amount by a date: dunning waits for it until
    that date; finance marks it kept or broken."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="payment_promises",
        verbose_name=_("customer"),
    )
    amount = MoneyField(_("amount"))
    promised_on = models.DateField(_("promised for"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PromiseStatus.choices, default=PromiseStatus.OPEN
    )
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("promise to pay (承诺付款)")
        verbose_name_plural = _("promises to pay")
        ordering = ["promised_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receivables_promise_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "promised_on"], name="receivables_promise_due"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.promised_on}"


class DunningProfile(models.Model):
    """A customer's dunning settings: excluded (with why), the address letters go to instead of
    the contacts', and their language."""

    customer = models.OneToOneField(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="dunning_profile",
        verbose_name=_("customer"),
    )
    is_excluded = models.BooleanField(_("excluded from dunning"), default=False)
    excluded_reason = models.CharField(_("reason excluded"), max_length=300, blank=True)
    email = models.EmailField(_("dunning e-mail"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=DunningLanguage.choices, default=DunningLanguage.ZH
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("dunning settings")
        verbose_name_plural = _("dunning settings")

    def __str__(self) -> str:
        return str(self.customer_id)


class CollectionTask(models.Model):
    """A collection task (催收任务) for the customer's owner, given by a dunning level."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="collection_tasks",
        verbose_name=_("customer"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="collection_tasks",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"))
    text = models.CharField(_("task"), max_length=300)
    letter = models.ForeignKey(
        DunningLetter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("letter"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = acted_by_field(_("done by"))

    class Meta:
        verbose_name = _("collection task (催收任务)")
        verbose_name_plural = _("collection tasks")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_at"], name="receivables_task_owner")]

    def __str__(self) -> str:
        return self.text


class DailyRun(models.Model):
    """A day the daily receivables jobs ran: each day runs once, whatever enqueued it."""

    day = models.DateField(_("day"), unique=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    results = models.JSONField(_("results"), default=dict, blank=True)

    class Meta:
        verbose_name = _("daily receivables run")
        verbose_name_plural = _("daily receivables runs")

    def __str__(self) -> str:
        return self.day.isoformat()
