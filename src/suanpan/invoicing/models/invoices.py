"""Invoices (发票) as issued by the tax platform, blue and red, with their lines."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField, created_by_field
from suanpan.invoicing.choices import (
    InvoiceKind,
    InvoiceSource,
    InvoiceStatus,
    InvoiceType,
    RedReason,
)
from suanpan.invoicing.models.batches import InvoiceBatch
from suanpan.invoicing.models.requests import BuyerDetails, FapiaoLine, InvoiceRequest


class Invoice(BuyerDetails):
    """A fapiao: its number as text (20 digits under 数电; code + number on paper), amounts
    signed (a red invoice is negative), and whether it posted to the books."""

    code = models.CharField(
        _("invoice code"), max_length=12, blank=True, help_text=_("Paper invoices only.")
    )
    number = models.CharField(_("invoice number"), max_length=20)
    kind = models.CharField(
        _("kind"), max_length=10, choices=InvoiceKind.choices, default=InvoiceKind.BLUE
    )
    invoice_type = models.CharField(_("invoice type"), max_length=20, choices=InvoiceType.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED
    )
    source = models.CharField(_("recorded from"), max_length=20, choices=InvoiceSource.choices)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("customer"),
    )
    request = models.OneToOneField(
        InvoiceRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice",
        verbose_name=_("request"),
    )
    # A red invoice's blue one.
    original = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="red_invoices",
        verbose_name=_("original invoice"),
    )
    red_reason = models.CharField(
        _("reason for red letter"), max_length=2, choices=RedReason.choices, blank=True
    )
    issued_on = models.DateField(_("issue date"))
    price_includes_tax = models.BooleanField(_("prices include tax"), default=True)
    net_amount = MoneyField(_("amount excluding tax"))
    tax_amount = MoneyField(_("tax"))
    gross_amount = MoneyField(_("amount including tax"))
    # Posted to the books (revenue or receivable); history imports may record only.
    posted = models.BooleanField(_("posted"), default=False)
    # The buyer has used it for input VAT (已抵扣/用途确认): it can then only be reversed in red.
    deducted = models.BooleanField(_("deducted by the buyer"), default=False)
    first_due_on = models.DateField(_("due date"), null=True, blank=True)
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)
    drawer = models.CharField(_("drawer"), max_length=40, blank=True)
    # What the platform issued differently from the request, one finding per line.
    differences = models.TextField(_("differences from the request"), blank=True)
    batch = models.ForeignKey(
        InvoiceBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("batch"),
    )
    voided_on = models.DateField(_("voided on"), null=True, blank=True)
    void_reason = models.CharField(_("void reason"), max_length=300, blank=True)
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-id"]
        permissions = [
            ("issue_invoice", _("Can record issued invoices")),
            ("void_invoice", _("Can void invoices")),
        ]
        indexes = [
            models.Index(fields=["-issued_on", "-id"], name="invoicing_invoice_list"),
            models.Index(fields=["customer", "-issued_on"], name="invoicing_invoice_customer"),
            models.Index(fields=["buyer_tax_number", "issued_on"], name="invoicing_invoice_buyer"),
            models.Index(fields=["status", "-issued_on"], name="invoicing_invoice_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code", "number"], name="invoicing_invoice_number"),
            models.CheckConstraint(
                condition=Q(gross_amount=F("net_amount") + F("tax_amount")),
                name="invoicing_invoice_gross",
            ),
            models.CheckConstraint(
                condition=Q(kind=InvoiceKind.BLUE, original__isnull=True)
                | Q(kind=InvoiceKind.RED, original__isnull=False)
                | Q(kind=InvoiceKind.RED, source=InvoiceSource.HISTORY),
                name="invoicing_invoice_red_has_original",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}{self.number}" if self.code else self.number


class InvoiceLine(FapiaoLine):
    """A line as issued; on a red invoice, negative and tied to the blue line it reverses."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    request_line = models.ForeignKey(
        "invoicing.InvoiceRequestLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_lines",
        verbose_name=_("request line"),
    )
    blue_line = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="red_lines",
        verbose_name=_("blue line"),
    )
    # Under revenue on invoice: the cost this line moved from goods shipped to cost of sales.
    cost_amount = MoneyField(_("cost"), default=0)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "position"], name="invoicing_invoice_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(gross_amount=F("net_amount") + F("tax_amount")),
                name="invoicing_invoice_line_gross",
            ),
        ]
        indexes = [
            models.Index(fields=["order_line"], name="invoicing_line_order_line"),
        ]
