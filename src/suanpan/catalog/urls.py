from django.urls import path

from suanpan.catalog.views import products, tax_categories, transfer

app_name = "catalog"

urlpatterns = [
    path("", products.product_list, name="product_list"),
    path("new/", products.product_create, name="product_create"),
    path("search/", products.product_search, name="product_search"),
    path("import/", transfer.product_import, name="product_import"),
    path("export/", transfer.product_export, name="product_export"),
    path("<int:pk>/", products.product_detail, name="product_detail"),
    path("<int:pk>/edit/", products.product_edit, name="product_edit"),
    path("<int:pk>/deactivate/", products.product_deactivate, name="product_deactivate"),
    path("tax-categories/", tax_categories.tax_category_list, name="tax_category_list"),
    path("tax-categories/new/", tax_categories.tax_category_create, name="tax_category_create"),
    path(
        "tax-categories/<int:pk>/edit/", tax_categories.tax_category_edit, name="tax_category_edit"
    ),
    path(
        "tax-categories/<int:pk>/deactivate/",
        tax_categories.tax_category_deactivate,
        name="tax_category_deactivate",
    ),
    path(
        "tax-categories/<int:pk>/delete/",
        tax_categories.tax_category_delete,
        name="tax_category_delete",
    ),
]
