"""Ageing a page at a time, streamed, and with amounts past 32-bit integers: the pages, the
stream and the full list agree, and the totals are the account's balance."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from suanpan.ledger import calculations, selectors, services
from suanpan.ledger.models import Dimension, OpenItem
from tests.ledger.builders import invoice_event, receipt_event

pytestmark = pytest.mark.django_db
D = Decimal
AS_OF = date(2026, 3, 31)
URL = "/api/v1/ledger/reports/ageing"


def _post(*events, actor):
    return [services.posting_post(event=e, actor=actor) for e in events]


@pytest.fixture
def five(accounts, customer_dim, accountant):
    """Five customers KH-000001…KH-000005 owing 10, 20, 30, 40, 50 yuan (the first also paid
    3 yuan on account), and a sixth whose invoice and receipt net to nothing."""
    for index in range(2, 7):
        services.dimension_upsert(kind="customer", code=f"KH-{index:06d}", name=f"客户{index}")
    _post(
        *[
            invoice_event(
                f"F{index}",
                f"{10 * index}.00",
                on=date(2026, 1, index),
                due=date(2026, 1 + index % 3, 10),
                customer=f"KH-{index:06d}",
            )
            for index in range(1, 6)
        ],
        receipt_event("R1", "3.00", on=date(2026, 1, 25)),
        invoice_event("F6", "7.00", customer="KH-000006"),
        receipt_event("R6", "7.00", customer="KH-000006"),
        actor=accountant,
    )
    return accounts["1122.01"]


def _codes(rows):
    return [row.code for row in rows]


# ---------------------------------------------------------------------------- the selector


def test_ageing_pages_hold_the_next_customers_and_the_totals_of_all_when_paged(five):
    full = selectors.ageing(as_of=AS_OF, account=five)
    pages = [
        selectors.ageing_page(as_of=AS_OF, account=five, number=number, per_page=2)
        for number in (1, 2, 3)
    ]

    assert [_codes(page.rows) for page in pages] == [
        ["KH-000001", "KH-000002"],
        ["KH-000003", "KH-000004"],
        ["KH-000005"],
    ]
    assert [row for page in pages for row in page.rows] == full.rows
    # KH-000006 owes nothing in any bucket: left out of the rows and of the count.
    assert {(page.count, page.pages) for page in pages} == {(5, 3)}
    for page in pages:
        assert page.totals == full.totals
        assert page.total == full.total == D("147.00")
    assert sum(row.total for page in pages for row in page.rows) == full.total
    for index in range(len(full.buckets)):
        assert sum(row.amounts[index] for page in pages for row in page.rows) == full.totals[index]


def test_ageing_page_past_the_last_one_has_no_rows_but_the_totals_when_asked(five):
    page = selectors.ageing_page(as_of=AS_OF, account=five, number=9, per_page=2)

    assert page.rows == []
    assert (page.count, page.pages, page.total) == (5, 3, D("147.00"))


def test_ageing_page_of_one_customer_counts_and_totals_only_it_when_dimension_given(five):
    third = Dimension.objects.get(code="KH-000003")

    page = selectors.ageing_page(as_of=AS_OF, account=five, dimension=third)
    report = selectors.ageing(as_of=AS_OF, account=five, dimension=third)

    assert _codes(page.rows) == _codes(report.rows) == ["KH-000003"]
    assert (page.count, page.total, report.total) == (1, D("30.00"), D("30.00"))
    assert page.total == selectors.account_balance(account=five, as_of=AS_OF, dimension=third)


def test_ageing_page_totals_equal_the_balance_when_taken_at_past_dates(five, accountant):
    invoice = OpenItem.objects.get(source_id="F1")
    receipt = OpenItem.objects.get(source_id="R1")
    match = services.open_item_match(
        actor=accountant,
        debit_item=invoice,
        credit_item=receipt,
        amount=D("3"),
        on=date(2026, 2, 1),
    )
    services.open_item_unmatch(actor=accountant, match=match, on=date(2026, 2, 20))
    for as_of in (date(2026, 1, 3), date(2026, 1, 31), date(2026, 2, 10), AS_OF):
        page = selectors.ageing_page(as_of=as_of, account=five, per_page=1)
        stream = selectors.AgeingStream(as_of=as_of, account=five)
        rows = list(stream)

        balance = selectors.account_balance(account=five, as_of=as_of)
        assert page.total == balance
        assert stream.totals is not None
        assert stream.totals.total == balance
        assert stream.totals.totals == page.totals
        assert stream.totals.count == page.count == len(rows)
        assert rows == selectors.ageing(as_of=as_of, account=five).rows


def test_ageing_stream_reads_every_customer_in_order_when_chunks_are_small(five):
    stream = selectors.AgeingStream(as_of=AS_OF, account=five, chunk=2)

    assert stream.totals is None  # nothing read yet
    assert _codes(stream) == [f"KH-{index:06d}" for index in range(1, 6)]
    assert stream.totals is not None
    assert (stream.totals.count, stream.totals.total) == (5, D("147.00"))


def test_ageing_sums_amounts_too_large_for_32_bits_exactly_when_one_is_open(five, accountant):
    # 30 million yuan is 3,000,000,000 fen, past a 32-bit INTEGER: summed as 64-bit fen.
    _post(
        invoice_event("BIG", "30000000.00", customer="KH-000002"),
        invoice_event("BIG2", "21474836.47", customer="KH-000004"),
        actor=accountant,
    )
    buckets = calculations.buckets_from_days([30, 60])

    report = selectors.ageing(as_of=AS_OF, account=five, buckets=buckets)
    page = selectors.ageing_page(as_of=AS_OF, account=five, buckets=buckets, per_page=2)

    second = report.rows[1]
    assert (second.code, second.total) == ("KH-000002", D("30000020.00"))
    assert sum(second.amounts) == second.total
    assert report.total == page.total == D("51474983.47")
    assert report.total == selectors.account_balance(account=five, as_of=AS_OF)
    assert page.totals == report.totals
    assert _codes(page.rows) == ["KH-000001", "KH-000002"]
    assert page.rows == report.rows[:2]


def test_ageing_page_query_count_is_constant_when_customers_grow(
    five, accountant, django_assert_num_queries
):
    # One query, and on PostgreSQL one more that sets the report's planner settings.
    queries = 2 if connection.vendor == "postgresql" else 1
    with django_assert_num_queries(queries):
        selectors.ageing_page(as_of=AS_OF, account=five, per_page=2)
    for index in range(7, 12):
        services.dimension_upsert(kind="customer", code=f"KH-{index:06d}", name=f"客户{index}")
    _post(
        *[invoice_event(f"G{i}", "1.00", customer=f"KH-{i:06d}") for i in range(7, 12)],
        actor=accountant,
    )
    with django_assert_num_queries(queries):
        page = selectors.ageing_page(as_of=AS_OF, account=five, per_page=2)
    assert page.count == 10


# ---------------------------------------------------------------------------- the API


@pytest.fixture
def api(client, accountant):
    client.force_login(accountant)
    return client


def test_ageing_api_pages_customers_and_totals_all_of_them_when_page_given(api, five):
    first = api.get(URL, {"as_of": "2026-03-31", "page_size": 2}).json()
    second = api.get(URL, {"as_of": "2026-03-31", "page_size": 2, "page": 2}).json()
    last = api.get(URL, {"as_of": "2026-03-31", "page_size": 2, "page": 3}).json()

    assert [r["customer"] for r in first["items"]] == ["KH-000001", "KH-000002"]
    assert [r["customer"] for r in second["items"]] == ["KH-000003", "KH-000004"]
    assert [r["customer"] for r in last["items"]] == ["KH-000005"]
    for body, page in ((first, 1), (second, 2), (last, 3)):
        assert (body["count"], body["page"], body["pages"], body["page_size"]) == (5, page, 3, 2)
        assert D(body["total"]) == D("147.00")
    everyone = [r for body in (first, second, last) for r in body["items"]]
    assert sum(D(r["total"]) for r in everyone) == D(first["total"])
    assert [sum(D(r["amounts"][i]) for r in everyone) for i in range(6)] == [
        D(x) for x in first["totals"]
    ]


def test_ageing_api_answers_no_customers_but_the_totals_when_past_the_last_page(api, five):
    body = api.get(URL, {"as_of": "2026-03-31", "page_size": 2, "page": 4}).json()

    assert body["items"] == []
    assert (body["count"], body["pages"], D(body["total"])) == (5, 3, D("147.00"))


@pytest.mark.parametrize(
    "params", [{"page": 2**63}, {"page": 0}, {"page_size": 201}, {"page_size": 0}]
)
def test_ageing_api_refuses_page_numbers_and_sizes_out_of_range(api, five, params):
    response = api.get(URL, params)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert set(response.json()["fields"]) == set(params)


def test_ageing_api_answers_one_customer_when_its_number_given(api, five):
    body = api.get(URL, {"as_of": "2026-03-31", "customer": "KH-000004"}).json()

    assert [r["customer"] for r in body["items"]] == ["KH-000004"]
    assert (body["count"], D(body["total"])) == (1, D("40.00"))


def test_ageing_api_refuses_a_customer_number_not_in_the_books(api, five):
    response = api.get(URL, {"customer": "KH-999999"})

    assert response.status_code == 422
    assert "customer" in response.json()["fields"]


# ---------------------------------------------------------------------------- the xlsx


def test_ageing_xlsx_lists_every_customer_and_the_totals_row_when_exported(
    client, accountant, five, monkeypatch
):
    # The export reads the rows as the database hands them over, never the whole list.
    def whole_list(**kwargs):
        raise AssertionError("the export built the whole list")

    monkeypatch.setattr(selectors, "ageing", whole_list)
    client.force_login(accountant)
    response = client.get(
        reverse("ledger_reports:ageing"),
        {"account": "1122.01", "as_of": "2026-03-31", "bounds": "30,60", "format": "xlsx"},
    )

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    # KH-000006 nets to nothing but owes in two buckets here (its invoice 45 days overdue,
    # its receipt 70): it has a row.
    assert [r[0] for r in rows[1:-1]] == [f"KH-{index:06d}" for index in range(1, 7)]
    assert rows[-1][1] == "Total"
    assert D(str(rows[-1][-1])) == D("147.00")
    assert sum(D(str(r[-1])) for r in rows[1:-1]) == D("147.00")
    assert len(rows[0]) == 2 + 4 + 1  # number, name, four buckets, total
