"""The two permission gates: one for pages, one for API operations.

Both map the same permission strings the services check, so a page, an API call and a CLI
command are refused alike. The service stays the authority; a gate only refuses early, before
any form is bound or any query runs, with the page's 403 or the API's error shape.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.utils import contribute_operation_callback

from suanpan.users.permissions import permission_require

F = TypeVar("F", bound=Callable[..., Any])


def page_permission(*perms: str) -> Callable[[F], F]:
    """Login first, then 403 unless the user holds one of `perms` (none: any signed-in user)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if perms and not any(request.user.has_perm(perm) for perm in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(F, login_required(wrapped))

    return decorate


def api_permission(*perms: str) -> Callable[[F], F]:
    """Refuse an API operation (403, the API's error shape) unless its user holds one of
    `perms`. Put it below the router's decorator; the check runs after authentication and
    input validation, inside the operation, so a refusal answers like any domain error."""

    def gate(operation: Any) -> None:
        view = operation.view_func
        if getattr(view, "permission_gate", None) == perms:
            return  # a cloned operation keeps the gate it already has

        @wraps(view)
        def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            permission_require(request.user, *perms)
            return view(request, *args, **kwargs)

        gated.permission_gate = perms  # type: ignore[attr-defined]
        operation.view_func = gated

    def decorate(operation_func: F) -> F:
        contribute_operation_callback(operation_func, gate)
        return operation_func

    return decorate
