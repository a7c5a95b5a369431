"""Invoice requests (开票申请) and their lines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.catalog.choices import VatRateKey
from suanpan.catalog.types import PRICE_DIGITS, PRICE_PLACES
from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField, QuantityField, acted_by_field
from suanpan.invoicing.choices import InvoiceType, RequestSource, RequestStatus
from suanpan.invoicing.models.batches import InvoiceBatch


class BuyerDetails(models.Model):
    """The buyer as the fapiao prints it, copied from the customer and editable per document."""

    buyer_name = models.CharField(_("buyer name"), max_length=100)
    buyer_tax_number = models.CharField(_("buyer taxpayer number"), max_length=20, blank=True)
    buyer_is_person = models.BooleanField(_("buyer is a natural person"), default=False)
    buyer_address = models.CharField(_("buyer address"), max_length=300, blank=True)
    buyer_phone = models.CharField(_("buyer phone"), max_length=60, blank=True)
    buyer_bank = models.CharField(_("buyer bank"), max_length=100, blank=True)
    buyer_account = models.CharField(_("buyer bank account"), max_length=60, blank=True)
    buyer_email = models.EmailField(_("buyer email"), max_length=72, blank=True)

    class Meta:
        abstract = True


class FapiaoLine(models.Model):
    """What request and invoice lines share: a fapiao line as the platform takes it."""

    position = models.PositiveIntegerField(_("line"))
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    # The order line this line invoices; empty for instalments and lines typed by hand.
    order_line = models.ForeignKey(
        "sales.SalesOrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order line"),
    )
    item_name = models.CharField(_("item name"), max_length=100)
    tax_code = models.CharField(_("tax classification code"), max_length=19)
    specification = models.CharField(_("specification"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    quantity = QuantityField(_("quantity"), null=True, blank=True)
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=PRICE_DIGITS,
        decimal_places=PRICE_PLACES,
        null=True,
        blank=True,
        help_text=_("Excluding tax."),
    )
    net_amount = MoneyField(_("amount excluding tax"))
    # 折扣金额: the platform prints a discount line under this one; net_amount is after it.
    discount_amount = MoneyField(_("discount"), default=0)
    vat_rate_key = models.CharField(_("VAT rate"), max_length=10, choices=VatRateKey.choices)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    tax_amount = MoneyField(_("tax"))
    gross_amount = MoneyField(_("amount including tax"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.position}. {self.item_name}"


class InvoiceRequest(BuyerDetails):
    """A request to invoice (开票申请): raised by sales, approved by an accountant, then issued
    through the tax platform."""

    number = models.CharField(_("request number"), max_length=20, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="invoice_requests",
        verbose_name=_("customer"),
    )
    source = models.CharField(_("raised from"), max_length=20, choices=RequestSource.choices)
    order = models.ForeignKey(
        "sales.SalesOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_requests",
        verbose_name=_("order"),
    )
    instalment = models.ForeignKey(
        "sales.PaymentInstalment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_requests",
        verbose_name=_("contract instalment"),
    )
    # The deliveries a request raised from deliveries covers (for the record and the remarks).
    delivery_numbers = models.CharField(_("deliveries"), max_length=300, blank=True)
    invoice_type = models.CharField(_("invoice type"), max_length=20, choices=InvoiceType.choices)
    price_includes_tax = models.BooleanField(_("prices include tax"), default=True)
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    net_amount = MoneyField(_("amount excluding tax"), default=0)
    tax_amount = MoneyField(_("tax"), default=0)
    gross_amount = MoneyField(_("amount including tax"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invoice_requests",
        verbose_name=_("requested by"),
    )
    requested_on = models.DateField(_("request date"))
    reviewed_by = acted_by_field(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reject_reason = models.CharField(_("rejection reason"), max_length=300, blank=True)
    # The last workbook the request went out in, and the platform's answer when it failed.
    batch = models.ForeignKey(
        InvoiceBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("batch"),
    )
    failure_reason = models.CharField(_("tax platform's reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("invoice request")
        verbose_name_plural = _("invoice requests")
        ordering = ["-requested_on", "-id"]
        permissions = [("approve_invoicerequest", _("Can approve invoice requests"))]
        indexes = [
            models.Index(fields=["status", "-requested_on"], name="invoicing_request_status"),
            models.Index(fields=["customer", "-requested_on"], name="invoicing_request_customer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(gross_amount=F("net_amount") + F("tax_amount")),
                name="invoicing_request_gross",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceRequestLine(FapiaoLine):
    request = models.ForeignKey(
        InvoiceRequest, on_delete=models.CASCADE, related_name="lines", verbose_name=_("request")
    )

    class Meta:
        verbose_name = _("invoice request line")
        verbose_name_plural = _("invoice request lines")
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "position"], name="invoicing_request_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="invoicing_request_line_quantity",
            ),
            models.CheckConstraint(
                condition=Q(net_amount__gt=0) & Q(discount_amount__gte=0) & Q(tax_amount__gte=0),
                name="invoicing_request_line_amounts",
            ),
            models.CheckConstraint(
                condition=Q(gross_amount=F("net_amount") + F("tax_amount")),
                name="invoicing_request_line_gross",
            ),
        ]
