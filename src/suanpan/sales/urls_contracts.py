"""Contract pages under `sales:`."""

from django.urls import path

from suanpan.sales.views import contracts as views

urlpatterns = [
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/plan/", views.contract_plan, name="contract_plan"),
    path(
        "contracts/<int:pk>/attachments/",
        views.attachment_upload,
        name="contract_attachment_upload",
    ),
    path(
        "contracts/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="contract_attachment_download",
    ),
    path(
        "contracts/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="contract_attachment_delete",
    ),
    path("contracts/<int:pk>/<slug:action>/", views.contract_action, name="contract_action"),
]
