"""The inventory pages, all named under `inventory:`."""

from django.urls import path

from suanpan.inventory.views import adjustments, deliveries, receipts, returns, stock, warehouses

app_name = "inventory"

delivery_urls = [
    path("deliveries/", deliveries.delivery_list, name="delivery_list"),
    path("deliveries/new/", deliveries.delivery_create, name="delivery_create"),
    path("deliveries/<int:pk>/", deliveries.delivery_detail, name="delivery_detail"),
    path("deliveries/<int:pk>/edit/", deliveries.delivery_edit, name="delivery_edit"),
    path("deliveries/<int:pk>/ship/", deliveries.delivery_ship, name="delivery_ship"),
    path("deliveries/<int:pk>/sign/", deliveries.delivery_sign, name="delivery_sign"),
    path("deliveries/<int:pk>/cancel/", deliveries.delivery_cancel, name="delivery_cancel"),
    path("deliveries/<int:pk>/print/", deliveries.delivery_print, name="delivery_print"),
    path("returns/", returns.return_list, name="return_list"),
    path("returns/new/", returns.return_create, name="return_create"),
    path("returns/<int:pk>/", returns.return_detail, name="return_detail"),
]

stock_urls = [
    path("", stock.stock_list, name="home"),
    path("export/", stock.stock_export, name="stock_export"),
    path("products/<int:pk>/ledger/", stock.stock_ledger, name="stock_ledger"),
    path("warehouses/", warehouses.warehouse_list, name="warehouse_list"),
    path("warehouses/new/", warehouses.warehouse_create, name="warehouse_create"),
    path("warehouses/<int:pk>/edit/", warehouses.warehouse_edit, name="warehouse_edit"),
    path(
        "warehouses/<int:pk>/deactivate/",
        warehouses.warehouse_deactivate,
        name="warehouse_deactivate",
    ),
    path("receipts/", receipts.receipt_list, name="receipt_list"),
    path("receipts/new/", receipts.receipt_create, name="receipt_create"),
    path("receipts/<int:pk>/", receipts.receipt_detail, name="receipt_detail"),
    path("receipts/<int:pk>/edit/", receipts.receipt_edit, name="receipt_edit"),
    path("receipts/<int:pk>/post/", receipts.receipt_post, name="receipt_post"),
    path("receipts/<int:pk>/cancel/", receipts.receipt_cancel, name="receipt_cancel"),
    path("adjustments/", adjustments.adjustment_list, name="adjustment_list"),
    path("adjustments/new/", adjustments.adjustment_create, name="adjustment_create"),
    path("adjustments/<int:pk>/", adjustments.adjustment_detail, name="adjustment_detail"),
    path("adjustments/<int:pk>/edit/", adjustments.adjustment_edit, name="adjustment_edit"),
    path("adjustments/<int:pk>/post/", adjustments.adjustment_post, name="adjustment_post"),
    path("adjustments/<int:pk>/cancel/", adjustments.adjustment_cancel, name="adjustment_cancel"),
]

urlpatterns = [*delivery_urls, *stock_urls]
