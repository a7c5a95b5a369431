"""A signed-in user's chosen language wins; without one, LocaleMiddleware's pick stands."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from suanpan.users.models import User


def user_language_activate(request: HttpRequest, user: User) -> None:
    """Answer in the user's language, if they chose one."""
    if user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = translation.get_language()


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            user_language_activate(request, request.user)
        return self.get_response(request)
