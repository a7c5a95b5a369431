"""The bank statement API: bank accounts and their mapping, a file checked then imported, the
queue of lines, confirming many at once and ignoring, with the project's errors and
permissions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from suanpan.receivables.models import BankAccount, BankLine, Receipt
from suanpan.users.choices import Role
from tests.receivables.bank_support import statement_xlsx
from tests.receivables.support import invoice, invoice_item, open_of

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/receivables/bank-statements"

LINES = [
    {
        "date": "2026-01-12 08:00:24",
        "credit": "1,130.00",
        "name": "上海测试贸易有限公司",
        "account": "6222000011112222",
        "summary": "货款",
        "serial": "S1",
    },
    {"date": "2026-01-12 09:00:00", "credit": "50.00", "name": "无名氏", "serial": "S2"},
    {"date": "2026-01-13 10:00:00", "debit": "80.00", "name": "房东", "serial": "S3"},
]


def _upload(api, account_id, *, commit, data=None, **extra):
    return api.post(
        f"{URL}/imports",
        {
            "file": SimpleUploadedFile("建行流水.xlsx", data or statement_xlsx("ccb", LINES)),
            "bank_account_id": account_id,
            "commit": "true" if commit else "false",
            **extra,
        },
    )


def test_add_an_account_import_a_file_and_confirm_its_lines(customer, clerk, make_user, api_client):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    manager = make_user(Role.FINANCE_MANAGER)
    made = api_client(manager).post(
        f"{URL}/accounts",
        {"name": "基本户", "account_number": "6217 0000 1000", "bank_name": "建设银行"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    account_id = made.json()["id"]
    assert made.json()["account_number"] == "621700001000"
    api = api_client(clerk)
    assert [a["id"] for a in api.get(f"{URL}/accounts").json()["items"]] == [account_id]

    checked = _upload(api, account_id, commit=False)
    assert checked.status_code == 200, checked.content
    assert checked.json()["preset"] == "ccb" and checked.json()["committed"] is False
    assert (checked.json()["incoming"], checked.json()["outgoing"]) == (2, 1)
    assert not BankLine.objects.exists()

    imported = _upload(api, account_id, commit=True)
    assert imported.json()["added"] == 3 and imported.json()["committed"] is True
    again = _upload(api, account_id, commit=True).json()
    assert (again["added"], again["duplicates"]) == (0, 3)

    queue = api.get(f"{URL}/lines", {"status": "unmatched"}).json()
    assert queue["count"] == 2
    first, second = queue["items"]
    assert first["suggested_customer_id"] == customer.pk
    assert first["suggested_allocations"] == [[item.pk, "1130.00"]]

    confirmed = api.post(
        f"{URL}/lines/confirm",
        {
            "lines": [
                {
                    "line_id": first["id"],
                    "customer_id": customer.pk,
                    "allocations": [{"item_id": item.pk, "amount": "1130.00"}],
                }
            ]
        },
        content_type="application/json",
    )
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()[0]["status"] == "confirmed"
    assert confirmed.json()[0]["receipt_number"]
    assert open_of(item) == 0
    twice = api.post(
        f"{URL}/lines/confirm",
        {"lines": [{"line_id": first["id"], "customer_id": customer.pk}]},
        content_type="application/json",
    )
    assert twice.status_code == 409 and twice.json()["code"] == "bank_line_handled"

    ignored = api.post(
        f"{URL}/lines/{second['id']}/ignore", {"reason": "退款"}, content_type="application/json"
    )
    assert ignored.status_code == 200 and ignored.json()["status"] == "ignored"
    assert api.get(f"{URL}/lines", {"status": "unmatched"}).json()["count"] == 0
    assert api.get(f"{URL}/lines", {"q": "房东"}).json()["items"][0]["status"] == "outgoing"
    dated = api.get(f"{URL}/lines", {"booked_from": "2026-01-13", "bank_account": account_id})
    assert dated.json()["count"] == 1


def test_the_mapping_is_saved_read_and_forgotten(receivable_books, clerk, api_client):
    account = BankAccount.objects.create(name="一般户", account_number="1")
    api = api_client(clerk)
    assert api.get(f"{URL}/accounts/{account.pk}/mapping").json()["mapping"] is None
    saved = api.put(
        f"{URL}/accounts/{account.pk}/mapping",
        {"date": "日期", "amount": "金额", "direction": "借贷", "summary": ["摘要", "用途"]},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["mapping"]["summary"] == ["摘要", "用途"]
    incomplete = api.put(
        f"{URL}/accounts/{account.pk}/mapping", {"date": "日期"}, content_type="application/json"
    )
    assert incomplete.status_code == 422
    assert incomplete.json()["code"] == "statement_invalid"
    assert "credit" in incomplete.json()["fields"]
    assert api.delete(f"{URL}/accounts/{account.pk}/mapping").json()["mapping"] is None
    presets = api.get(f"{URL}/presets").json()
    assert [p["code"] for p in presets] == ["ccb", "cmb", "abc", "icbc", "cmbc"]


def test_a_file_with_unreadable_rows_is_reported_and_refused_at_commit(
    receivable_books, clerk, api_client
):
    account = BankAccount.objects.create(name="一般户", account_number="1")
    lines = [dict(line) for line in LINES]
    lines[0]["date"] = "昨天"
    data = statement_xlsx("ccb", lines)
    api = api_client(clerk)
    checked = _upload(api, account.pk, commit=False, data=data).json()
    assert checked["errors"] == ["Row 4, 交易时间: not a date"]
    refused = _upload(api, account.pk, commit=True, data=data)
    assert refused.status_code == 422 and refused.json()["code"] == "statement_invalid"
    assert refused.json()["fields"]["file"] == ["Row 4, 交易时间: not a date"]
    assert not BankLine.objects.exists()
    unknown = _upload(api, account.pk, commit=False, preset="boc")
    assert unknown.status_code == 422 and "preset" in unknown.json()["fields"]
    assert _upload(api, 10**9, commit=False).status_code == 404


def test_a_salesperson_neither_sees_lines_nor_imports(receivable_books, make_user, api_client):
    account = BankAccount.objects.create(name="一般户", account_number="1")
    api = api_client(make_user(Role.SALES))
    assert api.get(f"{URL}/lines").status_code == 403
    denied = _upload(api, account.pk, commit=True)
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    assert (
        api.post(
            f"{URL}/accounts", {"name": "x", "account_number": "2"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert not Receipt.objects.exists() and not BankLine.objects.exists()


def test_confirming_more_lines_than_allowed_is_a_field_error(clerk, api_client):
    many = [{"line_id": i, "customer_id": 1} for i in range(501)]
    answer = api_client(clerk).post(
        f"{URL}/lines/confirm", {"lines": many}, content_type="application/json"
    )
    assert answer.status_code == 422
