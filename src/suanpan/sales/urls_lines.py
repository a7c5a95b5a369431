"""The shared line grid's URLs (quotes and orders use them)."""

from django.urls import path

from suanpan.sales.views import lines

urlpatterns = [
    path("lines/preview/", lines.lines_preview, name="lines_preview"),
]
