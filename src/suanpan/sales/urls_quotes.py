"""Quote pages under `sales:`."""

from django.urls import path

from suanpan.sales.views import quotes as views

urlpatterns = [
    path("quotes/", views.quote_list, name="quote_list"),
    path("quotes/new/", views.quote_create, name="quote_create"),
    path("quotes/<int:pk>/", views.quote_detail, name="quote_detail"),
    path("quotes/<int:pk>/edit/", views.quote_edit, name="quote_edit"),
    path("quotes/<int:pk>/pdf/", views.quote_pdf, name="quote_pdf"),
    path("quotes/<int:pk>/contract/", views.quote_convert_contract, name="quote_convert_contract"),
    path(
        "quotes/<int:pk>/<slug:action>/",
        views.quote_action,
        name="quote_action",
    ),
]
