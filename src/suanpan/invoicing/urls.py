"""The invoicing pages, all named under `invoicing:`. Each area keeps its own list of patterns."""

from django.urls import path

from suanpan.invoicing.views import platform

app_name = "invoicing"

urlpatterns: list = []

platform_urls = [
    path("platform/", platform.platform_home, name="platform"),
    path("platform/export/", platform.platform_export_view, name="platform_export"),
    path("platform/failures/", platform.platform_failures, name="platform_failures"),
    path(
        "platform/issued/",
        platform.platform_import,
        {"kind": "issued"},
        name="platform_issued",
    ),
    path("platform/xml/", platform.platform_import, {"kind": "xml"}, name="platform_xml"),
    path("platform/batches/", platform.platform_batches, name="platform_batches"),
]
urlpatterns += platform_urls
