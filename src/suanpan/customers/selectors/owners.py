"""The users a customer may be handed to (owner, shared with): active users only."""

from __future__ import annotations

from django.db.models import QuerySet

from suanpan.users.models import User


def owner_choices() -> QuerySet[User]:
    """Active users, for the owner pickers of forms."""
    return User.objects.filter(is_active=True)


def owner_get(*, pk: int | None) -> User | None:
    """The active user with this id, or None (also for no id)."""
    if pk is None:
        return None
    return owner_choices().filter(pk=pk).first()
