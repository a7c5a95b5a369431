"""Sales order pages (names under `sales:`)."""

from django.urls import path

from suanpan.sales.views import orders

urlpatterns = [
    path("orders/", orders.order_list, name="order_list"),
    path("orders/new/", orders.order_create, name="order_create"),
    path("orders/<int:pk>/", orders.order_detail, name="order_detail"),
    path("orders/<int:pk>/edit/", orders.order_edit, name="order_edit"),
    path("orders/<int:pk>/confirm/", orders.order_confirm, name="order_confirm"),
    path("orders/<int:pk>/pick/", orders.order_pick, name="order_pick"),
    path("orders/<int:pk>/complete/", orders.order_complete, name="order_complete"),
    path("orders/<int:pk>/cancel/", orders.order_cancel, name="order_cancel"),
    path("orders/<int:pk>/notes/", orders.order_note_add, name="order_note_add"),
    path("quotes/<int:pk>/order/", orders.order_create_from_quote, name="order_create_from_quote"),
    path(
        "contracts/<int:pk>/order/",
        orders.order_create_from_contract,
        name="order_create_from_contract",
    ),
]
