from django.urls import include, path

app_name = "inventory"
urlpatterns: list = [
    path("", include("suanpan.inventory.urls_deliveries")),
    path("", include("suanpan.inventory.urls_stock")),
]
