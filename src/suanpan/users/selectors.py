"""Reads of users other apps need."""

from __future__ import annotations

from suanpan.users.models import User


def company_actor() -> User | None:
    """Whom the company's own scheduled work acts as, where a document must name a user: the
    first active superuser (as the command line does without --as); None when there is none."""
    return User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
