"""What the sales documents' selectors share: who sees which rows, and how a list is filtered
and sorted."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django_filters import FilterSet

from suanpan.core.filtering import filterset_qs
from suanpan.customers.selectors import customer_visible
from suanpan.users.models import User

M = TypeVar("M", bound=Model)
F = TypeVar("F", bound=FilterSet)


def customer_scoped(queryset: QuerySet[M], *, user: User, perm: str) -> QuerySet[M]:
    """The rows of `queryset` whose customer the user sees; none without `perm`."""
    if not user.has_perm(perm):
        return queryset.none()
    if user.has_perm("customers.view_all_customers"):
        return queryset
    return queryset.filter(customer_id__in=customer_visible(user=user).values("pk"))


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
