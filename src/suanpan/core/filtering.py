"""One way to apply a django-filter FilterSet, for selectors, the API and the CLI."""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, TypeVar

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q as Match
from django.db.models import QuerySet
from django.utils.translation import get_language
from django_filters import FilterSet
from django_filters.filters import Filter
from django_filters.filterset import FilterSetMetaclass

from suanpan.core.errors import ValidationFailed
from suanpan.core.forms import DateInput

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


def date_filter(*, field_name: str | None = None, after: bool, label: Any) -> Any:
    """One end of a date range, shown as a date picker: on or after the date (`after`), else on
    or before it. A date-time field is compared by its date (`created_at__date`)."""
    return django_filters.DateFilter(
        field_name=field_name,
        lookup_expr="gte" if after else "lte",
        label=label,
        widget=DateInput(),
    )


def _filter_copy(filter_: Filter) -> Filter:
    """A filter for one FilterSet instance: its own attributes (a FilterSet may set its
    `queryset` or `field_name`), the declared values shared. Its form field is made afresh,
    and a method filter's FilterMethod is remade for the copy, as it calls back the filter
    it was made for."""
    copied = copy.copy(filter_)
    copied.__dict__.pop("_field", None)
    if copied.method is not None:
        copied.method = copied.method
    return copied


class _FiltersCopiedPerInstance(OrderedDict[str, Filter]):
    """A FilterSet class's filters, which each instance copies: shallowly (`_filter_copy`)
    instead of django-filter's deep copy of every filter, its choices, querysets and widgets,
    about a twentieth of a list page's work."""

    def __deepcopy__(self, memo: dict[int, Any]) -> OrderedDict[str, Filter]:
        return OrderedDict((name, _filter_copy(f)) for name, f in self.items())


class _ListFilterSetMetaclass(FilterSetMetaclass):
    def __new__(cls, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        new_class = super().__new__(cls, name, bases, attrs)
        for filter_name, filter_ in new_class.base_filters.items():
            if callable(filter_.extra.get("queryset")):
                raise ImproperlyConfigured(
                    f"{name}.{filter_name}: a ListFilterSet builds its form once, so a "
                    "filter's queryset cannot depend on the request; give a QuerySet."
                )
        search = new_class.base_filters.get("q")
        if (
            search is not None
            and new_class._meta.model is not None
            and search.method == "filter_search"
            and not new_class.search_lookups
            and new_class.filter_search is ListFilterSet.filter_search
        ):
            raise ImproperlyConfigured(
                f"{name}.q: name the fields the search looks in (search_lookups), or write "
                "its own filter_search."
            )
        new_class.base_filters = _FiltersCopiedPerInstance(new_class.base_filters)
        new_class._form_classes = {}
        return new_class


class ListFilterSet(FilterSet, metaclass=_ListFilterSetMetaclass):
    """The FilterSet every list's filters derive from: the same filtering, at less cost per
    request. Its filters are copied shallowly, and its form class is built once per class
    and language, from the filters as the class declares them, instead of on every request
    (each form still copies its fields, so a view may change one page's field). An
    instance may change how a filter filters (its `field_name`, say), not the field it
    shows: declare that on the class."""

    _form_classes: ClassVar[dict[str | None, type[forms.Form]]]
    # The lookups a search (`q = CharFilter(method="filter_search")`) tries, any of them
    # matching: "number__icontains", "customer__number__iexact", …
    search_lookups: ClassVar[tuple[str, ...]] = ()

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """The rows where any of `search_lookups` matches the typed text (trimmed); all rows
        for a blank search."""
        value = value.strip()
        if not value:
            return queryset
        match = Match()
        for lookup in self.search_lookups:
            match |= Match(**{lookup: value})
        return queryset.filter(match)

    def get_form_class(self) -> type[forms.Form]:
        # Per language: a filter without an explicit label gets one from the model's
        # verbose names, translated when the field is made.
        language = get_language()
        form_class = self._form_classes.get(language)
        if form_class is None:
            declared = copy.deepcopy(self.base_filters)
            for filter_ in declared.values():
                filter_.model = self.queryset.model
                filter_.parent = self
            fields = {name: filter_.field for name, filter_ in declared.items()}
            form_class = type(f"{type(self).__name__}Form", (self._meta.form,), fields)
            self._form_classes[language] = form_class
        return form_class
