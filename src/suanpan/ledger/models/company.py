"""The company, its chart of accounts, the roles mapped to accounts and the auxiliary
dimensions (核算项目)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suanpan.ledger.choices import (
    AccountCategory,
    AccountingStandard,
    AccountRole,
    DimensionKind,
    Direction,
    RevenuePolicy,
    VoucherWord,
)


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
    # Credit control (the order confirmation's check reads it): a customer with a debt more
    # than this many days past due cannot have an order confirmed without a finance
    # manager's logged approval. 0: overdue debts hold nothing.
    credit_hold_overdue_days = models.PositiveSmallIntegerField(
        _("hold orders when overdue by more than (days)"),
        default=0,
        validators=[MaxValueValidator(3650)],
        help_text=_("0: overdue debts do not hold orders."),
    )
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
    # Kept by the dimension services from the name, lower-case letters and digits only, so
    # the voucher grid and the reports find 北京小米 by "beijingxiaomi" or "bjxm".
    name_pinyin = models.CharField(
        _("name in pinyin"), max_length=600, blank=True, default="", editable=False
    )
    name_initials = models.CharField(
        _("pinyin initials"), max_length=200, blank=True, default="", editable=False
    )
    # Number, name, pinyin and initials in lower case: what a search holds the typed text
    # against in one LIKE (a trigram index serves it on PostgreSQL).
    search_text = models.CharField(
        _("search text"), max_length=1100, blank=True, default="", editable=False
    )
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
