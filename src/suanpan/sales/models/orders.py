"""Sales orders, their lines and activity."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from suanpan.core.fields import QuantityField, acted_by_field
from suanpan.sales.choices import (
    OrderActivityKind,
    OrderStatus,
)
from suanpan.sales.models.common import DocumentLine, DocumentTotals
from suanpan.sales.models.contracts import Contract
from suanpan.sales.models.quotes import Quote


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
    confirmed_by = acted_by_field(_("confirmed by"))
    # Set when a finance manager let the order exceed the customer's credit limit.
    credit_approved_by = acted_by_field(_("credit approved by"))
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
