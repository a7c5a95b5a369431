from django.urls import path

from suanpan.catalog import views, views_transfer

app_name = "catalog"

urlpatterns = [
    path("", views.product_list, name="product_list"),
    path("new/", views.product_create, name="product_create"),
    path("search/", views.product_search, name="product_search"),
    path("import/", views_transfer.product_import, name="product_import"),
    path("export/", views_transfer.product_export, name="product_export"),
    path("<int:pk>/", views.product_detail, name="product_detail"),
    path("<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("<int:pk>/deactivate/", views.product_deactivate, name="product_deactivate"),
    path("tax-categories/", views.tax_category_list, name="tax_category_list"),
    path("tax-categories/new/", views.tax_category_create, name="tax_category_create"),
    path("tax-categories/<int:pk>/edit/", views.tax_category_edit, name="tax_category_edit"),
    path(
        "tax-categories/<int:pk>/deactivate/",
        views.tax_category_deactivate,
        name="tax_category_deactivate",
    ),
    path("tax-categories/<int:pk>/delete/", views.tax_category_delete, name="tax_category_delete"),
]
