"""The receivables pages, all named under `receivables:`."""

from django.urls import path

from suanpan.receivables.views import home, receipts, settlements

app_name = "receivables"

urlpatterns = [
    path("", home.home, name="home"),
    path("receipts/", receipts.receipt_list, name="receipt_list"),
    path("receipts/new/", receipts.receipt_create, name="receipt_create"),
    path(
        "receipts/open-invoices/",
        receipts.receipt_open_invoices,
        name="receipt_open_invoices",
    ),
    path("receipts/<int:pk>/", receipts.receipt_detail, name="receipt_detail"),
    path("receipts/<int:pk>/cancel/", receipts.receipt_cancel, name="receipt_cancel"),
    path("settle/", settlements.settle, name="settle"),
    path("settlements/", settlements.settlement_list, name="settlement_list"),
    path("settlements/<int:pk>/", settlements.settlement_detail, name="settlement_detail"),
    path("settlements/<int:pk>/undo/", settlements.settlement_undo, name="settlement_undo"),
]
