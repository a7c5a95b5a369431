"""Who history rows name as the author of a change.

Services run for pages, the API, the CLI and background jobs; only pages carry a request. The
`audited` decorator records the service's `actor` for the duration of the call, so every
history row names the person the service acted for, whatever the entry point.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_actor: ContextVar[Any] = ContextVar("suanpan_actor", default=None)


def audited(func: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _actor.set(kwargs.get("actor"))
        try:
            return func(*args, **kwargs)
        finally:
            _actor.reset(token)

    return wrapper


def history_user(instance: Any = None, request: Any = None, **kwargs: Any) -> Any:
    """`get_user` for simple_history: the acting service's actor, else the signed-in user."""
    actor = _actor.get()
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return None
