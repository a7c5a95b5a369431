from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from suanpan.users.choices import Role
from suanpan.users.models import ApiToken, User
from suanpan.users.roles import ROLE_PERMISSIONS


@transaction.atomic
def roles_sync() -> None:
    """Create the built-in role groups and give each exactly its permissions."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        if perms == ["*"]:
            group.permissions.set(Permission.objects.all())
            continue
        query = Q(pk__in=[])
        for perm in perms:
            app_label, codename = perm.split(".")
            query |= Q(content_type__app_label=app_label, codename=codename)
        found = list(Permission.objects.filter(query))
        group.permissions.set(found)


def roles_sync_after_migrate(sender: Any, **kwargs: Any) -> None:
    """post_migrate fires per app with models; act after the last, when all permissions exist."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is with_models[-1]:
        roles_sync()


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    roles: list[Role] | list[str],
    display_name: str = "",
    email: str = "",
    language: str = "",
) -> User:
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        language=language,
        is_staff=Role.ADMINISTRATOR in roles,
        is_superuser=Role.ADMINISTRATOR in roles,
    )
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=[str(r) for r in roles]))
    return user


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its key; the key is not stored and shown only once."""
    key = "sp_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[3:11], key_hash=ApiToken.hash_key(key)
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_authenticate(*, key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_profile_update(*, user: User, display_name: str, email: str, language: str) -> None:
    user.display_name = display_name
    user.email = email
    user.language = language
    user.save(update_fields=["display_name", "email", "language"])


def user_language_set(*, user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
