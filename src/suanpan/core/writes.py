"""What services do with incoming data before they save: assign known fields, validate."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from suanpan.core.errors import validation_failed_from_django


def fields_assign(
    instance: models.Model,
    data: Mapping[str, Any],
    allowed: Iterable[str],
    *,
    handled: Iterable[str] = (),
) -> None:
    """Set `instance`'s `allowed` fields from `data`, text stripped. Any other name is a field
    error ("Unknown field."), except the `handled` ones the caller sets itself (relations)."""
    allowed = set(allowed)
    unknown = set(data) - allowed - set(handled)
    if unknown:
        raise validation_failed_from_django(
            ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
        )
    for name, value in data.items():
        if name in allowed:
            setattr(instance, name, value.strip() if isinstance(value, str) else value)


def instance_clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """full_clean(), its errors raised as ValidationFailed."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise validation_failed_from_django(exc) from exc
