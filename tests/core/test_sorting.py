"""core.sorting.sort_headers: each column's sort link, its current direction and its classes."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import RequestFactory

from suanpan.core.sorting import sort_headers

COLUMNS = [
    ("number", "Number"),
    (None, "Customer", "d-none d-sm-table-cell"),
    ("amount", "Amount", "text-end"),
]


def test_headers_link_to_sorting_and_keep_the_filters_but_not_the_page():
    request = RequestFactory().get("/orders/", {"q": "上海", "page": "3", "ordering": "-amount"})

    number, customer, amount = sort_headers(request, COLUMNS)

    assert number["url"] == "?q=%E4%B8%8A%E6%B5%B7&ordering=number"
    assert number["direction"] is None
    # Sorted descending now: the link sorts ascending.
    assert amount["direction"] == "desc"
    assert amount["url"] == "?q=%E4%B8%8A%E6%B5%B7&ordering=amount"
    assert customer["url"] is None  # a column without a key does not sort
    assert [h["css"] for h in (number, customer, amount)] == [
        "",
        "d-none d-sm-table-cell",
        "text-end",
    ]


def test_the_header_cells_carry_each_columns_classes_and_the_sort_arrow():
    request = RequestFactory().get("/orders/", {"ordering": "amount"})

    html = render_to_string(
        "web/includes/sort_head.html", {"columns": sort_headers(request, COLUMNS)}
    )

    assert html.count("<th ") == 3
    assert '<th scope="col"><a href="?ordering=number">Number</a></th>' in html
    assert '<th scope="col" class="d-none d-sm-table-cell">Customer</th>' in html
    assert (
        '<th scope="col" class="text-end"><a href="?ordering=-amount">Amount '
        '<i class="bi bi-caret-up-fill"></i></a></th>'
    ) in html
