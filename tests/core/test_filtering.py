"""core.filtering: a FilterSet applied one way in selectors, refused one way in the API and CLI."""

from __future__ import annotations

import django_filters
import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured

from suanpan.core.errors import ValidationFailed
from suanpan.core.filtering import (
    ListedModelChoiceFilter,
    ListFilterSet,
    filterset_qs,
    filterset_require_valid,
)
from suanpan.users.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class UserFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="startswith")
    joined_after = django_filters.DateFilter(field_name="date_joined", lookup_expr="date__gte")
    ordering = django_filters.OrderingFilter(fields=["username"])

    class Meta:
        model = User
        fields = ["username"]


@pytest.fixture
def users() -> list[User]:
    return [UserFactory(username=name, password=None) for name in ("alice", "albert", "bob")]


def _names(queryset) -> list[str]:
    return sorted(user.username for user in queryset)


def test_filterset_qs_gives_matching_rows_when_filters_are_valid(users):
    base = User.objects.all()
    filterset = UserFilter(data={"username": "al", "ordering": "-username"}, queryset=base)

    rows = filterset_qs(filterset, base=base)

    assert [user.username for user in rows] == ["alice", "albert"]


def test_filterset_qs_gives_every_row_when_no_filter_is_set(users):
    base = User.objects.all()

    rows = filterset_qs(UserFilter(data={}, queryset=base), base=base)

    assert _names(rows) == ["albert", "alice", "bob"]


def test_filterset_qs_gives_no_rows_and_keeps_errors_when_a_filter_is_invalid(users):
    base = User.objects.filter(username__startswith="a")
    filterset = UserFilter(data={"joined_after": "not-a-date"}, queryset=base)

    rows = filterset_qs(filterset, base=base)

    assert list(rows) == []
    assert rows.model is User
    assert list(filterset.errors) == ["joined_after"]


def test_filterset_require_valid_passes_when_filters_are_valid(users):
    filterset = UserFilter(data={"username": "b"}, queryset=User.objects.all())

    assert filterset_require_valid(filterset) is None
    assert _names(filterset.qs) == ["bob"]


def test_filterset_require_valid_raises_with_the_field_message_when_a_date_is_invalid(db):
    filterset = UserFilter(data={"joined_after": "2026-13-45"}, queryset=User.objects.all())

    with pytest.raises(ValidationFailed) as raised:
        filterset_require_valid(filterset)

    assert raised.value.code == "validation_failed"
    assert raised.value.http_status == 422
    assert raised.value.fields == {
        "joined_after": [forms.DateField.default_error_messages["invalid"]]
    }
    assert raised.value.fields["joined_after"] == ["Enter a valid date."]


def test_filterset_require_valid_names_every_invalid_field_when_several_are_wrong(db):
    filterset = UserFilter(
        data={"joined_after": "yesterday", "ordering": "password"}, queryset=User.objects.all()
    )

    with pytest.raises(ValidationFailed) as raised:
        filterset_require_valid(filterset)

    assert set(raised.value.fields) == {"joined_after", "ordering"}
    assert raised.value.fields["ordering"] == [
        "Select a valid choice. password is not one of the available choices."
    ]
    assert raised.value.as_dict()["fields"] == raised.value.fields


class OwnerFilter(django_filters.FilterSet):
    owner = ListedModelChoiceFilter(
        field_name="pk", queryset=User.objects.order_by("username"), empty_label="All"
    )

    class Meta:
        model = User
        fields: list[str] = []


def test_a_listed_choice_filter_reads_its_choices_in_one_plain_query(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    field = OwnerFilter({}, queryset=User.objects.all()).form.fields["owner"]
    with CaptureQueriesContext(connection) as queries:
        choices = [(str(value), str(label)) for value, label in field.choices]

    assert choices[0] == ("", "All")
    assert [label for _value, label in choices[1:]] == [
        str(u) for u in sorted(users, key=lambda u: u.username)
    ]
    # Django's own iterator opens a server-side cursor on PostgreSQL: DECLARE, FETCH, CLOSE.
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT"]


class SearchFilter(ListFilterSet):
    """A ListFilterSet with a method filter, a filter an instance retargets, and a choice."""

    q = django_filters.CharFilter(method="filter_search")
    since = django_filters.DateFilter(field_name="date_joined", lookup_expr="date__gte")
    active = django_filters.ChoiceFilter(choices=[("yes", "Yes"), ("no", "No")], method="by_active")

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, *args, retarget: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if retarget:
            self.filters["since"].field_name = "last_login"

    def filter_search(self, queryset, name, value):
        self.searched = value  # proves which instance the method ran on
        return queryset.filter(username__startswith=value)

    def by_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")


def test_each_list_filterset_instance_works_on_its_own_filters(users):
    first = SearchFilter({"q": "al"}, queryset=User.objects.all(), retarget=True)
    second = SearchFilter({"q": "b"}, queryset=User.objects.all())

    assert _names(first.qs) == ["albert", "alice"]
    assert _names(second.qs) == ["bob"]
    # The method ran on the instance that was asked, not on the one its filter was copied from.
    assert (first.searched, second.searched) == ("al", "b")
    # One instance's change to its filter reaches neither the other instance nor the class.
    assert first.filters["since"].field_name == "last_login"
    assert second.filters["since"].field_name == "date_joined"
    assert SearchFilter.base_filters["since"].field_name == "date_joined"
    assert first.filters["q"] is not second.filters["q"] is not SearchFilter.base_filters["q"]


def test_a_list_filterset_builds_its_form_class_once_and_each_form_its_own_fields(users):
    first = SearchFilter({"active": "yes"}, queryset=User.objects.all())
    second = SearchFilter({"active": "maybe"}, queryset=User.objects.all())

    assert type(first.form) is type(second.form)
    # A view may reword one page's choices (as the settlement list does) without the next
    # page seeing it.
    first.form.fields["active"].widget.choices = [("yes", "Only the active")]
    assert [v for v, _label in second.form.fields["active"].widget.choices] == ["", "yes", "no"]
    assert first.is_valid() and not second.is_valid()
    assert "active" in second.errors


def test_a_list_filterset_form_speaks_the_language_of_each_request(users):
    from django.utils import translation

    with translation.override("en"):
        english = SearchFilter({}, queryset=User.objects.all()).form
        english_label = str(english.fields["since"].label)
    with translation.override("zh-hans"):
        chinese = SearchFilter({}, queryset=User.objects.all()).form
        chinese_label = str(chinese.fields["since"].label)

    assert type(english) is not type(chinese)
    assert english_label == "Date joined date is greater than or equal to"
    assert chinese_label != english_label


def test_a_list_filterset_refuses_a_queryset_that_depends_on_the_request():
    with pytest.raises(ImproperlyConfigured, match="cannot depend on the request"):

        class PerRequestOwners(ListFilterSet):
            owner = django_filters.ModelChoiceFilter(queryset=lambda request: User.objects.all())

            class Meta:
                model = User
                fields: list[str] = []


class UserSearch(ListFilterSet):
    q = django_filters.CharFilter(method="filter_search")

    search_lookups = ("username__istartswith", "email__iexact")

    class Meta:
        model = User
        fields: list[str] = []


def test_a_search_matches_any_of_its_lookups(users):
    User.objects.filter(username="bob").update(email="Bob@Example.cn")

    found = UserSearch({"q": " AL "}, queryset=User.objects.all()).qs
    by_mail = UserSearch({"q": "bob@example.cn"}, queryset=User.objects.all()).qs

    assert _names(found) == ["albert", "alice"]
    assert _names(by_mail) == ["bob"]


def test_a_blank_search_keeps_every_row(users):
    assert _names(UserSearch({"q": "   "}, queryset=User.objects.all()).qs) == [
        "albert",
        "alice",
        "bob",
    ]


def test_a_search_that_names_no_lookups_is_refused_when_the_class_is_made():
    with pytest.raises(ImproperlyConfigured, match="search_lookups"):

        class Searchless(ListFilterSet):
            q = django_filters.CharFilter(method="filter_search")

            class Meta:
                model = User
                fields: list[str] = []
