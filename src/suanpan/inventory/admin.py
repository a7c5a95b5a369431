"""Read-only: stock moves only through the application's services, which keep stock levels,
moving-average costs, the stock ledger and the postings in step. The admin looks, never edits."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from suanpan.core.admin import ReadOnlyAdminMixin
from suanpan.inventory.models import (
    Delivery,
    DeliveryLine,
    DeliveryReturn,
    DeliveryReturnLine,
    GoodsReceipt,
    GoodsReceiptLine,
    ProductCost,
    StockAdjustment,
    StockAdjustmentLine,
    StockLevel,
    StockMove,
    Warehouse,
)


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


@admin.register(Warehouse)
class WarehouseAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "address", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("product", "warehouse", "quantity")
    list_filter = ("warehouse",)
    search_fields = ("product__code", "product__name")
    list_select_related = ("product", "warehouse")


@admin.register(ProductCost)
class ProductCostAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("product", "quantity", "value_amount")
    search_fields = ("product__code", "product__name")
    list_select_related = ("product",)


@admin.register(StockMove)
class StockMoveAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "moved_on",
        "kind",
        "reference",
        "product",
        "warehouse",
        "quantity",
        "value_amount",
    )
    list_filter = ("kind", "warehouse")
    search_fields = ("reference", "product__code", "product__name")
    list_select_related = ("product", "warehouse")
    date_hierarchy = "moved_on"


class GoodsReceiptLineInline(ReadOnlyInline):
    model = GoodsReceiptLine


@admin.register(GoodsReceipt)
class GoodsReceiptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "received_on", "supplier", "warehouse", "status", "total_amount")
    list_filter = ("status", "warehouse")
    search_fields = ("number", "supplier")
    list_select_related = ("warehouse",)
    inlines = [GoodsReceiptLineInline]


class StockAdjustmentLineInline(ReadOnlyInline):
    model = StockAdjustmentLine


@admin.register(StockAdjustment)
class StockAdjustmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "adjusted_on", "warehouse", "reason", "status")
    list_filter = ("status", "warehouse")
    search_fields = ("number", "reason")
    list_select_related = ("warehouse",)
    inlines = [StockAdjustmentLineInline]


class DeliveryLineInline(ReadOnlyInline):
    model = DeliveryLine


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("number", "order", "customer", "warehouse", "status", "shipped_on", "signed_on")
    list_filter = ("status", "warehouse")
    search_fields = ("number", "order__number", "customer__name", "tracking_number")
    list_select_related = ("order", "customer", "warehouse")
    inlines = [DeliveryLineInline]


class DeliveryReturnLineInline(ReadOnlyInline):
    model = DeliveryReturnLine


@admin.register(DeliveryReturn)
class DeliveryReturnAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "delivery", "customer", "warehouse", "returned_on")
    list_filter = ("warehouse",)
    search_fields = ("number", "delivery__number", "customer__name")
    list_select_related = ("delivery", "customer", "warehouse")
    inlines = [DeliveryReturnLineInline]
