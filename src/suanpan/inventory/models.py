"""Warehouses, stock, moving-average cost, goods receipts, adjustments, deliveries and returns.

Stock works like the ledger's open items (DESIGN.md): every change is a row of the stock-move
ledger, and `StockLevel` keeps the on-hand quantity per product and warehouse in the same
transaction, locked while it changes, so that negative stock is refused also under concurrent
requests. `ProductCost` keeps the quantity and value of each product across warehouses: the
moving-average cost is their quotient.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.catalog.types import PRICE_DIGITS, PRICE_PLACES
from suanpan.core.audit import history_user
from suanpan.core.fields import MoneyField, QuantityField, created_by_field
from suanpan.inventory.choices import DeliveryStatus, MoveKind, StockDocumentStatus


class Warehouse(models.Model):
    code = models.CharField(_("warehouse code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StockLevel(models.Model):
    """On hand per product and warehouse; never negative."""

    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        related_name="stock_levels",
        verbose_name=_("product"),
    )
    warehouse = models.ForeignKey(
        Warehouse,
        on_delete=models.PROTECT,
        related_name="stock_levels",
        verbose_name=_("warehouse"),
    )
    quantity = QuantityField(_("on hand"), default=0)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            models.UniqueConstraint(fields=["product", "warehouse"], name="inventory_level_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="inventory_level_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.warehouse_id}: {self.quantity}"


class ProductCost(models.Model):
    """A product's quantity and stock value over all warehouses (moving average = value / qty)."""

    product = models.OneToOneField(
        "catalog.Product", on_delete=models.PROTECT, related_name="cost", verbose_name=_("product")
    )
    quantity = QuantityField(_("quantity"), default=0)
    value_amount = MoneyField(_("stock value"), default=0)

    class Meta:
        verbose_name = _("product cost")
        verbose_name_plural = _("product costs")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="inventory_cost_qty"),
            models.CheckConstraint(condition=Q(value_amount__gte=0), name="inventory_cost_value"),
            # No value may stay behind once the last unit has gone.
            models.CheckConstraint(
                condition=~Q(quantity=0) | Q(value_amount=0), name="inventory_cost_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.quantity} / {self.value_amount}"


class StockMove(models.Model):
    """One line of the stock ledger: signed quantity and cost, with the document it came from."""

    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        related_name="stock_moves",
        verbose_name=_("product"),
    )
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="stock_moves", verbose_name=_("warehouse")
    )
    moved_on = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=20, choices=MoveKind.choices)
    quantity = QuantityField(_("quantity"))
    value_amount = MoneyField(_("cost"))
    # Opaque reference to the document, for drill-down: e.g. ("inventory.delivery", "42").
    source_type = models.CharField(_("source type"), max_length=50)
    source_id = models.CharField(_("source id"), max_length=50)
    reference = models.CharField(_("document number"), max_length=40)
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["moved_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="inventory_move_not_zero"),
        ]
        indexes = [
            models.Index(fields=["product", "moved_on", "id"], name="inventory_move_product"),
            models.Index(fields=["warehouse", "product", "moved_on"], name="inventory_move_wh"),
            models.Index(fields=["source_type", "source_id"], name="inventory_move_source"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.product_id} {self.quantity}"


class StockDocument(models.Model):
    """What a goods receipt and a stock adjustment share: a draft that is posted (moving stock
    and booking it) or cancelled, who wrote it and when."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StockDocumentStatus.choices,
        default=StockDocumentStatus.DRAFT,
    )
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    number: models.CharField[str, str]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number


class GoodsReceipt(StockDocument):
    """A goods receipt (入库单): goods in at a cost; posting it moves stock and books it."""

    number = models.CharField(_("receipt number"), max_length=30, unique=True, editable=False)
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("warehouse")
    )
    received_on = models.DateField(_("receipt date"))
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    total_amount = MoneyField(_("total cost"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        ordering = ["-received_on", "-id"]


class GoodsReceiptLine(models.Model):
    receipt = models.ForeignKey(
        GoodsReceipt,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("goods receipt"),
    )
    position = models.PositiveIntegerField(_("line"))
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = QuantityField(_("quantity"))
    unit_cost = models.DecimalField(
        _("unit cost"),
        max_digits=PRICE_DIGITS,
        decimal_places=PRICE_PLACES,
        validators=[MinValueValidator(Decimal(0))],
    )
    amount = MoneyField(_("cost"))

    class Meta:
        verbose_name = _("goods receipt line")
        verbose_name_plural = _("goods receipt lines")
        ordering = ["receipt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["receipt", "position"], name="inventory_receipt_line"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_receipt_qty"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="inventory_receipt_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.product_id} × {self.quantity}"


class StockAdjustment(StockDocument):
    """A stock adjustment (盘盈/盘亏): counted differences, valued at moving-average cost."""

    number = models.CharField(_("adjustment number"), max_length=30, unique=True, editable=False)
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("warehouse")
    )
    adjusted_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("stock adjustment")
        verbose_name_plural = _("stock adjustments")
        ordering = ["-adjusted_on", "-id"]


class StockAdjustmentLine(models.Model):
    adjustment = models.ForeignKey(
        StockAdjustment,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("stock adjustment"),
    )
    position = models.PositiveIntegerField(_("line"))
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    # Signed: a gain (盘盈) adds stock, a loss (盘亏) takes it away.
    quantity = QuantityField(_("quantity"))
    # Set for gains (the value the goods come in at); losses leave at moving-average cost.
    unit_cost = models.DecimalField(
        _("unit cost"),
        max_digits=PRICE_DIGITS,
        decimal_places=PRICE_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    value_amount = MoneyField(_("cost"), default=0)

    class Meta:
        verbose_name = _("stock adjustment line")
        verbose_name_plural = _("stock adjustment lines")
        ordering = ["adjustment", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["adjustment", "position"], name="inventory_adjustment_line"
            ),
            models.CheckConstraint(condition=~Q(quantity=0), name="inventory_adjustment_qty"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.product_id} {self.quantity:+}"


class Delivery(models.Model):
    """A delivery (发货单) of part or all of a sales order from one warehouse."""

    number = models.CharField(_("delivery number"), max_length=30, unique=True, editable=False)
    order = models.ForeignKey(
        "sales.SalesOrder",
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("order"),
    )
    # The order's customer, kept here so customer pages and lists need no join.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("customer"),
    )
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("warehouse")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.DRAFT
    )
    shipped_on = models.DateField(_("ship date"), null=True, blank=True)
    signed_on = models.DateField(_("signed-for date"), null=True, blank=True)
    courier = models.CharField(_("courier company"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    delivery_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    net_amount = MoneyField(_("amount excluding tax"), default=0)
    tax_amount = MoneyField(_("tax"), default=0)
    cost_amount = MoneyField(_("cost"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="inventory_delivery_customer"),
            models.Index(fields=["order"], name="inventory_delivery_order"),
        ]

    def __str__(self) -> str:
        return self.number


class DeliveryLine(models.Model):
    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="lines", verbose_name=_("delivery")
    )
    order_line = models.ForeignKey(
        "sales.SalesOrderLine",
        on_delete=models.PROTECT,
        related_name="delivery_lines",
        verbose_name=_("order line"),
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = QuantityField(_("quantity"))
    # Set when shipped: cost at moving average; revenue share of the order line.
    cost_amount = MoneyField(_("cost"), default=0)
    net_amount = MoneyField(_("amount excluding tax"), default=0)
    tax_amount = MoneyField(_("tax"), default=0)
    returned_quantity = QuantityField(_("returned"), default=0)

    class Meta:
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")
        ordering = ["delivery", "order_line__position"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_delivery_qty"),
            models.CheckConstraint(
                condition=Q(returned_quantity__gte=0)
                & Q(returned_quantity__lte=models.F("quantity")),
                name="inventory_delivery_returned_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.quantity}"


class DeliveryReturn(models.Model):
    """Goods a customer sent back (退货) from a delivery, into stock, with the reversing posting."""

    number = models.CharField(_("return number"), max_length=30, unique=True, editable=False)
    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="returns", verbose_name=_("delivery")
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="delivery_returns",
        verbose_name=_("customer"),
    )
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="returns", verbose_name=_("warehouse")
    )
    returned_on = models.DateField(_("return date"))
    reason = models.CharField(_("reason"), max_length=300)
    net_amount = MoneyField(_("amount excluding tax"), default=0)
    tax_amount = MoneyField(_("tax"), default=0)
    cost_amount = MoneyField(_("cost"), default=0)
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer return")
        verbose_name_plural = _("customer returns")
        ordering = ["-returned_on", "-id"]

    def __str__(self) -> str:
        return self.number


class DeliveryReturnLine(models.Model):
    delivery_return = models.ForeignKey(
        DeliveryReturn, on_delete=models.CASCADE, related_name="lines", verbose_name=_("return")
    )
    delivery_line = models.ForeignKey(
        DeliveryLine, on_delete=models.PROTECT, related_name="return_lines", verbose_name=_("line")
    )
    quantity = QuantityField(_("quantity"))
    cost_amount = MoneyField(_("cost"), default=0)
    net_amount = MoneyField(_("amount excluding tax"), default=0)
    tax_amount = MoneyField(_("tax"), default=0)

    class Meta:
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_return_qty"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_line_id} × {self.quantity}"
