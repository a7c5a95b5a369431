"""The invoicing pages, all named under `invoicing:`. Each area keeps its own list of patterns."""

from django.urls import path

from suanpan.invoicing.views import invoices, vat_report

app_name = "invoicing"

invoice_urls = [
    path("invoices/", invoices.invoice_list, name="invoice_list"),
    path("invoices/export/", invoices.invoice_export, name="invoice_export"),
    path("invoices/enter/", invoices.invoice_enter, name="invoice_enter"),
    path("invoices/<int:pk>/", invoices.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/pdf/", invoices.invoice_pdf, name="invoice_pdf"),
    path("vat-report/", vat_report.vat_report, name="vat_report"),
    path("vat-report/export/", vat_report.vat_report_export, name="vat_report_export"),
]

urlpatterns: list = []
urlpatterns += invoice_urls
