"""The sales app's pages, one URL module per document (each owns its names under `sales:`)."""

from django.urls import include, path

app_name = "sales"
urlpatterns: list = [
    path("", include("suanpan.sales.urls_lines")),
    path("", include("suanpan.sales.urls_opportunities")),
    path("", include("suanpan.sales.urls_orders")),
    path("", include("suanpan.sales.urls_quotes")),
    path("", include("suanpan.sales.urls_contracts")),
]
