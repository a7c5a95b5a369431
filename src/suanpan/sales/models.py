"""Opportunities, quotes, contracts with payment plans, and sales orders.

Document lines copy what they sell (name, specification, unit, VAT rate) from the product, so a
document never changes when the catalogue does (DESIGN.md "Money and tax"). Amounts are stored
per line and as document totals, worked out by `sales.calculations` and kept by the services.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.catalog.choices import VatRateKey
from suanpan.catalog.types import PRICE_DIGITS, PRICE_PLACES
from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField, QuantityField
from suanpan.sales.choices import (
    ContractStatus,
    OrderActivityKind,
    OrderStatus,
    QuoteStatus,
    StageOutcome,
)

RATE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


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


class DocumentLine(models.Model):
    """What quote and order lines share: the product as sold, quantity, price, tax."""

    position = models.PositiveIntegerField(_("line"))
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    product_name = models.CharField(_("name"), max_length=200)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    quantity = QuantityField(_("quantity"))
    unit_price = models.DecimalField(
        _("unit price"), max_digits=PRICE_DIGITS, decimal_places=PRICE_PLACES
    )
    discount_rate = models.DecimalField(
        _("discount"),
        max_digits=5,
        decimal_places=4,
        default=Decimal(0),
        validators=RATE_VALIDATORS,
    )
    vat_rate_key = models.CharField(_("VAT rate"), max_length=10, choices=VatRateKey.choices)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    net_amount = MoneyField(_("amount excluding tax"))
    tax_amount = MoneyField(_("tax"))
    gross_amount = MoneyField(_("amount including tax"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.position}. {self.product_name}"


class DocumentTotals(models.Model):
    """Totals of a priced document: the sums of its lines (never re-rounded)."""

    price_includes_tax = models.BooleanField(_("prices include tax"), default=True)
    net_amount = MoneyField(_("amount excluding tax"), default=0)
    tax_amount = MoneyField(_("tax"), default=0)
    gross_amount = MoneyField(_("amount including tax"), default=0)

    class Meta:
        abstract = True


class Quote(DocumentTotals):
    """A quote (报价单) to a customer; accepted quotes become contracts or orders."""

    number = models.CharField(_("quote number"), max_length=30, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="quotes",
        verbose_name=_("customer"),
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("opportunity"),
    )
    quoted_on = models.DateField(_("quote date"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=20, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quotes",
        verbose_name=_("owner"),
    )
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    terms = models.TextField(_("terms"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], get_user=history_user)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-quoted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("quoted_on")), name="sales_quote_valid_after_date"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-quoted_on"], name="sales_quote_customer"),
            models.Index(fields=["-quoted_on", "-id"], name="sales_quote_list"),
        ]

    def __str__(self) -> str:
        return self.number


class QuoteLine(DocumentLine):
    quote = models.ForeignKey(
        Quote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("quote")
    )

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["quote", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "position"], name="sales_quote_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_quote_line_quantity"),
        ]


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
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract attachment")
        verbose_name_plural = _("contract attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class SalesOrder(DocumentTotals):
    """A sales order (销售订单): what the customer ordered, shipped by deliveries."""

    number = models.CharField(_("order number"), max_length=30, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="sales_orders",
        verbose_name=_("customer"),
    )
    quote = models.ForeignKey(
        Quote,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("quote"),
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("contract"),
    )
    ordered_on = models.DateField(_("order date"))
    delivery_due_on = models.DateField(_("delivery date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sales_orders",
        verbose_name=_("owner"),
    )
    customer_reference = models.CharField(_("customer's PO number"), max_length=60, blank=True)
    delivery_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when a finance manager let the order exceed the customer's credit limit.
    credit_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("credit approved by"),
    )
    credit_approval_reason = models.CharField(
        _("credit approval reason"), max_length=300, blank=True
    )
    cancel_reason = models.CharField(_("cancellation reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        ordering = ["-ordered_on", "-id"]
        permissions = [
            ("confirm_salesorder", _("Can confirm sales orders")),
            ("approve_credit", _("Can approve orders over the credit limit")),
        ]
        indexes = [
            # The list's default order, so its first page is read from the index.
            models.Index(fields=["-ordered_on", "-id"], name="sales_order_list"),
            models.Index(fields=["customer", "status"], name="sales_order_customer"),
            models.Index(fields=["status", "-ordered_on"], name="sales_order_status"),
            models.Index(fields=["owner", "-ordered_on"], name="sales_order_owner"),
            # Sorting the list by amount reads its first page from here too.
            models.Index(fields=["-gross_amount", "-id"], name="sales_order_amount"),
        ]

    def __str__(self) -> str:
        return self.number


class SalesOrderLine(DocumentLine):
    """An order line; shipped and invoiced quantities never exceed the ordered one."""

    order = models.ForeignKey(
        SalesOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    # Net of returns; kept by the delivery services under a lock on the line.
    shipped_quantity = QuantityField(_("shipped"), default=0)
    invoiced_quantity = QuantityField(_("invoiced"), default=0)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="sales_order_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_order_line_quantity"),
            models.CheckConstraint(
                condition=Q(shipped_quantity__gte=0) & Q(shipped_quantity__lte=F("quantity")),
                name="sales_order_line_shipped_within",
            ),
            models.CheckConstraint(
                condition=Q(invoiced_quantity__gte=0) & Q(invoiced_quantity__lte=F("quantity")),
                name="sales_order_line_invoiced_within",
            ),
        ]

    @property
    def open_quantity(self) -> Decimal:
        """What is still to ship."""
        return self.quantity - self.shipped_quantity


class OrderActivity(models.Model):
    """The order's timeline: every change, with who and when."""

    order = models.ForeignKey(
        SalesOrder, on_delete=models.CASCADE, related_name="activities", verbose_name=_("order")
    )
    kind = models.CharField(_("type"), max_length=20, choices=OrderActivityKind.choices)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=OrderStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=20, choices=OrderStatus.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order activity")
        verbose_name_plural = _("order activities")
        ordering = ["order", "at", "id"]
        indexes = [models.Index(fields=["order", "at"], name="sales_activity_order")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"
