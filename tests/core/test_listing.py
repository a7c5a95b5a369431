"""The shared list machinery: filter, count with a cap, sort and page, for pages and the API."""

from __future__ import annotations

import json
from pathlib import Path

import django_filters
import pytest
from django.test import RequestFactory
from ninja import NinjaAPI, Router, Schema
from ninja.pagination import paginate
from ninja.testing import TestClient

from suanpan.core.listing import (
    capped_pagination,
    count_capped,
    list_filtered,
    list_page,
    list_render,
    page_counted,
    page_fetch,
    page_number,
)
from suanpan.core.listing import paginate as paginate_counted
from suanpan.users.models import User

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


@pytest.fixture
def users(db: None) -> list[User]:
    User.objects.bulk_create(User(username=f"u{n:02d}", display_name=f"U{n}") for n in range(7))
    return list(User.objects.filter(username__startswith="u").order_by("username"))


def _rows(users: list[User]):
    return User.objects.filter(username__startswith="u").order_by("username")


class UserFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="startswith")
    ordering = django_filters.OrderingFilter(fields=(("username", "name"),))

    class Meta:
        model = User
        fields = ["username"]


@pytest.mark.parametrize(("cap", "expected"), [(10, (7, False)), (7, (7, False)), (3, (3, True))])
def test_count_capped_stops_at_the_cap_when_more_rows_match(users, cap, expected):
    assert count_capped(_rows(users), cap=cap) == expected


@pytest.mark.parametrize(
    ("raw", "number"), [(None, 1), ("", 1), ("x", 1), ("0", 1), ("-3", 1), ("4", 4)]
)
def test_page_number_falls_back_to_the_first_page_when_not_a_page(raw, number):
    assert page_number(raw) == number


def test_page_fetch_knows_the_last_page_when_the_count_is_under_the_cap(users):
    # given 7 rows, 3 a page
    # when the second page is read
    page = page_fetch(_rows(users), number=2, per_page=3)
    # then it holds rows 4-6 and links both ways
    assert [u.username for u in page.rows] == ["u03", "u04", "u05"]
    assert page.as_context() == {
        "number": 2,
        "start": 4,
        "end": 6,
        "count": 7,
        "capped": False,
        "previous": 1,
        "next": 3,
        "last": 3,
    }


def test_page_fetch_moves_to_the_last_page_when_the_number_is_past_it(users):
    page = page_fetch(_rows(users), number=9, per_page=3)
    assert (page.number, page.start, page.end, page.next, page.previous) == (3, 7, 7, None, 2)


def test_page_fetch_pages_on_without_a_last_page_when_the_count_stopped(users):
    # given a cap below the rows that match
    page = page_fetch(_rows(users), number=2, per_page=3, cap=4)
    # then the count says "more than 4", there is no last page, and the next one is known
    assert page.count == 4 and page.capped
    assert page.last is None
    assert page.next == 3
    assert len(page.rows) == 3


def test_page_fetch_answers_an_empty_page_when_nothing_matches(db):
    page = page_fetch(User.objects.none(), number=1, per_page=25)
    assert page.as_context() == {
        "number": 1,
        "start": 0,
        "end": 0,
        "count": 0,
        "capped": False,
        "previous": None,
        "next": None,
        "last": 1,
    }


def test_list_page_keeps_the_filters_and_drops_the_page_when_linking(users, settings):
    settings.PAGE_SIZE = 3
    request = RequestFactory().get("/", {"q": "a b", "page": "2", "ordering": "-name"})
    context = list_page(request, _rows(users), rows_name="people")
    assert [u.username for u in context["people"]] == ["u03", "u04", "u05"]
    assert context["page"]["number"] == 2
    assert context["querystring_base"] == "q=a+b&ordering=-name&"


def test_list_page_reads_the_rows_once_when_the_template_tests_them(
    users, django_assert_num_queries
):
    request = RequestFactory().get("/")
    with django_assert_num_queries(2):  # the capped count and the page
        context = list_page(request, _rows(users))
        assert context["rows"] and list(context["rows"])
    assert context["querystring_base"] == ""


def test_list_filtered_sorts_by_the_default_when_no_ordering_is_asked(users):
    rows = list_filtered(
        UserFilter({"username": "u0"}, queryset=User.objects.all()),
        base=User.objects.all(),
        default_ordering=("-username",),
    )
    assert [u.username for u in rows][:2] == ["u06", "u05"]


def test_list_filtered_keeps_the_asked_ordering_when_given(users):
    rows = list_filtered(
        UserFilter({"username": "u0", "ordering": "name"}, queryset=User.objects.all()),
        base=User.objects.all(),
        default_ordering=("-username",),
    )
    assert [u.username for u in rows][:2] == ["u00", "u01"]


def test_list_filtered_answers_nothing_when_the_filters_are_invalid(users):
    rows = list_filtered(
        UserFilter({"ordering": "nonsense"}, queryset=User.objects.all()), base=User.objects.all()
    )
    assert list(rows) == []


class PersonOut(Schema):
    username: str


def _router() -> Router:
    router = Router()

    @router.get("", response=list[PersonOut])
    @paginate(capped_pagination("people", cap=5))
    def people(request):
        return User.objects.filter(username__startswith="u").order_by("username")

    api = NinjaAPI(urls_namespace="test_listing")
    api.add_router("/people", router)
    return router


def test_capped_pagination_answers_items_and_the_capped_count_when_paged(users):
    router = _router()
    response = TestClient(router).get("?page=2&page_size=2")
    assert response.status_code == 200
    assert response.json() == {
        "items": [{"username": "u02"}, {"username": "u03"}],
        "count": 5,
        "count_capped": True,
    }


def test_capped_pagination_refuses_a_page_size_over_the_limit_when_asked(users):
    router = _router()
    assert TestClient(router).get("?page_size=201").status_code == 422


def test_capped_pagination_describes_the_order_list_as_the_committed_schema_does():
    # the sales order list's schema, as committed, comes out of the shared class unchanged
    committed = json.loads(OPENAPI.read_text())["components"]["schemas"]["PagedOrderListOut"]
    pagination = capped_pagination("orders")
    generated = pagination.Output.model_json_schema()
    for name in ("count", "count_capped"):
        assert generated["properties"][name] == committed["properties"][name]
    assert pagination.Input.model_json_schema()["properties"]["page_size"]["maximum"] == 200


def test_list_page_counts_to_the_cap_read_when_called_when_none_is_given(
    users, settings, monkeypatch
):
    from suanpan.core import listing

    settings.PAGE_SIZE = 3
    monkeypatch.setattr(listing, "COUNT_CAP", 4)
    page = list_page(RequestFactory().get("/"), _rows(users))["page"]
    assert (page["count"], page["capped"], page["next"], page["last"]) == (4, True, 2, None)
    assert count_capped(_rows(users)) == (4, True)


def test_paginate_counts_in_full_with_numbered_links_and_keeps_the_filters(
    users, settings, django_assert_num_queries
):
    settings.PAGE_SIZE = 2
    request = RequestFactory().get("/", {"q": "x", "page": "2"})
    with django_assert_num_queries(2):  # the full count and the page
        context = paginate_counted(request, _rows(users))
        assert [u.username for u in context["page_obj"].object_list] == ["u02", "u03"]
    assert context["page_obj"].paginator.count == 7
    assert list(context["page_range"]) == [1, 2, 3, 4]
    assert context["querystring_base"] == "q=x&"
    assert context["querystring"] == "q=x"


def test_paginate_reads_a_page_past_the_end_as_the_last_and_nonsense_as_the_first(users):
    last = paginate_counted(RequestFactory().get("/", {"page": "99"}), _rows(users), per_page=3)
    assert last["page_obj"].number == 3
    first = paginate_counted(RequestFactory().get("/", {"page": "x"}), _rows(users), per_page=3)
    assert first["page_obj"].number == 1
    assert first["querystring_base"] == first["querystring"] == ""


def test_paginate_pages_a_computed_list_too():
    context = paginate_counted(RequestFactory().get("/"), list(range(5)), per_page=2)
    assert list(context["page_obj"]) == [0, 1]
    assert context["page_obj"].paginator.num_pages == 3


def test_page_counted_gives_the_count_and_number_of_pages_an_api_answer_reports(users):
    page = page_counted(_rows(users), number=2, per_page=5)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (2, 7, 2)
    assert [u.username for u in page.object_list] == ["u05", "u06"]


# ---------------------------------------------------------------------------- list_render


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "app/list.html"),
        ({"HTTP_HX_REQUEST": "true"}, "app/list.html#results"),
        ({"HTTP_HX_REQUEST": "true", "HTTP_HX_BOOSTED": "true"}, "app/list.html"),
    ],
    ids=["plain get", "htmx refresh", "boosted link"],
)
def test_list_render_answers_a_refresh_with_the_results_partial_only(
    monkeypatch, headers, expected
):
    from django_htmx.middleware import HtmxDetails

    import suanpan.core.listing as listing

    rendered = {}

    def render(request, template, context):
        rendered.update(template=template, context=context)
        return "response"

    monkeypatch.setattr(listing, "render", render)
    request = RequestFactory().get("/app/", **headers)
    request.htmx = HtmxDetails(request)
    assert list_render(request, "app/list.html", {"rows": []}) == "response"
    assert rendered == {"template": expected, "context": {"rows": []}}
