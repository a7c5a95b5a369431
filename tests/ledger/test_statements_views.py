"""The statement pages: the statement with its checks, xlsx and PDF, the drill-down, the
definition editor, the mapping and the tagging page; who may see and change what."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from suanpan.ledger.models import CashFlowTag, StatementRow, VoucherLine
from suanpan.users.choices import Role
from tests.ledger.statement_books import StatementBooks, statement_books

BASE = "/ledger/reports/statements"


@pytest.fixture
def people(make_user):
    return make_user(Role.ACCOUNTANT), make_user(Role.FINANCE_MANAGER)


@pytest.fixture
def cas(people) -> StatementBooks:
    return statement_books(standard="cas", maker=people[0], poster=people[1])


@pytest.fixture
def client_of(login):
    return login


def test_statement_page_shows_figures_checks_and_links_when_an_accountant_opens_it(
    cas, people, client_of
):
    client = client_of(people[0])
    page = client.get(f"{BASE}/balance-sheet/?period=202601&format=cas")
    assert page.status_code == 200
    html = page.content.decode()
    assert "1,274,870.00" in html
    assert 'data-check="balance" data-status="pass"' in html
    assert 'data-check="retained_earnings" data-status="pending"' in html
    assert f"{BASE}/balance-sheet/drill/?period=202601&amp;format=cas&amp;line=5" in html
    for kind in ("income", "cash-flow"):
        assert client.get(f"{BASE}/{kind}/?period=202601").status_code == 200


def test_statement_page_refuses_a_salesperson_and_an_unknown_statement(cas, make_user, client_of):
    assert client_of(make_user(Role.SALES)).get(f"{BASE}/income/").status_code == 403
    assert client_of(make_user(Role.ACCOUNTANT)).get(f"{BASE}/forecast/").status_code == 404


def test_statement_files_hold_the_official_layout_when_downloaded(cas, people, client_of):
    client = client_of(people[0])
    response = client.get(f"{BASE}/balance-sheet/xlsx/?period=202601&format=cas")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('balance-sheet-cas-202601.xlsx"')
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[1][-1] == "会企01表"
    assert "报表测试有限公司" in cells[2][0]
    assert cells[3][:2] == ["Assets", "Line no."]
    rows = {row[0].strip("\u3000"): row for row in cells[4:] if row[0]}
    assert rows["货币资金"][1:4] == [1, 996000, 1000000]
    # both totals close the last row, as the form prints them
    assert cells[-1][0] == "资产总计" and cells[-1][4] == "负债和所有者权益（或股东权益）总计"
    assert cells[-1][2] == cells[-1][6] == 1274870
    pdf = client.get(f"{BASE}/income/pdf/?period=202601&format=asbe_se")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_drilldown_page_lists_the_accounts_and_their_ledgers(cas, people, client_of):
    client = client_of(people[0])
    page = client.get(f"{BASE}/balance-sheet/drill/?period=202601&format=cas&line=5&column=closing")
    assert page.status_code == 200
    html = page.content.decode()
    assert "1122.01" in html and "1231" in html
    assert '<td class="sp-money" id="drill-total">111,870.00</td>' in html
    assert "/ledger/reports/customer-balances/?account=1122.01" in html
    cash = client.get(f"{BASE}/cash-flow/drill/?period=202601&format=cas&line=1&column=month")
    assert "收A货款" in cash.content.decode()
    missing = client.get(f"{BASE}/income/drill/?period=202601&format=cas&line=999&column=month")
    assert missing.status_code == 404


def _definition_post(rows: list[dict], extra: int = 0) -> dict[str, str]:
    data = {
        "rows-TOTAL_FORMS": str(len(rows) + extra),
        "rows-INITIAL_FORMS": str(len(rows)),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "200",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"rows-{index}-{name}"] = str(value)
    return data


def test_definition_page_saves_rows_and_shows_a_refusal_by_its_row(cas, people, client_of):
    client = client_of(people[0])
    url = f"{BASE}/income/definition/?format=cas"
    assert client.get(url).status_code == 200
    rows = [
        {"ORDER": 2, "line_no": 2, "label": "成本", "kind": "item", "formula": "6401", "indent": 0},
        {"ORDER": 1, "line_no": 1, "label": "收入", "kind": "item", "formula": "6001", "indent": 0},
        {"ORDER": 3, "line_no": 3, "label": "毛利", "kind": "subtotal", "formula": "L1 - L9"},
    ]
    refused = client.post(url, _definition_post(rows))
    assert refused.status_code == 200
    assert "there is no line L9" in refused.content.decode()
    assert not StatementRow.objects.exists()
    rows[2]["formula"] = "L1 - L2"
    rows[2]["key"] = "net_profit"
    saved = client.post(url, _definition_post(rows))
    assert saved.status_code == 302
    # in the order of their positions
    assert list(StatementRow.objects.order_by("position").values_list("label", flat=True)) == [
        "收入",
        "成本",
        "毛利",
    ]
    restored = client.post(f"{BASE}/income/definition/restore/", {"format": "cas"})
    assert restored.status_code == 302
    assert StatementRow.objects.filter(label="一、营业收入").exists()


def test_definition_page_refused_without_the_permission(cas, make_user, client_of):
    client = client_of(make_user(Role.SALES_MANAGER))
    assert client.get(f"{BASE}/income/definition/").status_code == 403
    assert client.post(f"{BASE}/income/definition/restore/").status_code == 403


def test_tagging_page_lists_untagged_cash_lines_and_tags_the_chosen_ones(cas, people, client_of):
    deposit = cas.post(
        date(2026, 1, 30), "收押金", ("1002", "", "500", ""), ("1901", "", "", "500")
    )
    line = VoucherLine.objects.get(voucher=deposit, account__code="1002")
    client = client_of(people[0])
    url = f"{BASE}/cash-flow/lines/?period_from=202601&period_to=202601"
    page = client.get(url)
    html = page.content.decode()
    assert "收押金" in html and "1901 待处理财产损溢" in html
    assert "收A货款" not in html  # tagged at posting
    tagged = client.post(url, {"lines": [str(line.pk)], "item": "CF103"})
    assert tagged.status_code == 302
    assert CashFlowTag.objects.get(line=line).item.code == "CF103"
    every = client.get(url + "&all_lines=1").content.decode()
    assert "收A货款" in every


def test_tagging_refused_to_a_user_without_the_permission(cas, make_user, client_of):
    viewer = make_user(Role.SALES_MANAGER)
    viewer.user_permissions.add(*Permission.objects.filter(codename="view_ledger_reports"))
    client = client_of(viewer)
    url = f"{BASE}/cash-flow/lines/?period_from=202601&period_to=202601"
    assert client.get(url).status_code == 200
    assert client.post(url, {"lines": ["1"], "item": "CF103"}).status_code == 403


def test_mapping_page_saves_and_restores_the_mapping(cas, people, client_of):
    client = client_of(people[0])
    url = f"{BASE}/cash-flow/mapping/"
    assert "1122 应收账款" in client.get(url).content.decode()
    data = {
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "500",
        "rows-0-account": "1901 待处理财产损溢",
        "rows-0-inflow": "CF103",
        "rows-0-outflow": "CF114",
        "rows-1-account": "9999",
        "rows-1-inflow": "CF103",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "There is no account 9999." in refused.content.decode()
    data["rows-1-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert "1122 应收账款" not in client.get(url).content.decode()
    assert client.post(f"{BASE}/cash-flow/mapping/restore/").status_code == 302
    assert "1122 应收账款" in client.get(url).content.decode()
