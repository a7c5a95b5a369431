from django.urls import path

from suanpan.customers.views import contacts, customers, followups, transfer

app_name = "customers"

# The customer page (`customers:detail`, <pk>/) is routed by the project's urls.py to the page
# `suanpan.web` composes from this app's tabs and those of the apps above it.
urlpatterns = [
    path("", customers.customer_list, name="list"),
    path("new/", customers.customer_create, name="create"),
    path("search/", customers.customer_search, name="search"),
    path("import/", transfer.customer_import, name="import"),
    path("export/", transfer.customer_export, name="export"),
    path("<int:pk>/edit/", customers.customer_edit, name="edit"),
    path("<int:pk>/deactivate/", customers.customer_deactivate, name="deactivate"),
    path("<int:pk>/delete/", customers.customer_delete, name="delete"),
    path("<int:pk>/merge/", customers.customer_merge, name="merge"),
    path("<int:pk>/contacts/", contacts.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/delete/", contacts.contact_delete, name="contact_delete"
    ),
    path("<int:pk>/addresses/", contacts.address_add, name="address_add"),
    path(
        "<int:pk>/addresses/<int:address_pk>/delete/",
        contacts.address_delete,
        name="address_delete",
    ),
    path("<int:pk>/followups/", followups.followup_add, name="followup_add"),
]
