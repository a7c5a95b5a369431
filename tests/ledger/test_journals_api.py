"""The journals through the API: the account summary (科目汇总表) and the journal (序时账)
paged with the totals of every line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suanpan.users.choices import Role
from tests.ledger.builders import (
    draft_cash_sale,
)

pytestmark = pytest.mark.django_db
D = Decimal
REPORTS = "/api/v1/ledger/reports"
VOUCHERS = "/api/v1/ledger/vouchers"


@pytest.fixture
def api(api_client, finance_manager):
    return api_client(finance_manager)


# ---------------------------------------------------------------------------- summary, journal


def test_account_summary_answers_rows_ranges_and_balanced_totals(api, january):
    body = api.get(f"{REPORTS}/account-summary", {"period": "202601", "number_from": 2}).json()

    assert (body["date_from"], body["date_to"]) == ("2026-01-01", "2026-01-31")
    assert [(r["account"]["code"], r["debit"], r["credit"]) for r in body["rows"]] == [
        ("1002", "23.00", "0.00"),
        ("6001", "0.00", "23.00"),
    ]
    assert body["debit"] == body["credit"] == "23.00"
    assert body["ranges"] == [{"period": "202601", "word": "记", "count": 2, "first": 2, "last": 3}]
    assert body["status"] == "posted" and body["vouchers"] == 2


def test_account_summary_refuses_numbers_without_a_period_with_a_field_error(api, january):
    response = api.get(
        f"{REPORTS}/account-summary",
        {"date_from": "2026-01-01", "date_to": "2026-01-31", "number_from": 1},
    )

    assert response.status_code == 422
    assert "number_from" in response.json()["fields"]
    assert api.get(f"{REPORTS}/account-summary", {"period": "209901"}).status_code == 422


def test_journal_answers_a_page_with_the_totals_of_every_line(api, january):
    body = api.get(f"{REPORTS}/journal", {"page": 2, "page_size": 4}).json()

    assert (body["count"], body["page"], body["pages"], body["page_size"]) == (6, 2, 2, 4)
    assert body["debit"] == body["credit"] == "123.00"
    assert [(x["voucher"], x["line_no"]) for x in body["items"]] == [
        ("记-202601-0003", 1),
        ("记-202601-0003", 2),
    ]
    assert body["items"][0]["voucher_id"] == january[2].pk
    assert body["items"][0]["account_name"] == "银行存款"


def test_journal_filters_and_refuses_an_unknown_status(api, accounts, accountant, january):
    draft_cash_sale(accounts, accountant, "7.00")

    posted = api.get(f"{REPORTS}/journal", {"account": "1002"}).json()
    every = api.get(f"{REPORTS}/journal", {"account": "1002", "status": "all"}).json()

    assert (posted["count"], posted["debit"]) == (3, "123.00")
    assert (every["count"], every["debit"]) == (4, "130.00")
    assert [x["posted"] for x in every["items"]].count(False) == 1
    assert api.get(f"{REPORTS}/journal", {"status": "archived"}).status_code == 422


@pytest.mark.parametrize("path", ["/account-summary", "/journal"])
def test_journal_reports_refuse_a_salesperson(api_client, make_user, january, path):
    response = api_client(make_user(Role.SALES)).get(REPORTS + path)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
