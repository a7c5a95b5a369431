"""The invoicing pages, all named under `invoicing:`. Each area keeps its own list of patterns."""

from django.urls import path

from suanpan.invoicing.views import history_import

app_name = "invoicing"

urlpatterns: list = []

history_import_urls = [
    path("history-imports/", history_import.history_import_upload, name="history_import_upload"),
    path(
        "history-imports/<int:pk>/",
        history_import.history_import_detail,
        name="history_import_detail",
    ),
    path(
        "history-imports/<int:pk>/commit/",
        history_import.history_import_commit,
        name="history_import_commit",
    ),
]
urlpatterns += history_import_urls
