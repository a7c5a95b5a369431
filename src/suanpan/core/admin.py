"""Admin pieces every app shares."""

from typing import Any

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """Before a ModelAdmin or an inline: the admin looks, never adds, changes or deletes (the
    app's services are the only writers)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
