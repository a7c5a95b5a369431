"""What every request and answer passes through: input no column can store is refused, and
the answers get their security and caching headers.

PostgreSQL cannot store a NUL character in text: a `\\u0000` in a JSON string or `%00` in a
query string used to end in a server error. Pages' forms refuse it field by field (Django's
`CharField` does); query strings and the API's JSON bodies are refused here, the API's with its
own error shape (422, the field named as in other validation errors), a page's with 400.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from suanpan.core.errors import ValidationFailed

API_PREFIX = "/api/"
NUL = "\x00"


def nul_locations(value: Any, location: str = "") -> Iterator[str]:
    """Where a JSON document holds a NUL character (in a key or a string), as dotted paths."""
    if isinstance(value, str):
        if NUL in value:
            yield location or "__all__"
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{location}.{key}" if location else str(key)
            if NUL in str(key):
                yield where.replace(NUL, "")
            yield from nul_locations(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_locations(item, f"{location}.{index}" if location else str(index))


def _request_nul_locations(request: HttpRequest) -> list[str]:
    found = [
        key.replace(NUL, "")
        for key, values in request.GET.lists()
        if NUL in key or any(NUL in v for v in values)
    ]
    if NUL in request.path:
        found.append("__all__")
    if request.path.startswith(API_PREFIX) and request.content_type == "application/json":
        try:
            body = json.loads(request.body) if request.body else None
        except ValueError:
            body = None  # the API answers an unparsable body itself
        found.extend(nul_locations(body))
    return found


class NulCharacterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        locations = _request_nul_locations(request)
        if not locations:
            return self.get_response(request)
        message = _("Text must not contain NUL characters.")
        if request.path.startswith(API_PREFIX):
            error = ValidationFailed(fields={where: [message] for where in locations})
            return JsonResponse(error.as_dict(), status=error.http_status)
        return HttpResponseBadRequest(message)


class ResponseHeadersMiddleware:
    """The Content-Security-Policy on every answer, and `Cache-Control: private, no-store` on
    every answer to a signed-in user (a session or an API token): a customer list or a ledger
    page must not stay in a shared cache or in the browser's history cache after sign-out.

    The policy (`settings.CONTENT_SECURITY_POLICY`) allows scripts from the app's own static
    files only — pages declare behaviour with data attributes, not inline handlers; inline
    styles stay allowed (print layouts, Bootstrap's and htmx's own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
