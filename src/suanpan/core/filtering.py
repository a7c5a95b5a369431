"""One way to apply a django-filter FilterSet, for selectors, the API and the CLI."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import FilterSet

from suanpan.core.errors import ValidationFailed


def filterset_qs(filterset: FilterSet, *, base: QuerySet[Any]) -> QuerySet[Any]:
    """The filtered rows, or none while the filters are invalid (a page then shows the
    FilterSet's errors beside an empty list)."""
    return filterset.qs if filterset.is_valid() else base.none()


def filterset_require_valid(filterset: FilterSet) -> None:
    """Refuse invalid filters with ValidationFailed and each field's messages: an unknown
    owner or ordering is a mistake to report to an API or CLI caller, not an empty list."""
    if not filterset.is_valid():
        raise ValidationFailed(
            fields={name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
        )
