"""Rows written and ids passed by the thousand: the new ids come back in the order of the rows,
the values are stored as the ORM would store them, and text survives the array literals."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from suanpan.core.bulk import array_literal, ids_in, int_array, rows_insert
from suanpan.core.models import DocumentSequence

pytestmark = pytest.mark.django_db

AWKWARD = ['引号"与\\反斜杠', "逗号, {括号}", "NULL", "单引号 ' 与 \\N", " 前后空格 ", ""]


def test_rows_insert_returns_the_new_ids_in_the_order_of_the_rows():
    rows = [(f"T{n % 7}", f"{n:06d}", n) for n in range(1_203)]

    ids = rows_insert(DocumentSequence, ["series", "period", "next_value"], rows)

    stored = DocumentSequence.objects.in_bulk(ids)
    assert len(set(ids)) == len(rows)
    assert [(stored[pk].series, stored[pk].period, stored[pk].next_value) for pk in ids] == rows


def test_rows_insert_writes_text_as_given_and_nothing_when_there_are_no_rows():
    rows = [(text, f"P{n}", n + 1) for n, text in enumerate(AWKWARD)]

    assert rows_insert(DocumentSequence, ["series", "period", "next_value"], []) == []
    assert (
        rows_insert(DocumentSequence, ["series", "period", "next_value"], rows, returning=False)
        == []
    )

    stored = DocumentSequence.objects.order_by("next_value").values_list(
        "series", "period", "next_value"
    )
    assert list(stored) == rows


def test_ids_in_filters_by_thousands_of_ids():
    ids = rows_insert(
        DocumentSequence,
        ["series", "period", "next_value"],
        [("T", f"{n:06d}", n) for n in range(2_000)],
    )
    wanted = ids[::3]

    found = DocumentSequence.objects.filter(pk__in=ids_in(wanted)).values_list("pk", flat=True)

    assert sorted(found) == sorted(wanted)


@pytest.mark.postgres_only
def test_array_literals_come_back_as_the_values_they_were_made_of():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::text[], %s::bigint[], %s::date[], %s::bigint[]",
            [
                array_literal([*AWKWARD, None]),
                array_literal([1, None, -3]),
                array_literal([date(2026, 12, 2), None]),
                int_array(range(5)),
            ],
        )
        texts, numbers, dates, ints = cursor.fetchone()
    assert texts == [*AWKWARD, None]
    assert numbers == [1, None, -3]
    assert dates == [date(2026, 12, 2), None]
    assert ints == [0, 1, 2, 3, 4]
