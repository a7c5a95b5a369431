"""What the sales documents' selectors share: who sees which rows, and how a list is filtered
and sorted."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, QuerySet
from django_filters import FilterSet

from suanpan.core.filtering import filterset_qs
from suanpan.customers.selectors import customer_visible
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

M = TypeVar("M", bound=Model)
F = TypeVar("F", bound=FilterSet)


def _newest_id_last(last: str) -> tuple[str, ...]:
    return ("-id",)


def filtered_list(
    base: QuerySet[M],
    *,
    filterset_class: type[F],
    filters: Mapping[str, Any] | None,
    default_order: Sequence[str],
    tie_breakers: Callable[[str], tuple[str, ...]] | None = _newest_id_last,
) -> tuple[QuerySet[M], F]:
    """A list filtered by its FilterSet (none while the filters are invalid) and sorted: by
    `default_order` unless an ordering is asked for, which gets `tie_breakers(last key)` after
    it so that pages stay stable when many rows share a value. The FilterSet comes back for
    forms and errors."""
    filterset = filterset_class(data=filters or {}, queryset=base)
    queryset = filterset_qs(filterset, base=base)
    ordering = list(queryset.query.order_by)
    if not (filters or {}).get("ordering") or not ordering:
        queryset = queryset.order_by(*default_order)
    elif tie_breakers is not None and "id" not in ordering and "-id" not in ordering:
        queryset = queryset.order_by(*ordering, *tie_breakers(str(ordering[-1])))
    return queryset, filterset


def customer_seen(*, user: User, pk: str | int | None) -> Customer | None:
    """The customer with this id if the user sees it, else None: a customer a page's query
    string names (a list filter, a form's preset)."""
    if pk is None or not str(pk).isdigit():
        return None
    return customer_visible(user=user).filter(pk=pk).first()


def row_by_id(model: type[M], pk: int | None, **lookups: Any) -> M | None:
    """The row of `model` with this id (and `lookups`), or None: for the ids an API caller
    sends, which the services check further (visibility, status)."""
    if pk is None:
        return None
    return model._default_manager.filter(pk=pk, **lookups).first()


def visible_by_id(visible: QuerySet[M], pk: int | None) -> M | None:
    """The row with this id among those the user sees (`visible`, a document's `*_visible`),
    or None: an id an API caller sends that names another salesperson's document answers as
    one that does not exist, so no later check can name its number or title."""
    if pk is None:
        return None
    return visible.filter(pk=pk).first()
