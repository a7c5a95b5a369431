from django.urls import path

from suanpan.catalog import views

app_name = "catalog"

urlpatterns = [
    path("search/", views.product_search, name="product_search"),
]
