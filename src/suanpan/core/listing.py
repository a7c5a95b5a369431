"""One list machinery for pages and the API: filter, count with a cap, sort and page.

- filter and sort: `list_filtered(filterset, base=..., default_ordering=...)` in selectors —
  the app's FilterSet (with its `ordering` filter) decides what matches and in which order,
  invalid filters give an empty list (the page shows the FilterSet's errors; the API and CLI
  refuse them first with `core.filtering.filterset_require_valid`);
- count: `count_capped` stops at `COUNT_CAP` rows, so a list of a million rows costs what a list
  of a thousand does where a full COUNT(*) would read the whole table on every request;
- page, for pages: `list_page(request, queryset, rows_name=...)` reads `?page=`, fetches one page
  (and one row more, to know whether a next page exists) and hands the template what
  `web/includes/capped_pagination.html`-style navigation needs; sortable column headers come
  from `core.sorting.sort_headers`;
- page, for the API: `capped_pagination("orders")` is the django-ninja pagination class with
  the same count, `{"items", "count", "count_capped"}`;
- page, counted in full: `paginate(request, rows)` for the lists whose pages show numbered page
  links and the total (`web/includes/pagination.html`: documents of the sales, inventory and
  ledger apps, report pages over a computed list) and `page_counted(rows, number=...)` for an
  API answer with `count`, `page` and `pages`: Django's `Paginator`, one full COUNT(*);
  `paginate_fetched(request, rows, count=..., number=..., per_page=...)` for the same links
  over a page a report's selector fetched itself with the count of all (the ledger's ageing).

The rows come back as a list: the template iterates what was fetched, and an `{% if rows %}`
costs no second query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page as CountedPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_filters import FilterSet
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination, PaginationBase

from suanpan.core.filtering import filterset_qs

# Counting stops here: a list of a million rows answers as fast as one of a thousand.
COUNT_CAP = 1_000
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200
# The last page anyone asks for: its offset stays far inside the database's integers, so a
# `?page=` past it is refused (the API) or read as this page (pages) instead of failing there.
MAX_PAGE = 1_000_000


def list_filtered(
    filterset: FilterSet, *, base: QuerySet[Any], default_ordering: Sequence[str] = ()
) -> QuerySet[Any]:
    """The rows the FilterSet lets through (none while it is invalid), in `default_ordering`
    unless the caller asked for an `ordering` the FilterSet applied."""
    queryset = filterset_qs(filterset, base=base)
    if default_ordering and not (filterset.data or {}).get("ordering"):
        queryset = queryset.order_by(*default_ordering)
    return queryset


def count_capped(queryset: QuerySet[Any], *, cap: int | None = None) -> tuple[int, bool]:
    """How many rows match, counting no further than `cap` (`COUNT_CAP` when not given): (count,
    whether it stopped).

    `SELECT count(*) FROM (… LIMIT cap + 1)`, without the list's ordering.
    """
    cap = COUNT_CAP if cap is None else cap
    count = queryset.order_by().values("pk")[: cap + 1].count()
    return min(count, cap), count > cap


def page_number(raw: Any) -> int:
    """`?page=` as a page number from 1 to `MAX_PAGE`; anything else is the first page."""
    try:
        return min(max(int(raw), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


@dataclass(frozen=True)
class Page:
    """One page of a list whose count may have stopped at the cap."""

    rows: list[Any]
    number: int
    per_page: int
    count: int
    capped: bool
    has_next: bool

    @property
    def start(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def end(self) -> int:
        return (self.number - 1) * self.per_page + len(self.rows)

    @property
    def last(self) -> int | None:
        """The last page's number, unknown (None) while the count stopped at the cap."""
        return None if self.capped else max((self.count + self.per_page - 1) // self.per_page, 1)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.has_next else None

    def as_context(self) -> dict[str, Any]:
        """The `page` a list template reads."""
        return {
            "number": self.number,
            "start": self.start,
            "end": self.end,
            "count": self.count,
            "capped": self.capped,
            "previous": self.previous,
            "next": self.next,
            "last": self.last,
        }


def page_fetch(
    queryset: QuerySet[Any], *, number: int, per_page: int, cap: int | None = None
) -> Page:
    """Count (up to `cap`) and fetch page `number`, moved back to the last page when the list
    is shorter; one row more than a page is read to know whether another page follows."""
    count, capped = count_capped(queryset, cap=cap)
    if not capped:
        number = min(number, max((count + per_page - 1) // per_page, 1))
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return Page(
        rows=rows[:per_page],
        number=number,
        per_page=per_page,
        count=count,
        capped=capped,
        has_next=len(rows) > per_page,
    )


def querystring(request: HttpRequest) -> str:
    """The request's filters and sort without `page` (for export links)."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def querystring_base(request: HttpRequest) -> str:
    """The request's filters and sort without `page`, ready for `?{base}page=N` links."""
    base = querystring(request)
    return f"{base}&" if base else ""


def list_render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A list page, or only its `results` partial when htmx refreshes the list (a search typed,
    a filter changed, a header sorted, a page turned); a boosted link gets the whole page."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        template = f"{template}#results"
    return render(request, template, context)


def list_page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    rows_name: str = "rows",
    per_page: int | None = None,
    cap: int | None = None,
) -> dict[str, Any]:
    """The template context of one list page: the rows under `rows_name`, `page` and
    `querystring_base`."""
    page = page_fetch(
        queryset,
        number=page_number(request.GET.get("page")),
        per_page=per_page or settings.PAGE_SIZE,
        cap=cap,
    )
    return {
        rows_name: page.rows,
        "page": page.as_context(),
        "querystring_base": querystring_base(request),
    }


def page_counted(
    rows: QuerySet[Any] | Sequence[Any], *, number: Any, per_page: int | None = None
) -> CountedPage:
    """Page `number` of a list counted in full (its `paginator` has the count and the number of
    pages), read as `Paginator.get_page` does: not a number is the first page, past the end the
    last."""
    return Paginator(rows, per_page or settings.PAGE_SIZE).get_page(number)


def paginate(
    request: HttpRequest, rows: QuerySet[Any] | Sequence[Any], *, per_page: int | None = None
) -> dict[str, Any]:
    """The template context of one page of a list counted in full: `page_obj`, the elided
    `page_range` of numbered links, `querystring_base` and `querystring`."""
    page_obj = page_counted(rows, number=request.GET.get("page"), per_page=per_page)
    base = querystring(request)
    return {
        "page_obj": page_obj,
        "page_range": page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=2, on_ends=1
        ),
        "querystring_base": f"{base}&" if base else "",
        "querystring": base,
    }


def paginate_fetched(
    request: HttpRequest, rows: Sequence[Any], *, count: int, number: int, per_page: int
) -> dict[str, Any]:
    """The context `paginate` gives, for a page a selector fetched itself (a report that pages
    in SQL): `rows` are page `number` of `count` rows, `per_page` to a page."""
    page_obj = CountedPage(rows, number, Paginator(range(count), per_page))
    base = querystring(request)
    return {
        "page_obj": page_obj,
        "page_range": page_obj.paginator.get_elided_page_range(number, on_each_side=2, on_ends=1),
        "querystring_base": f"{base}&" if base else "",
        "querystring": base,
    }


def capped_pagination(
    noun: str,
    *,
    cap: int = COUNT_CAP,
    page_size: int = API_PAGE_SIZE,
    max_page_size: int = API_MAX_PAGE_SIZE,
) -> type[PaginationBase]:
    """A django-ninja pagination class for `@paginate(...)`: `?page=&page_size=`, answering
    `{"items", "count", "count_capped"}` with the count stopped at `cap`; `noun` (plural, e.g.
    "orders") names the rows in the schema's descriptions."""

    default_size, max_size = page_size, max_page_size

    class CappedPagination(PaginationBase):
        __doc__ = f"Page numbers with a count of {noun} that stops at {cap:,}."

        class Input(Schema):
            page: int = Field(1, ge=1, le=MAX_PAGE)
            page_size: int = Field(default_size, ge=1, le=max_size)

        class Output(Schema):
            items: list[Any]
            count: int = Field(description=f"Matching {noun}, at most {cap:,}.")
            count_capped: bool = Field(description=f"True when more than {cap:,} {noun} match.")

        def paginate_queryset(
            self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
        ) -> Any:
            offset = (pagination.page - 1) * pagination.page_size
            count, capped = count_capped(queryset, cap=cap)
            return {
                "items": queryset[offset : offset + pagination.page_size],
                "count": count,
                "count_capped": capped,
            }

    return CappedPagination


class PageNumbers(PageNumberPagination):
    """django-ninja's page numbers (`{"items", "count"}`, counted in full) with `page` bounded
    by `MAX_PAGE`: a larger number is refused with the API's field errors."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)
