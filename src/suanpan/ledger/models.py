"""The books: chart of accounts, auxiliary dimensions, periods, vouchers and open items.

The ledger knows nothing of the CRM: customers appear only as auxiliary dimensions (核算项目)
that the customers app keeps in step, and documents only as opaque source references.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from suanpan.core.fields import MoneyField
from suanpan.ledger.choices import (
    AccountCategory,
    AccountingStandard,
    AccountRole,
    DimensionKind,
    Direction,
    PeriodStatus,
    RevenuePolicy,
    VoucherStatus,
    VoucherWord,
)


class PostedVoucherImmutable(Exception):
    """Raised by any attempt to change or delete a posted voucher or its lines."""


class Company(models.Model):
    """The one company these books belong to (a single row)."""

    name = models.CharField(_("company name"), max_length=200)
    tax_number = models.CharField(_("taxpayer number"), max_length=20, blank=True)
    standard = models.CharField(
        _("accounting standard"), max_length=10, choices=AccountingStandard.choices
    )
    revenue_policy = models.CharField(
        _("revenue recognition"),
        max_length=20,
        choices=RevenuePolicy.choices,
        default=RevenuePolicy.ON_DELIVERY,
    )
    first_period = models.DateField(_("first open period"), help_text=_("First day of a month."))
    voucher_words = models.CharField(
        _("voucher words in use"),
        max_length=20,
        default="记",
        help_text=_("记 alone, or 收付转: the words vouchers may carry."),
    )
    default_word = models.CharField(
        _("default voucher word"), max_length=1, choices=VoucherWord.choices, default=VoucherWord.JI
    )
    number_width = models.PositiveSmallIntegerField(_("voucher number digits"), default=4)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("company")

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """A ledger account (会计科目); hierarchical by code: 1122 → 1122.01."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent account"),
    )
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    direction = models.CharField(_("balance direction"), max_length=6, choices=Direction.choices)
    category = models.CharField(_("category"), max_length=12, choices=AccountCategory.choices)
    requires_customer = models.BooleanField(_("customer dimension required"), default=False)
    is_open_item = models.BooleanField(_("open-item managed"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_open_item=False) | Q(requires_customer=True),
                name="ledger_open_item_needs_dimension",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AccountRoleMap(models.Model):
    """Which account plays a role for this company; business code posts in roles only."""

    role = models.CharField(_("role"), max_length=30, choices=AccountRole.choices, unique=True)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="roles", verbose_name=_("account")
    )

    class Meta:
        verbose_name = _("account role")
        verbose_name_plural = _("account roles")
        ordering = ["role"]

    def __str__(self) -> str:
        return f"{self.role} → {self.account.code}"


class Dimension(models.Model):
    """An auxiliary dimension (核算项目): the ledger's own record of a customer."""

    kind = models.CharField(_("kind"), max_length=20, choices=DimensionKind.choices)
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )

    class Meta:
        verbose_name = _("auxiliary dimension")
        verbose_name_plural = _("auxiliary dimensions")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="ledger_dimension_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Period(models.Model):
    """An accounting month; closed periods accept nothing."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

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


class VoucherQuerySet(models.QuerySet["Voucher"]):
    """Bulk writes may not touch posted vouchers: corrections are reversing vouchers."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(status=VoucherStatus.POSTED).exists():
            raise PostedVoucherImmutable("posted vouchers cannot be updated")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=VoucherStatus.POSTED).exists():
            raise PostedVoucherImmutable("posted vouchers cannot be deleted")
        return super().delete()


class Voucher(models.Model):
    """A voucher (记账凭证): draft → reviewed → posted; posted ones never change."""

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="vouchers", verbose_name=_("period")
    )
    word = models.CharField(
        _("voucher word"), max_length=1, choices=VoucherWord.choices, default=VoucherWord.JI
    )
    # Assigned when posted, gapless per word and period.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    date = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=200)
    attachments = models.PositiveSmallIntegerField(_("attachments"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=VoucherStatus.choices, default=VoucherStatus.DRAFT
    )
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("maker"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("poster"),
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    source_type = models.CharField(_("source type"), max_length=50, blank=True)
    source_id = models.CharField(_("source id"), max_length=50, blank=True)
    # One voucher per business event: posting the same event twice finds this one.
    source_event = models.CharField(
        _("source event"), max_length=150, null=True, blank=True, unique=True
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    chain_seq = models.PositiveBigIntegerField(
        _("chain position"), null=True, blank=True, unique=True
    )
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = VoucherQuerySet.as_manager()

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["-date", "-id"]
        permissions = [
            ("review_voucher", _("Can review vouchers")),
            ("post_voucher", _("Can post vouchers")),
            ("reverse_voucher", _("Can reverse posted vouchers")),
            ("view_ledger_reports", _("Can see ledger reports and export the books")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "word", "number"],
                condition=Q(number__isnull=False),
                name="ledger_voucher_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=VoucherStatus.POSTED, number__isnull=False, chain_seq__isnull=False
                )
                | ~Q(status=VoucherStatus.POSTED),
                name="ledger_posted_voucher_numbered",
            ),
        ]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="ledger_voucher_source"),
            models.Index(fields=["period", "status"], name="ledger_voucher_period_status"),
        ]

    def __str__(self) -> str:
        return self.display_number

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Posting is the last save of a voucher; from then on the row is frozen.
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == VoucherStatus.POSTED:
                raise PostedVoucherImmutable("posted vouchers cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.status == VoucherStatus.POSTED or (
            self.pk and type(self).objects.filter(pk=self.pk, status=VoucherStatus.POSTED).exists()
        ):
            raise PostedVoucherImmutable("posted vouchers cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def display_number(self) -> str:
        if self.number is None:
            return _("Draft %(id)s") % {"id": self.pk}
        return f"{self.word}-{self.period.key}-{self.number:04d}"


class VoucherLineQuerySet(models.QuerySet["VoucherLine"]):
    def update(self, **kwargs: Any) -> int:
        if self.filter(voucher__status=VoucherStatus.POSTED).exists():
            raise PostedVoucherImmutable("lines of posted vouchers cannot be updated")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(voucher__status=VoucherStatus.POSTED).exists():
            raise PostedVoucherImmutable("lines of posted vouchers cannot be deleted")
        return super().delete()


class VoucherLine(models.Model):
    """One line: an amount in exactly one column; negative amounts only in red vouchers."""

    voucher = models.ForeignKey(
        Voucher, on_delete=models.CASCADE, related_name="lines", verbose_name=_("voucher")
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="lines", verbose_name=_("account")
    )
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("customer"),
    )
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    debit_amount = MoneyField(_("debit"), default=0)
    credit_amount = MoneyField(_("credit"), default=0)
    due_on = models.DateField(_("due date"), null=True, blank=True)

    objects = VoucherLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("voucher line")
        verbose_name_plural = _("voucher lines")
        ordering = ["voucher", "line_no"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit_amount=0) & ~Q(credit_amount=0))
                | (~Q(debit_amount=0) & Q(credit_amount=0)),
                name="ledger_line_one_column",
            ),
            models.UniqueConstraint(fields=["voucher", "line_no"], name="ledger_line_unique"),
        ]
        indexes = [
            models.Index(fields=["account", "dimension"], name="ledger_line_account_dim"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_id}/{self.line_no}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if (
            self.voucher_id
            and Voucher.objects.filter(pk=self.voucher_id, status=VoucherStatus.POSTED).exists()
        ):
            raise PostedVoucherImmutable("lines of posted vouchers cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if Voucher.objects.filter(pk=self.voucher_id, status=VoucherStatus.POSTED).exists():
            raise PostedVoucherImmutable("lines of posted vouchers cannot be deleted")
        return super().delete(*args, **kwargs)


class PeriodTotal(models.Model):
    """Posted movements per account, customer and period, kept at posting time.

    Reports read these (a row per account, customer and month) instead of rescanning every
    voucher line; opening balances are the sums of earlier periods.
    """

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
        indexes = [models.Index(fields=["account", "period"], name="ledger_total_account")]

    def __str__(self) -> str:
        return f"{self.period} {self.account_id}/{self.dimension_id}"


class OpenItem(models.Model):
    """A posted line on an open-item managed account (往来): signed, debit positive."""

    line = models.OneToOneField(
        VoucherLine, on_delete=models.PROTECT, related_name="open_item", verbose_name=_("line")
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="open_items")
    posted_on = models.DateField(_("posting date"))
    due_on = models.DateField(_("due date"))
    amount = MoneyField(_("amount"))
    # What is still open now (after every match not undone), signed like the item. Kept by
    # open_item_match/open_item_unmatch under the item's lock, so reports read one column
    # instead of summing matches; open_items_check recomputes it from the matches.
    open_amount = MoneyField(_("open amount"), default=0)
    source_type = models.CharField(_("source type"), max_length=50, blank=True)
    source_id = models.CharField(_("source id"), max_length=50, blank=True)
    # Copied from the posted voucher and line, which never change, so that a customer's item
    # list and an item's history read this table alone instead of three per row.
    voucher_number = models.CharField(_("voucher"), max_length=30, blank=True)
    summary = models.CharField(_("summary"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("open item")
        verbose_name_plural = _("open items")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_item_not_zero"),
            # Never matched beyond the item's amount, nor settled past zero, even by raw SQL.
            models.CheckConstraint(
                condition=Q(amount__gt=0, open_amount__gte=0, open_amount__lte=F("amount"))
                | Q(amount__lt=0, open_amount__lte=0, open_amount__gte=F("amount")),
                name="ledger_item_open_within_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "dimension", "posted_on"], name="ledger_item_acct_dim"),
            models.Index(fields=["account", "due_on"], name="ledger_item_due"),
            models.Index(fields=["source_type", "source_id"], name="ledger_item_source"),
            # Ageing and open-item lists read only what is still open.
            models.Index(
                fields=["account", "dimension"],
                condition=~Q(open_amount=0),
                name="ledger_item_open",
            ),
            # A customer's items in the order lists show them.
            models.Index(
                fields=["dimension", "due_on", "posted_on", "id"], name="ledger_item_dim_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension.code} {self.amount}"


class OpenItemMatch(models.Model):
    """Settles part or all of a positive item against a negative one (核销); undone, not deleted."""

    debit_item = models.ForeignKey(
        OpenItem,
        on_delete=models.PROTECT,
        related_name="debit_matches",
        verbose_name=_("debit item"),
    )
    credit_item = models.ForeignKey(
        OpenItem,
        on_delete=models.PROTECT,
        related_name="credit_matches",
        verbose_name=_("credit item"),
    )
    amount = MoneyField(_("amount"))
    matched_on = models.DateField(_("match date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    undone_on = models.DateField(_("undone on"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("open-item match")
        verbose_name_plural = _("open-item matches")
        permissions = [("match_open_items", _("Can match and unmatch open items"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_match_positive"),
            models.CheckConstraint(
                condition=~Q(debit_item=F("credit_item")), name="ledger_match_two_items"
            ),
        ]
        indexes = [
            models.Index(fields=["debit_item", "matched_on"], name="ledger_match_debit"),
            models.Index(fields=["credit_item", "matched_on"], name="ledger_match_credit"),
            # Open amounts as of a past date start from today's and undo what happened since.
            models.Index(fields=["matched_on"], name="ledger_match_on"),
            models.Index(
                fields=["undone_on"],
                condition=Q(undone_on__isnull=False),
                name="ledger_match_undone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.debit_item_id} ↔ {self.credit_item_id}: {self.amount}"
