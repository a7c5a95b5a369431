"""/api/v1/ledger/statements: the statements as JSON rows, xlsx and PDF, the drill-down, the
definitions, the counter-account mapping and the items of cash lines."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from suanpan.ledger.models import CashFlowTag, StatementRow, VoucherLine
from suanpan.users.choices import Role
from tests.ledger.statement_books import StatementBooks, statement_books

BASE = "/api/v1/ledger"
D = Decimal


@pytest.fixture
def people(make_user):
    return make_user(Role.ACCOUNTANT), make_user(Role.FINANCE_MANAGER)


@pytest.fixture
def cas(people) -> StatementBooks:
    return statement_books(standard="cas", maker=people[0], poster=people[1])


@pytest.fixture
def api(api_client, people):
    return api_client(people[0])


def _put(client, url: str, body: dict):
    return client.put(url, data=json.dumps(body), content_type="application/json")


def _post(client, url: str, body: dict | None = None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_statement_get_answers_rows_with_every_column_and_the_checks(cas, api):
    response = api.get(f"{BASE}/statements/balance-sheet?period=2026-01")
    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["format"], body["period"]) == ("balance-sheet", "cas", "2026-01")
    assert [c["key"] for c in body["columns"]] == ["closing", "year_opening"]
    rows = {r["line_no"]: r for r in body["rows"] if r["line_no"]}
    assert rows[1]["amounts"] == {"closing": "996000.00", "year_opening": "1000000.00"}
    assert rows[6]["amounts"] == {"closing": None, "year_opening": None}  # no formula: blank
    assert rows[34]["key"] == "total_assets"
    assert [(c["key"], c["status"]) for c in body["checks"]] == [
        ("balance", "pass"),
        ("balance", "pass"),
        ("retained_earnings", "pending"),
    ]
    assert body["standard_rows"] is True
    small = api.get(f"{BASE}/statements/income?period=202601&format=asbe_se").json()
    assert [c["key"] for c in small["columns"]] == ["year", "month"]
    net = next(r for r in small["rows"] if r["key"] == "net_profit")
    assert net["amounts"] == {"year": "119000.00", "month": "119000.00"}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/statements/income?period=2026-13", "period"),
        ("/statements/income?period=2025-01", "period"),
        ("/statements/income?format=ifrs", "format"),
        ("/statements/budget?period=2026-01", "kind"),
    ],
)
def test_statement_get_refuses_bad_parameters_by_field(cas, api, url, field):
    response = api.get(BASE + url)
    assert response.status_code == 422
    assert field in json.dumps(response.json())


def test_statement_files_download_as_xlsx_and_pdf(cas, api):
    xlsx = api.get(f"{BASE}/statements/cash-flow/xlsx?period=2026-01")
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"] == 'attachment; filename="cash-flow-cas-202601.xlsx"'
    assert xlsx.content.startswith(b"PK")
    pdf = api.get(f"{BASE}/statements/balance-sheet/pdf?period=2026-01")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_statement_drilldown_adds_up_to_the_figure(cas, api):
    body = api.get(f"{BASE}/statements/income/drilldown?period=2026-01&line=5&column=year").json()
    assert (body["figure"], body["total"]) == ("29000.00", "29000.00")
    assert [(r["account"], r["amount"]) for r in body["rows"]] == [("6602", "29000.00")]
    missing = api.get(f"{BASE}/statements/income/drilldown?period=2026-01&line=99&column=year")
    assert missing.status_code == 422


def test_definition_put_refuses_by_row_and_saves_when_correct(cas, api):
    url = f"{BASE}/statement-definitions/income?format=cas"
    definition = api.get(url).json()
    assert definition["stored"] is False
    assert definition["rows"][0]["label"] == "一、营业收入"
    refused = _put(
        api,
        url,
        {"rows": [{"line_no": 1, "label": "收入", "kind": "item", "formula": "6001 + 9999"}]},
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "statement_definition_invalid"
    assert "rows.0.formula" in refused.json()["fields"]
    saved = _put(
        api,
        url,
        {
            "rows": [
                {"line_no": 1, "label": "收入", "kind": "item", "formula": "6001"},
                {"line_no": 2, "label": "净利润", "kind": "subtotal", "formula": "L1",
                 "key": "net_profit"},
            ]
        },
    )  # fmt: skip
    assert saved.status_code == 200
    assert saved.json()["stored"] is True
    assert StatementRow.objects.count() == 2
    restored = _post(api, f"{BASE}/statement-definitions/income/restore?format=cas")
    assert restored.status_code == 200
    assert len(restored.json()["rows"]) == 28


def test_definition_put_refused_to_a_salesperson(cas, api_client, make_user):
    sales = api_client(make_user(Role.SALES))
    response = _put(
        sales,
        f"{BASE}/statement-definitions/income",
        {"rows": [{"line_no": 1, "label": "收入", "kind": "item", "formula": "6001"}]},
    )
    assert response.status_code == 403
    assert sales.get(f"{BASE}/statements/income").status_code == 403


def test_cash_flow_api_lists_untagged_lines_tags_them_and_fills_defaults(cas, api):
    deposit = cas.post(
        date(2026, 1, 30), "收押金", ("1002", "", "500", ""), ("1901", "", "", "500")
    )
    line = VoucherLine.objects.get(voucher=deposit, account__code="1002")
    bad = api.get(f"{BASE}/cash-flow/lines?period_from=2026-13")
    assert (bad.status_code, list(bad.json()["fields"])) == (422, ["period_from"])
    items = api.get(f"{BASE}/cash-flow/items").json()
    assert items[0]["code"] == "CF101"
    untagged = api.get(f"{BASE}/cash-flow/lines?period_from=2026-01&period_to=2026-01").json()
    assert [(x["id"], x["amount"], x["item"]) for x in untagged["items"]] == [
        (line.pk, "500.00", None)
    ]
    refused = _post(api, f"{BASE}/cash-flow/tags", {"lines": [line.pk], "item": "CF999"})
    assert refused.status_code == 422
    tagged = _post(api, f"{BASE}/cash-flow/tags", {"lines": [line.pk], "item": "CF103"})
    assert tagged.json() == {"count": 1}
    assert CashFlowTag.objects.get(line=line).item.code == "CF103"
    mapping = api.get(f"{BASE}/cash-flow/mapping").json()
    assert mapping["stored"] is False
    assert {"account": "1122", "inflow": "CF101", "outflow": "CF101"} in mapping["rows"]
    put = _put(api, f"{BASE}/cash-flow/mapping", {"rows": [{"account": "1901", "inflow": "CF103"}]})
    assert put.status_code == 200
    assert put.json() == {
        "stored": True,
        "rows": [{"account": "1901", "inflow": "CF103", "outflow": ""}],
    }
    filled = _post(
        api, f"{BASE}/cash-flow/defaults", {"period_from": "2026-01", "period_to": "2026-01"}
    )
    assert filled.json() == {"count": 0}  # the one untagged line was tagged by hand


def test_voucher_api_takes_and_shows_a_cash_flow_item_per_line(cas, api):
    body = {
        "date": "2026-01-29",
        "summary": "政府补助",
        "lines": [
            {"account": "1002", "debit": "800", "cash_flow_item": "CF103"},
            {"account": "6301", "credit": "800", "cash_flow_item": "CF101"},
        ],
    }
    refused = _post(api, f"{BASE}/vouchers", body)
    assert refused.status_code == 422
    assert set(refused.json()["fields"]) == {"lines.1.cash_flow_item"}
    del body["lines"][1]["cash_flow_item"]
    created = _post(api, f"{BASE}/vouchers", body)
    assert created.status_code == 201
    assert [x["cash_flow_item"] for x in created.json()["lines"]] == ["CF103", None]
    unknown = _post(
        api,
        f"{BASE}/vouchers",
        {**body, "lines": [{**body["lines"][0], "cash_flow_item": "CF9"}, body["lines"][1]]},
    )
    assert set(unknown.json()["fields"]) == {"lines.0.cash_flow_item"}
