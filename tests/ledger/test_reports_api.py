from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suanpan.ledger import services
from suanpan.ledger.models import Dimension, OpenItem
from suanpan.users.choices import Role
from tests.ledger.builders import invoice_event, receipt_event

pytestmark = pytest.mark.django_db
D = Decimal
BASE = "/api/v1/ledger/reports"

ENDPOINTS = [
    ("/trial-balance", {}),
    ("/general-ledger", {"account": "1122"}),
    ("/account-detail", {"account": "1122.01"}),
    ("/customer-balances", {}),
    ("/open-items", {"as_of": "2026-01-31"}),
    ("/ageing", {"as_of": "2026-01-31"}),
]


@pytest.fixture
def posted(accounts, customer_dim, accountant):
    Dimension.objects.create(kind="customer", code="KH-000002", name="上海测试贸易有限公司")
    for event in (
        invoice_event("F1", "113.00"),
        invoice_event("F2", "20.00", customer="KH-000002"),
        receipt_event("R1", "100.00"),
    ):
        services.posting_post(event=event, actor=accountant)


@pytest.fixture
def api(client, accountant):
    client.force_login(accountant)
    return client


@pytest.mark.parametrize(("path", "params"), ENDPOINTS)
def test_reports_api_refuses_when_user_lacks_permission(client, make_user, posted, path, params):
    client.force_login(make_user(Role.SALES))
    response = client.get(BASE + path, params)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(("path", "params"), ENDPOINTS)
def test_reports_api_answers_ledger_not_set_up_when_books_missing(
    client, finance_manager, path, params
):
    client.force_login(finance_manager)
    response = client.get(BASE + path, params)
    assert response.json()["code"] == "ledger_not_set_up"


def test_trial_balance_api_returns_decimal_amounts_when_level_given(api, posted):
    body = api.get(f"{BASE}/trial-balance", {"period_from": "202601", "level": "2"}).json()
    rows = {r["account"]["code"]: r for r in body["rows"]}
    assert set(rows) == {"1122.01", "2221.01"}
    assert D(rows["1122.01"]["closing"]) == D("33.00")
    assert D(body["closing_debit"]) == D(body["closing_credit"]) == D("133.00")


def test_trial_balance_api_refuses_unknown_period_when_named(api, posted):
    response = api.get(f"{BASE}/trial-balance", {"period_from": "209912"})
    assert response.status_code == 422
    assert "period_from" in response.json()["fields"]


def test_general_ledger_api_lists_months_when_range_given(api, posted):
    body = api.get(f"{BASE}/general-ledger", {"account": "1122", "period_to": "202601"}).json()
    assert [(r["period"], D(r["debit"]), D(r["closing"])) for r in body["rows"]] == [
        ("202601", D("133.00"), D("33.00"))
    ]


def test_account_detail_api_runs_balance_when_customer_given(api, posted):
    body = api.get(
        f"{BASE}/account-detail",
        {"account": "1122", "customer": "KH-000001", "date_from": "2026-01-01"},
    ).json()
    assert [D(line["balance"]) for line in body["lines"]] == [D("113.00"), D("13.00")]
    assert (body["count"], D(body["closing"])) == (2, D("13.00"))


def test_account_detail_api_refuses_unknown_customer_when_named(api, posted):
    response = api.get(f"{BASE}/account-detail", {"customer": "KH-999999"})
    assert response.status_code == 422
    assert "customer" in response.json()["fields"]


def test_customer_balances_api_defaults_to_receivable_when_no_account(api, posted):
    body = api.get(f"{BASE}/customer-balances").json()
    assert body["account"]["code"] == "1122.01"
    assert [(r["customer"], D(r["closing"])) for r in body["rows"]] == [
        ("KH-000001", D("13.00")),
        ("KH-000002", D("20.00")),
    ]


def test_open_items_api_returns_open_amounts_when_matched(api, accountant, posted):
    invoice = OpenItem.objects.get(amount=D("113.00"))
    receipt = OpenItem.objects.get(amount__lt=0)
    services.open_item_match(
        actor=accountant,
        debit_item=invoice,
        credit_item=receipt,
        amount=D("100"),
        on=date(2026, 1, 21),
    )
    body = api.get(f"{BASE}/open-items", {"customer": "KH-000001", "as_of": "2026-01-31"}).json()
    assert [(i["voucher"], D(i["open_amount"])) for i in body] == [("转-202601-0001", D("13.00"))]
    before = api.get(f"{BASE}/open-items", {"customer": "KH-000001", "as_of": "2026-01-20"}).json()
    assert sorted(D(i["open_amount"]) for i in before) == [D("-100.00"), D("113.00")]


def test_ageing_api_buckets_and_totals_when_bounds_given(api, posted):
    body = api.get(
        f"{BASE}/ageing", {"as_of": "2026-03-31", "bounds": "30,60", "basis": "due"}
    ).json()
    assert [b["label"] for b in body["buckets"]] == ["current", "1-30", "31-60", "over 60"]
    assert D(body["total"]) == D("33.00")
    # Invoices due 14 Feb are 45 days overdue; the unmatched receipt (20 Jan) counts 70 days.
    assert [D(x) for x in body["totals"]] == [D("0.00"), D("0.00"), D("133.00"), D("-100.00")]


def test_ageing_api_refuses_bad_bounds_when_decreasing(api, posted):
    response = api.get(f"{BASE}/ageing", {"bounds": "90,30"})
    assert response.status_code == 422
    assert "bounds" in response.json()["fields"]


@pytest.mark.parametrize(("path", "params"), ENDPOINTS)
def test_reports_api_query_count_is_constant_when_postings_grow(
    api, accountant, posted, path, params
):
    api.get(BASE + path, params)
    with CaptureQueriesContext(connection) as small:
        assert api.get(BASE + path, params).status_code == 200
    for index in range(2, 8):
        services.posting_post(
            event=invoice_event(f"G{index}", "10.00", on=date(2026, 1, index)), actor=accountant
        )
    with CaptureQueriesContext(connection) as large:
        api.get(BASE + path, params)
    assert len(large.captured_queries) == len(small.captured_queries)
