"""Deliveries and customer returns (names under `inventory:`)."""

from django.urls import path

from suanpan.inventory.views import deliveries, returns

urlpatterns = [
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
