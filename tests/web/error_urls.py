"""The project's URLs plus addresses that fail, for the error answers' tests."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from suanpan import urls as project


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [
    path("boom/", _boom),
    path("api/boom/", _boom),
    path("api/forbidden/", _forbidden),
    *project.urlpatterns,
]

handler400 = project.handler400
handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500
