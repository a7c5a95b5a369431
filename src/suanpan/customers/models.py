from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField
from suanpan.customers.choices import (
    AddressKind,
    CustomerGrade,
    CustomerKind,
    CustomerSource,
    CustomerStatus,
    FollowUpWay,
)

MAX_CREDIT_LIMIT = Decimal("999999999999.99")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    """A customer (客户): the record sales, service and accounting share."""

    number = models.CharField(_("customer number"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        help_text=_("18 characters, checked against its check character."),
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=CustomerKind.choices, default=CustomerKind.ENTERPRISE
    )
    industry = models.CharField(_("industry"), max_length=60, blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=CustomerGrade.choices, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=CustomerSource.choices, blank=True
    )
    region = models.CharField(_("region"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_customers",
        verbose_name=_("owner"),
    )
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="shared_customers",
        verbose_name=_("shared with"),
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=30, validators=[MaxValueValidator(3650)]
    )
    credit_limit_amount = MoneyField(
        _("credit limit"),
        default=0,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_CREDIT_LIMIT)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="customers", verbose_name=_("tags"))
    notes = models.TextField(_("notes"), blank=True)

    # Invoicing details (开票信息) as the customer wants them on a fapiao.
    invoice_title = models.CharField(_("invoice title"), max_length=200, blank=True)
    invoice_tax_number = models.CharField(_("taxpayer number"), max_length=20, blank=True)
    invoice_address_phone = models.CharField(_("address and phone"), max_length=300, blank=True)
    invoice_bank_account = models.CharField(_("bank and account"), max_length=300, blank=True)

    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    # Kept by services on every write; what search reads (name, pinyin, initials, codes,
    # contact names and phones), lower-case.
    name_pinyin = models.CharField(_("name in pinyin"), max_length=600, blank=True, editable=False)
    name_initials = models.CharField(
        _("pinyin initials"), max_length=200, blank=True, editable=False
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    # The name as duplicates are compared (customers.calculations.name_key: NFKC, spaces
    # collapsed, case folded), kept by the same writes; indexed, so an import of many rows asks
    # the database instead of normalising every stored name.
    name_key = models.CharField(
        _("name for comparison"), max_length=600, blank=True, editable=False
    )
    # Put on by dunning (催款) or by finance, released by finance: a held customer's orders are
    # confirmed only with a finance manager's approval. Kept here so sales can read it.
    credit_hold = models.BooleanField(_("on credit hold"), default=False, editable=False)
    credit_hold_reason = models.CharField(
        _("reason for the credit hold"), max_length=300, blank=True, editable=False
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["search_text", "name_pinyin", "name_initials", "name_key", "updated_at"],
        get_user=history_user,
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_all_customers", _("Can see every customer, not only own and shared ones")),
            ("merge_customer", _("Can merge duplicate customers")),
            ("import_customer", _("Can import customers")),
            ("export_customer", _("Can export customers")),
            ("deactivate_customer", _("Can deactivate customers")),
            # Balance, overdue and days to pay on the list, the customer page and the API.
            ("view_customer_balance", _("Can see what customers owe")),
            ("hold_customer_credit", _("Can put customers on credit hold and release them")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="customers_credit_code_unique_when_present",
            ),
            models.CheckConstraint(
                condition=Q(credit_limit_amount__gte=0), name="customers_credit_limit_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status"], name="customers_owner_status"),
            models.Index(fields=["name_initials"], name="customers_initials"),
            models.Index(fields=["name"], name="customers_name"),
            models.Index(fields=["name_key"], name="customers_name_key"),
            models.Index(fields=["status", "-created_at"], name="customers_status_created"),
            # The list's default order: its first page is read from the index, not sorted.
            models.Index(fields=["-created_at", "-id"], name="customers_created"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status != CustomerStatus.CLOSED


# What a person may set on a customer (forms, API, import); the rest is kept by services.
CUSTOMER_FIELDS = (
    "name",
    "short_name",
    "credit_code",
    "kind",
    "industry",
    "grade",
    "source",
    "region",
    "address",
    "owner",
    "payment_terms_days",
    "credit_limit_amount",
    "status",
    "notes",
    "invoice_title",
    "invoice_tax_number",
    "invoice_address_phone",
    "invoice_bank_account",
)


class Contact(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("customer")
    )
    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("title"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_primary=True),
                name="customers_one_primary_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Address(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("customer")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AddressKind.choices, default=AddressKind.OFFICE
    )
    region = models.CharField(_("region"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=300)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    receiver = models.CharField(_("receiver"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.address


class FollowUp(models.Model):
    """A follow-up record (跟进记录)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="followups", verbose_name=_("customer")
    )
    followed_on = models.DateField(_("date"))
    way = models.CharField(_("way"), max_length=20, choices=FollowUpWay.choices)
    content = models.TextField(_("content"))
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_on = models.DateField(_("next step on"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up record")
        verbose_name_plural = _("follow-up records")
        ordering = ["-followed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.followed_on} {self.get_way_display()}"
