"""The error answers: pages in the user's language, and under /api/ the API's error body.

The root URLconf names these as Django's handler400/403/404/500. Pages use the 400/403/404/500
templates (web/templates/), which extend the layout; the 500 page is rendered without a request
context, so it needs neither the database nor a user. Under /api/ the body has the shape every
API error has, `{"code", "message", "fields"}` (see suanpan.api.api): most API errors are answered
by the API itself, these are the ones that never reach it — an unknown /api/ address, a failure
before or after an endpoint runs.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def _for_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return _api_error(400, "bad_request", _("The request could not be understood."))
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return _api_error(403, "permission_denied", _("You do not have permission to do this."))
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_api(request):
        return _api_error(404, "not_found", _("Not found."))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _for_api(request):
        return _api_error(
            500, "server_error", _("Something went wrong on our side. Please try again later.")
        )
    return defaults.server_error(request)
