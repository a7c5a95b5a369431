"""The invoicing pages, all named under `invoicing:`. Each area keeps its own list of patterns."""

from django.urls import path

from suanpan.invoicing.views import requests

app_name = "invoicing"

urlpatterns: list = []

request_urls = [
    path("", requests.request_list, name="home"),
    path("requests/new/", requests.request_create, name="request_create"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", requests.request_edit, name="request_edit"),
    path("requests/<int:pk>/approve/", requests.request_approve, name="request_approve"),
    path("requests/<int:pk>/reject/", requests.request_reject, name="request_reject"),
    path("requests/<int:pk>/cancel/", requests.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/issue/", requests.request_issue, name="request_issue"),
]
urlpatterns += request_urls
