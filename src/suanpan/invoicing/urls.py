"""The invoicing pages, all named under `invoicing:`. Each area keeps its own list of patterns."""

from django.urls import path  # noqa: F401

app_name = "invoicing"

urlpatterns: list = []
