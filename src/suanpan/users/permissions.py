"""The permission check every service makes before it writes."""

from __future__ import annotations

from typing import Any

from suanpan.core.errors import PermissionDeniedError


def permission_require(actor: Any, *perms: str) -> None:
    """Refuse unless the actor holds one of `perms` (403 in pages and the API)."""
    if not any(actor.has_perm(perm) for perm in perms):
        raise PermissionDeniedError()
