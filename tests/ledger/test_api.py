"""/api/v1/ledger: vouchers, accounts, periods and company through the API, with the same
permissions as the pages and errors as {"code", "message", "fields"}."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suanpan.ledger import services
from suanpan.ledger.choices import PeriodStatus, VoucherStatus
from suanpan.ledger.models import Account, Period, PeriodEvent, Voucher
from suanpan.ledger.services import LineInput
from suanpan.users.models import User

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/ledger"


def _send(client: Client, method: str, url: str, body: Any = None) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(url)
    return call(url, json.dumps(body), content_type="application/json")


def _voucher_body(**changes: Any) -> dict[str, Any]:
    body = {
        "date": "2026-01-12",
        "summary": "销售商品",
        "attachments": 2,
        "lines": [
            {
                "account": "1122.01",
                "customer": "KH-000001",
                "debit": "113.00",
                "due_on": "2026-02-11",
            },
            {"account": "6001", "credit": "100.00"},
            {"account": "2221.01", "credit": "13.00", "summary": "销项税"},
        ],
    }
    return {**body, **changes}


def _draft(actor: User, accounts: dict[str, Account], amount: str = "100.00") -> Voucher:
    return services.voucher_create(
        actor=actor,
        date=date(2026, 1, 10),
        summary="收到投资款",
        lines=[
            LineInput(accounts["1002"], debit=D(amount)),
            LineInput(accounts["6001"], credit=D(amount)),
        ],
    )


# ---------------------------------------------------------------------------- vouchers


def test_voucher_create_returns_draft_with_lines_when_valid(
    api_client, accounts, customer_dim, accountant
):
    response = _send(api_client(accountant), "post", f"{URL}/vouchers", _voucher_body())
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["number"], data["period"]) == ("draft", None, "202601")
    assert data["amount"] == "113.00"
    assert [(x["account"], x["customer"], x["debit"], x["credit"]) for x in data["lines"]] == [
        ("1122.01", "KH-000001", "113.00", "0.00"),
        ("6001", None, "0.00", "100.00"),
        ("2221.01", None, "0.00", "13.00"),
    ]
    assert data["lines"][1]["summary"] == "销售商品"
    assert Voucher.objects.get().maker == accountant


def test_voucher_create_names_line_field_when_customer_missing(api_client, accounts, accountant):
    body = _voucher_body()
    body["lines"][0].pop("customer")
    response = _send(api_client(accountant), "post", f"{URL}/vouchers", body)
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "voucher_invalid"
    assert list(data["fields"]) == ["lines.0.customer"]
    assert not Voucher.objects.exists()


def test_voucher_create_names_unknown_codes_when_not_found(api_client, accounts, accountant):
    body = _voucher_body()
    body["lines"][0]["customer"] = "KH-999999"
    body["lines"][1]["account"] = "9999"
    response = _send(api_client(accountant), "post", f"{URL}/vouchers", body)
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"lines.0.customer", "lines.1.account"}


def test_voucher_create_refused_unbalanced_when_totals_differ(
    api_client, accounts, customer_dim, accountant
):
    body = _voucher_body()
    body["lines"][2]["credit"] = "12.00"
    response = _send(api_client(accountant), "post", f"{URL}/vouchers", body)
    assert response.status_code == 422
    assert response.json()["code"] == "voucher_unbalanced"


def test_voucher_create_refused_when_salesperson(api_client, accounts, customer_dim, sales_user):
    response = _send(api_client(sales_user), "post", f"{URL}/vouchers", _voucher_body())
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Voucher.objects.exists()


def test_voucher_create_refused_when_books_not_set_up(api_client, accountant):
    response = _send(api_client(accountant), "post", f"{URL}/vouchers", _voucher_body())
    assert response.status_code == 400
    assert response.json()["code"] == "ledger_not_set_up"


def test_voucher_list_filters_and_paginates_when_given(
    api_client, accounts, customer_dim, accountant, finance_manager
):
    client = api_client(accountant)
    _send(client, "post", f"{URL}/vouchers", _voucher_body())
    draft = _draft(accountant, accounts)
    services.voucher_review(actor=finance_manager, voucher=draft)
    all_ = client.get(f"{URL}/vouchers").json()
    assert all_["count"] == 2
    assert client.get(f"{URL}/vouchers", {"status": "reviewed"}).json()["items"][0]["id"] == (
        draft.pk
    )
    by_customer = client.get(f"{URL}/vouchers", {"customer": "KH-000001"}).json()
    assert [x["summary"] for x in by_customer["items"]] == ["销售商品"]
    assert client.get(f"{URL}/vouchers", {"account": "1002"}).json()["count"] == 1
    assert client.get(f"{URL}/vouchers", {"period": "202602"}).json()["count"] == 0


@pytest.mark.parametrize("params", [{"account": "1122"}, {"customer": "KH-000001"}, {"q": "货款"}])
def test_voucher_list_answers_a_voucher_once_with_its_amount_when_two_lines_match_the_filter(
    api_client, accounts, customer_dim, accountant, params
):
    services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 20),
        summary="销售",
        lines=[
            LineInput(accounts["1122.01"], debit=D("30"), dimension=customer_dim, summary="货款甲"),
            LineInput(accounts["1122.99"], debit=D("20"), dimension=customer_dim, summary="货款乙"),
            LineInput(accounts["6001"], credit=D("50"), summary="货款收入"),
        ],
    )

    found = api_client(accountant).get(f"{URL}/vouchers", params).json()

    assert found["count"] == 1
    assert [D(x["amount"]) for x in found["items"]] == [D("50.00")]


def test_voucher_list_refuses_unknown_status_when_filtered(api_client, books, accountant):
    response = api_client(accountant).get(f"{URL}/vouchers", {"status": "lost"})
    assert response.status_code == 422


def test_voucher_list_query_count_constant_when_more_vouchers(api_client, accounts, accountant):
    client = api_client(accountant)
    _draft(accountant, accounts)
    client.get(f"{URL}/vouchers")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        client.get(f"{URL}/vouchers")
    for _ in range(4):
        _draft(accountant, accounts)
    with CaptureQueriesContext(connection) as many:
        client.get(f"{URL}/vouchers")
    assert len(many) == len(few)


def test_voucher_get_returns_404_when_missing(api_client, books, accountant):
    response = api_client(accountant).get(f"{URL}/vouchers/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_voucher_update_replaces_lines_when_draft(api_client, accounts, customer_dim, accountant):
    voucher = _draft(accountant, accounts)
    response = _send(
        api_client(accountant), "put", f"{URL}/vouchers/{voucher.pk}", _voucher_body(summary="改")
    )
    assert response.status_code == 200, response.content
    assert response.json()["summary"] == "改"
    assert voucher.lines.count() == 3


def test_voucher_update_refused_409_when_reviewed(
    api_client, accounts, customer_dim, accountant, finance_manager
):
    voucher = _draft(accountant, accounts)
    services.voucher_review(actor=finance_manager, voucher=voucher)
    response = _send(api_client(accountant), "put", f"{URL}/vouchers/{voucher.pk}", _voucher_body())
    assert response.status_code == 409
    assert response.json()["code"] == "voucher_state_invalid"


def test_voucher_delete_removes_draft_when_allowed(api_client, accounts, accountant):
    voucher = _draft(accountant, accounts)
    response = api_client(accountant).delete(f"{URL}/vouchers/{voucher.pk}")
    assert response.status_code == 204
    assert not Voucher.objects.exists()


def test_voucher_workflow_reviews_posts_and_reverses_when_another_user_acts(
    api_client, accounts, accountant, finance_manager
):
    voucher = _draft(accountant, accounts)
    maker, manager = api_client(accountant), api_client(finance_manager)
    refused = maker.post(f"{URL}/vouchers/{voucher.pk}/review")
    assert (refused.status_code, refused.json()["code"]) == (400, "voucher_maker_cannot_review")
    assert manager.post(f"{URL}/vouchers/{voucher.pk}/review").json()["status"] == "reviewed"
    assert manager.post(f"{URL}/vouchers/{voucher.pk}/unreview").json()["status"] == "draft"
    manager.post(f"{URL}/vouchers/{voucher.pk}/review")
    posted = manager.post(f"{URL}/vouchers/{voucher.pk}/post").json()
    assert (posted["status"], posted["number"]) == ("posted", "记-202601-0001")
    assert len(posted["hash"]) == 64
    red = _send(manager, "post", f"{URL}/vouchers/{voucher.pk}/reverse", {"on": "2026-01-31"})
    assert red.status_code == 201
    assert red.json()["reverses_id"] == voucher.pk
    assert red.json()["lines"][0]["debit"] == "-100.00"
    again = _send(manager, "post", f"{URL}/vouchers/{voucher.pk}/reverse", {})
    assert again.json()["code"] == "voucher_already_reversed"


def test_voucher_delete_refused_when_posted(api_client, accounts, accountant, finance_manager):
    voucher = _draft(accountant, accounts)
    services.voucher_review(actor=finance_manager, voucher=voucher)
    services.voucher_post(actor=finance_manager, voucher=voucher)
    response = api_client(finance_manager).delete(f"{URL}/vouchers/{voucher.pk}")
    assert response.status_code == 409
    assert Voucher.objects.filter(pk=voucher.pk, status=VoucherStatus.POSTED).exists()


# ---------------------------------------------------------------------------- accounts


def test_account_list_returns_chart_when_accountant(api_client, accounts, accountant):
    data = api_client(accountant).get(f"{URL}/accounts").json()
    by_code = {a["code"]: a for a in data}
    assert by_code["1122.01"]["parent"] == "1122"
    assert by_code["1122.01"]["is_open_item"] is True
    assert by_code["2205"]["direction"] == "credit"


def test_account_create_adds_sub_account_when_allowed(api_client, accounts, accountant):
    response = _send(
        api_client(accountant),
        "post",
        f"{URL}/accounts",
        {"parent": "1002", "code": "1002.01", "name": "工商银行"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["parent"] == "1002"
    assert Account.objects.get(code="1002.01").direction == "debit"


def test_account_create_names_code_field_when_prefix_wrong(api_client, accounts, accountant):
    response = _send(
        api_client(accountant),
        "post",
        f"{URL}/accounts",
        {"parent": "1002", "code": "1003.01", "name": "X"},
    )
    assert response.status_code == 422
    assert response.json()["fields"]["code"]


def test_account_list_refused_when_salesperson(api_client, accounts, sales_user):
    assert api_client(sales_user).get(f"{URL}/accounts").status_code == 403


# ---------------------------------------------------------------------------- periods, company


def test_period_close_lists_problems_when_unposted_vouchers(api_client, accounts, accountant):
    _draft(accountant, accounts)
    response = api_client(accountant).post(f"{URL}/periods/202601/close")
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "period_close_failed"
    assert "not posted" in data["message"]


def test_period_close_and_reopen_when_finance_manager(
    api_client, books, accountant, finance_manager
):
    closed = api_client(accountant).post(f"{URL}/periods/202601/close")
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed"
    refused = _send(api_client(accountant), "post", f"{URL}/periods/202601/reopen", {"reason": "x"})
    assert refused.status_code == 403
    empty = _send(
        api_client(finance_manager), "post", f"{URL}/periods/202601/reopen", {"reason": ""}
    )
    assert empty.status_code == 422
    reopened = _send(
        api_client(finance_manager), "post", f"{URL}/periods/202601/reopen", {"reason": "补录"}
    )
    assert reopened.json()["status"] == "open"
    assert Period.objects.get().status == PeriodStatus.OPEN
    assert PeriodEvent.objects.filter(action="reopen", reason="补录").exists()


def test_period_list_counts_vouchers_when_listed(api_client, accounts, accountant):
    _draft(accountant, accounts)
    data = api_client(accountant).get(f"{URL}/periods").json()
    assert [(p["key"], p["voucher_count"], p["posted_count"]) for p in data] == [("202601", 1, 0)]


def test_company_get_returns_settings_and_roles_when_set_up(api_client, books, accountant):
    data = api_client(accountant).get(f"{URL}/company").json()
    assert (data["name"], data["standard"], data["first_period"]) == (
        "算盘测试公司",
        "cas",
        "202601",
    )
    assert data["roles"]["receivable"] == "1122.01"


def test_company_credit_hold_days_are_set_and_bounded(api_client, books, finance_manager):
    api = api_client(finance_manager)
    assert api.get(f"{URL}/company").json()["credit_hold_overdue_days"] == 0
    changed = _send(api, "patch", f"{URL}/company", {"credit_hold_overdue_days": 45}).json()
    assert changed["credit_hold_overdue_days"] == 45
    refused = api.patch(
        f"{URL}/company", {"credit_hold_overdue_days": 4000}, content_type="application/json"
    )
    assert refused.status_code == 422
    books.refresh_from_db()
    assert books.credit_hold_overdue_days == 45


def test_company_get_refused_when_salesperson(api_client, books, sales_user):
    assert api_client(sales_user).get(f"{URL}/company").status_code == 403


def test_company_setup_loads_chart_and_refuses_second_setup_when_posted_twice(
    api_client, finance_manager
):
    client = api_client(finance_manager)
    body = {
        "name": "算盘",
        "standard": "asbe_se",
        "first_period": "202611",
        "voucher_words": "收付转",
    }
    response = _send(client, "post", "/api/v1/ledger/company", body)
    assert response.status_code == 201
    assert response.json()["roles"]["revenue"] == "5001"
    assert response.json()["first_period"] == "202611"
    again = _send(client, "post", "/api/v1/ledger/company", body)
    assert (again.status_code, again.json()["code"]) == (409, "ledger_already_set_up")


@pytest.mark.parametrize("month", ["202613", "2026-11", "abc"])
def test_company_setup_refuses_bad_month_when_posted(api_client, finance_manager, month):
    body = {"name": "算盘", "standard": "cas", "first_period": month}
    response = _send(api_client(finance_manager), "post", "/api/v1/ledger/company", body)
    assert response.status_code == 422
    assert "first_period" in response.json()["fields"]


def test_company_setup_refused_when_accountant(api_client, accountant):
    body = {"name": "算盘", "standard": "cas", "first_period": "202611"}
    response = _send(api_client(accountant), "post", "/api/v1/ledger/company", body)
    assert response.status_code == 403


def test_company_update_and_role_mapping_apply_when_finance_manager(
    api_client, books, accounts, finance_manager
):
    client = api_client(finance_manager)
    response = _send(
        client, "patch", "/api/v1/ledger/company", {"name": "新名称", "default_word": "收"}
    )
    assert (response.status_code, response.json()["name"]) == (200, "新名称")
    mapped = _send(client, "put", "/api/v1/ledger/company/roles/bank", {"account": "1405"})
    assert mapped.status_code == 200
    assert mapped.json()["roles"]["bank"] == "1405"
    parent = _send(client, "put", "/api/v1/ledger/company/roles/bank", {"account": "1122"})
    assert parent.status_code == 422
    unknown = _send(client, "put", "/api/v1/ledger/company/roles/bank", {"account": "9999"})
    assert (unknown.status_code, list(unknown.json()["fields"])) == (422, ["account"])
