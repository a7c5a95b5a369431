from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from suanpan.api.api import api, api_not_found
from suanpan.customers import urls as customer_urls
from suanpan.ledger import urls as ledger_urls
from suanpan.web.views.customers import customer_detail

# The customer page keeps its name and path in the customers namespace; web composes it from
# the tabs of several apps, which the customers app must not import.
customer_patterns = [
    path("<int:pk>/", customer_detail, name="detail"),
    *customer_urls.urlpatterns,
]

urlpatterns = [
    path("", include("suanpan.web.urls")),
    path("", include("suanpan.users.urls")),
    path("customers/", include((customer_patterns, customer_urls.app_name))),
    path("products/", include("suanpan.catalog.urls")),
    path("sales/", include("suanpan.sales.urls")),
    path("inventory/", include("suanpan.inventory.urls")),
    path("invoicing/", include("suanpan.invoicing.urls")),
    path("receivables/", include("suanpan.receivables.urls")),
    path("ledger/reports/", include(ledger_urls.reports)),
    path("ledger/", include("suanpan.ledger.urls")),
    path("api/", api.urls),
    # Any other address under api/ (an id that is not a number, a typo) answers in the API's
    # error shape, not with the HTML page.
    re_path(r"^api/", api_not_found),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Error answers: pages in the user's language, the API's error body under /api/.
handler400 = "suanpan.web.views.errors.bad_request"
handler403 = "suanpan.web.views.errors.permission_denied"
handler404 = "suanpan.web.views.errors.page_not_found"
handler500 = "suanpan.web.views.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
