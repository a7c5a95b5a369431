"""Reads the inventory lists share (rows a permission lets the user see, the filtered and
sorted list) and one goods receipt or stock adjustment with its lines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404
from django_filters import FilterSet

from suanpan.core.listing import list_filtered
from suanpan.users.models import User

M = TypeVar("M", bound=Model)
F = TypeVar("F", bound=FilterSet)


def visible_with_perm(user: User, model: type[M], perm: str) -> QuerySet[M]:
    if not user.has_perm(perm):
        return model._default_manager.none()
    return model._default_manager.all()


def filtered_list(
    base: QuerySet[M],
    filter_class: type[F],
    filters: Mapping[str, Any] | None,
    *,
    ordering: tuple[str, ...],
) -> tuple[QuerySet[M], F]:
    """The filtered rows of `base`, in `ordering` unless the filters ask for another."""
    filterset = filter_class(data=filters or {}, queryset=base)
    return list_filtered(filterset, base=base, default_ordering=ordering), filterset


def document_get(visible: QuerySet[M], pk: int | str) -> M:
    """One document with its warehouse, author, lines and their products; 404 for anything
    the user may not read."""
    try:
        return (
            visible.select_related("warehouse", "created_by")
            .prefetch_related("lines__product")
            .get(pk=pk)
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
