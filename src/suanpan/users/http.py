"""The request type of views behind login_required: its user is a Suanpan User."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from suanpan.users.models import User
from suanpan.users.permissions import permission_require


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def request_user(request: HttpRequest) -> User:
    """The signed-in user of an API request (the API's auth has already refused anonymous
    callers, so this is always a Suanpan User)."""
    return request.user  # type: ignore[return-value]


def request_permission_require(request: HttpRequest, perm: str) -> None:
    """Refuse the request (403) unless its user holds `perm`."""
    permission_require(request_user(request), perm)
