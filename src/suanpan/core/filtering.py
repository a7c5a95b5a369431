"""One way to apply a django-filter FilterSet, for selectors, the API and the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import django_filters
import django_filters.fields
from django.db.models import QuerySet
from django_filters import FilterSet

from suanpan.core.errors import ValidationFailed

Q = TypeVar("Q", bound=QuerySet[Any])


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


def filter_params(filters: Any, *, flags: Iterable[str] = ()) -> dict[str, Any]:
    """An API query's filters (a ninja Schema) that the caller gave, as the FilterSet reads
    them: blanks left out, the boolean `flags` spelt "true" or "false"."""
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    for name in flags:
        if name in params:
            params[name] = "true" if params[name] else "false"
    return params


def filtered_rows(found: tuple[Q, FilterSet]) -> Q:
    """A list selector's rows for an API or CLI caller, whose invalid filters are refused
    (filterset_require_valid)."""
    queryset, filterset = found
    filterset_require_valid(filterset)
    return queryset


class _ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """A select's choices read by one plain query: Django's iterator reads them through
    `.iterator()`, which on PostgreSQL opens a server-side cursor (DECLARE, FETCH, CLOSE) —
    three round trips on every list page for the few dozen users of an owner filter."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _ListedChoiceIterator


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter for short lists (owners, warehouses) whose choices come in one
    plain query."""

    field_class = ListedModelChoiceField
