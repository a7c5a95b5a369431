"""Ageing with dates at the calendar's ends: refused as parameters (422 in the API, a form
error on the page), and computed without overflow when old data holds a year-9999 posting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from suanpan.ledger import calculations, selectors, services
from suanpan.ledger.selectors import AgeingBasis
from tests.ledger.builders import invoice_event

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/ledger/reports/ageing"
FAR = date(9999, 12, 31)


@pytest.fixture
def api(client, accountant):
    client.force_login(accountant)
    return client


@pytest.fixture
def far_posting(settings, accounts, customer_dim, accountant):
    """An invoice dated and due 9999-12-31, as data written before dates were checked holds
    it (the window is opened wide for the write, then set back)."""
    settings.SUANPAN_MAX_FUTURE_DAYS = 3_000_000
    services.posting_post(event=invoice_event("F9", "113.00", on=FAR, due=FAR), actor=accountant)
    services.posting_post(event=invoice_event("F1", "56.50"), actor=accountant)
    settings.SUANPAN_MAX_FUTURE_DAYS = 366


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_ageing_api_refuses_as_of_outside_the_window(api, books, as_of):
    response = api.get(URL, {"as_of": as_of})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "date_out_of_range"
    assert list(body["fields"]) == ["as_of"]


@pytest.mark.parametrize(
    "bounds", ["3651", "30,99999", "1,2,3,4,5,6,7,8,9,10,11,12,13", "9" * 50, "0,30"]
)
def test_ageing_api_refuses_bucket_bounds_out_of_range(api, books, bounds):
    response = api.get(URL, {"bounds": bounds})
    assert response.status_code == 422
    assert "bounds" in response.json()["fields"]


def test_ageing_api_takes_widest_bounds_allowed(api, books):
    response = api.get(URL, {"bounds": "1,3650"})
    assert response.status_code == 200
    assert [b["label"] for b in response.json()["buckets"]] == [
        "current",
        "1-1",
        "2-3650",
        "over 3650",
    ]


def test_ageing_api_answers_by_default_when_old_data_holds_year_9999(api, far_posting):
    response = api.get(URL)
    assert response.status_code == 200
    body = response.json()
    # The default "as of" stays within the window although the latest period is 9999-12.
    assert date.fromisoformat(body["as_of"]) < FAR
    # The item posted in 9999 is not posted yet as of the default date; the other is.
    assert D(body["total"]) == D("56.50")


@pytest.mark.parametrize("basis", [AgeingBasis.DUE, AgeingBasis.POSTING])
def test_ageing_computes_at_the_calendar_ends_without_overflow(far_posting, accounts, basis):
    receivable = accounts["1122.01"]
    at_end = selectors.ageing(as_of=FAR, account=receivable, basis=basis)
    assert at_end.total == D("169.50")
    # As of the last day both items are aged: the 9999 one is current, the other very old.
    assert at_end.totals[0] == D("113.00")
    assert at_end.totals[-1] == D("56.50")
    wide = calculations.buckets_from_days([1, 3650])
    at_start = selectors.ageing(as_of=date.min, account=receivable, buckets=wide, basis=basis)
    assert at_start.total == D("0.00") and at_start.rows == []


def test_ageing_page_shows_errors_for_extreme_parameters(client, accountant, books):
    client.force_login(accountant)
    page = client.get(reverse("ledger_reports:ageing"), {"as_of": "9999-12-31", "bounds": "99999"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Enter a date on or before" in body
    assert "increasing whole numbers of days from 1 to 3650" in body


def test_ageing_page_renders_by_default_when_old_data_holds_year_9999(
    client, accountant, far_posting
):
    client.force_login(accountant)
    page = client.get(reverse("ledger_reports:ageing"))
    assert page.status_code == 200
    assert page.context["report"] is not None


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [("9999-12-05", "9999-12-31"), ("9999-12-01", "9999-12-30"), ("0001-01-01", "0001-01-30")],
)
def test_account_detail_answers_for_ranges_at_the_calendar_ends(
    api, client, far_posting, date_from, date_to
):
    params = {"account": "1122.01", "date_from": date_from, "date_to": date_to}
    response = api.get("/api/v1/ledger/reports/account-detail", params)
    assert response.status_code == 200
    body = response.json()
    in_range = date_to == "9999-12-31"  # the invoice is dated 9999-12-31
    assert D(body["debit"]) == (D("113.00") if in_range else D("0.00"))
    page = client.get(reverse("ledger_reports:account_detail"), params)
    assert page.status_code == 200
