from django.urls import path

from suanpan.customers import views, views_transfer

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("search/", views.customer_search, name="search"),
    path("import/", views_transfer.customer_import, name="import"),
    path("export/", views_transfer.customer_export, name="export"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/deactivate/", views.customer_deactivate, name="deactivate"),
    path("<int:pk>/delete/", views.customer_delete, name="delete"),
    path("<int:pk>/merge/", views.customer_merge, name="merge"),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_edit, name="contact_edit"),
    path("<int:pk>/contacts/<int:contact_pk>/delete/", views.contact_delete, name="contact_delete"),
    path("<int:pk>/addresses/", views.address_add, name="address_add"),
    path(
        "<int:pk>/addresses/<int:address_pk>/delete/", views.address_delete, name="address_delete"
    ),
    path("<int:pk>/followups/", views.followup_add, name="followup_add"),
]
