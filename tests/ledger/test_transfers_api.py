"""/api/v1/ledger: period-end transfers per month (preview, post) and transfer templates
(create, read, replace, delete, history), with the pages' permissions and errors as
{"code", "message", "fields"}."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from suanpan.ledger.models import Account, TransferTemplate, Voucher
from suanpan.ledger.types import TransferSource
from suanpan.users.choices import Role
from tests.ledger.builders import january_trading, role_accounts

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.parametrize("chart_books", ["asbe_se"], indirect=True),
]
D = Decimal
URL = "/api/v1/ledger"
MONTH = f"{URL}/periods/2026-01/transfers"


@pytest.fixture
def a(chart_books, chart_customer, accountant, finance_manager) -> dict[str, Account]:
    accounts = role_accounts()
    january_trading(accounts, chart_customer, maker=accountant, poster=finance_manager)
    return accounts


def _send(client: Client, method: str, url: str, body: Any = None) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(url)
    return call(url, json.dumps(body), content_type="application/json")


def _body(**changes: Any) -> dict[str, Any]:
    body = {
        "name": "计提附加税",
        "lines": [
            {
                "account": "5403",
                "direction": "debit",
                "basis": "balancing",
                "summary": "税金及附加",
            },
            {
                "account": "2221.13",
                "direction": "credit",
                "basis": "movement",
                "source_account": "2221.01.04",
                "rate": "0.07",
                "summary": "城建税",
            },
            {
                "account": "2221.14",
                "direction": "credit",
                "basis": "movement",
                "source_account": "2221.01.04",
                "rate": "0.03",
            },
        ],
    }
    return {**body, **changes}


# ---------------------------------------------------------------------------- the month


def test_overview_lists_the_months_transfers_in_the_order_they_run(api_client, a, accountant):
    template = _send(api_client(accountant), "post", f"{URL}/transfer-templates", _body()).json()

    response = api_client(accountant).get(MONTH)

    assert response.status_code == 200
    data = response.json()
    assert [p["key"] for p in data] == ["vat", f"template:{template['id']}", "pnl", "year-end"]
    vat = data[0]
    assert vat["period"] == "202601" and vat["date"] == "2026-01-31"
    assert [(x["account"], x["debit"], x["credit"]) for x in vat["lines"]] == [
        ("2221.01.04", "1041.50", "0.00"),
        ("2221.02", "0.00", "1041.50"),
    ]
    assert vat["can_post"] is True
    assert data[1]["blocked_by"] == ["VAT payable transferred out (转出未交增值税)"]
    assert data[3]["unavailable"] == "the year-end transfer runs in December"


def test_post_posts_once_and_then_reports_nothing_left(api_client, a, accountant):
    client = api_client(accountant)

    first = client.post(f"{MONTH}/vat/post")
    again = client.post(f"{MONTH}/vat/post")

    assert first.status_code == 200
    assert first.json()["posted"] is True
    assert first.json()["voucher"]["number"] == "转-202601-0001"
    assert again.json() == {"posted": False, "voucher": None}
    preview = client.get(f"{MONTH}/vat").json()
    assert preview["lines"] == [] and [v["number"] for v in preview["vouchers"]] == [
        "转-202601-0001"
    ]


def test_post_out_of_order_is_a_conflict_naming_what_runs_first(api_client, a, accountant):
    response = api_client(accountant).post(f"{MONTH}/pnl/post")

    assert response.status_code == 409
    assert response.json()["code"] == "transfer_out_of_order"
    assert "VAT payable transferred out" in response.json()["message"]


def test_template_preview_and_post_to_the_fen(api_client, a, accountant):
    client = api_client(accountant)
    template = _send(client, "post", f"{URL}/transfer-templates", _body()).json()
    client.post(f"{MONTH}/vat/post")

    preview = client.get(f"{MONTH}/templates/{template['id']}").json()
    posted = client.post(f"{MONTH}/templates/{template['id']}/post").json()

    assert [(x["account"], x["debit"], x["credit"]) for x in preview["lines"]] == [
        ("5403", "104.16", "0.00"),
        ("2221.13", "0.00", "72.91"),
        ("2221.14", "0.00", "31.25"),
    ]
    assert posted["posted"] is True
    voucher = Voucher.objects.get(pk=posted["voucher"]["id"])
    assert (voucher.source_type, voucher.source_id) == (
        TransferSource.TEMPLATE,
        f"202601/{template['id']}",
    )


def test_unknown_kinds_months_and_templates(api_client, a, accountant):
    client = api_client(accountant)

    assert client.get(f"{MONTH}/template").status_code == 422
    assert client.get(f"{URL}/periods/2025-12/transfers").status_code == 404
    assert client.get(f"{MONTH}/templates/999").status_code == 404
    assert client.post(f"{MONTH}/templates/999/post").status_code == 404


def test_sales_may_neither_preview_nor_post(api_client, a, make_user):
    client = api_client(make_user(Role.SALES))

    assert client.get(MONTH).status_code == 403
    assert client.post(f"{MONTH}/vat/post").status_code == 403
    assert client.get(f"{URL}/transfer-templates").status_code == 403
    assert not Voucher.objects.filter(source_type=TransferSource.VAT).exists()


# ---------------------------------------------------------------------------- templates


def test_template_create_read_replace_and_history(api_client, a, accountant, finance_manager):
    created = _send(api_client(accountant), "post", f"{URL}/transfer-templates", _body())
    assert created.status_code == 201
    template = created.json()
    assert [(x["line_no"], x["account"], x["rate"]) for x in template["lines"]] == [
        (1, "5403", None),
        (2, "2221.13", "0.070000"),
        (3, "2221.14", "0.030000"),
    ]

    body = _body(name="计提附加税（新）")
    body["lines"][1]["rate"] = "0.05"
    replaced = _send(
        api_client(finance_manager), "put", f"{URL}/transfer-templates/{template['id']}", body
    )
    history = api_client(accountant).get(f"{URL}/transfer-templates/{template['id']}/history")

    assert replaced.status_code == 200
    assert replaced.json()["name"] == "计提附加税（新）"
    assert replaced.json()["lines"][1]["rate"] == "0.050000"
    entries = history.json()
    assert {"field": "rate", "old": "7%", "new": "5%"} in [c for e in entries for c in e["changes"]]
    assert entries[0]["user"] == str(finance_manager)
    listed = api_client(accountant).get(f"{URL}/transfer-templates").json()
    assert [t["name"] for t in listed] == ["计提附加税（新）"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rate": "0"}, None),
        ({"rate": "1.5"}, None),
        ({"account": "9999"}, "lines.1.account"),
        ({"source_account": "9999"}, "lines.1.source_account"),
        ({"account": "2221"}, "lines.1.account"),
        ({"source_account": None}, "lines.1.source_account"),
    ],
)
def test_template_create_refused_with_the_field_named(api_client, a, accountant, change, field):
    body = _body()
    body["lines"][1].update(change)

    response = _send(api_client(accountant), "post", f"{URL}/transfer-templates", body)

    assert response.status_code == 422
    if field is not None:
        assert field in response.json()["fields"]
    assert not TransferTemplate.objects.exists()


def test_template_delete_is_for_finance_managers_and_refused_once_posted(
    api_client, a, accountant, finance_manager
):
    template = _send(api_client(accountant), "post", f"{URL}/transfer-templates", _body()).json()
    url = f"{URL}/transfer-templates/{template['id']}"
    assert api_client(accountant).delete(url).status_code == 403
    api_client(accountant).post(f"{MONTH}/vat/post")
    api_client(accountant).post(f"{MONTH}/templates/{template['id']}/post")

    refused = api_client(finance_manager).delete(url)

    assert refused.status_code == 409
    assert refused.json()["code"] == "transfer_template_in_use"
    second = _send(
        api_client(accountant), "post", f"{URL}/transfer-templates", _body(name="备用")
    ).json()
    deleted = api_client(finance_manager).delete(f"{URL}/transfer-templates/{second['id']}")
    assert deleted.status_code == 204
    assert list(TransferTemplate.objects.values_list("name", flat=True)) == ["计提附加税"]
