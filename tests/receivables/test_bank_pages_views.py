"""The bank pages' editors: one queue line opened to change its customer and what it settles
(part of an invoice, the rest as advance) before confirming it; and a bank account's column
mapping edited from a preset, with a preview of a sample file."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from suanpan.ledger.selectors import open_items_for_source
from suanpan.receivables.choices import BankLineStatus
from suanpan.receivables.models import BankLine, Receipt
from tests.receivables.bank_support import statement_xlsx
from tests.receivables.support import invoice, invoice_item, open_of, received
from tests.receivables.test_bank_statements_services import _import, _lines, account  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def queue(account, clerk, customer):  # noqa: F811 (the fixture)
    received(customer, "10.00", actor=clerk, payer_account="6222000011112222")
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    _import(account, statement_xlsx("ccb", _lines()), clerk)
    return BankLine.objects.get(serial="S1"), BankLine.objects.get(serial="S2"), item


def test_an_opened_line_starts_from_its_suggestion(client: Client, queue, clerk, customer):
    line, _other, item = queue
    client.force_login(clerk)
    listing = client.get(reverse("receivables:bank_lines"))
    assert reverse("receivables:bank_line_edit", args=[line.pk]) in listing.text
    page = client.get(reverse("receivables:bank_line_edit", args=[line.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["customer"] == customer.pk
    (offered,) = page.context["open_debits"]
    assert (offered["row"].pk, offered["typed"]) == (item.pk, "1130.00")


def test_part_of_an_invoice_settled_and_the_rest_left_as_advance(
    client: Client, queue, clerk, customer
):
    line, _other, item = queue
    client.force_login(clerk)
    back = f"{reverse('receivables:bank_lines')}?status=unmatched"
    done = client.post(
        reverse("receivables:bank_line_edit", args=[line.pk]),
        {"customer": customer.pk, f"settle-{item.pk}": "500.00", "back": back},
    )
    assert done.status_code == 302 and done.url == back
    line.refresh_from_db()
    assert line.status == BankLineStatus.CONFIRMED
    assert (line.receipt.amount, line.receipt.customer) == (D("1130.00"), customer)
    assert open_of(item) == D("630.00")
    credits = open_items_for_source(source_type="receivables.receipt", source_ids=[line.receipt.pk])
    assert sum(-c.open_amount for c in credits) == D("630.00")
    assert f"Receipt {line.receipt.number} recorded." in _messages(done)
    # Confirmed: the page shows what became of it, and confirming again is refused.
    again = client.post(
        reverse("receivables:bank_line_edit", args=[line.pk]), {"customer": customer.pk}
    )
    assert again.status_code == 400 and again.context["unmatched"] is False
    assert "is Confirmed already" in again.text
    assert Receipt.objects.count() == 2


@pytest.mark.parametrize("typed", ["2000.00", "-5", "1.001", "abc"])
def test_bad_amounts_are_refused_and_nothing_is_confirmed(
    client: Client, queue, clerk, customer, typed
):
    line, _other, item = queue
    client.force_login(clerk)
    refused = client.post(
        reverse("receivables:bank_line_edit", args=[line.pk]),
        {"customer": customer.pk, f"settle-{item.pk}": typed},
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors
    line.refresh_from_db()
    assert line.status == BankLineStatus.UNMATCHED
    assert open_of(item) == D("1130.00")


def test_a_line_without_suggestion_gets_its_customer_here(
    client: Client, queue, clerk, customer, other_customer
):
    _line, other, _item = queue
    client.force_login(clerk)
    page = client.get(reverse("receivables:bank_line_edit", args=[other.pk]))
    assert page.context["open_debits"] == []
    done = client.post(
        reverse("receivables:bank_line_edit", args=[other.pk]), {"customer": other_customer.pk}
    )
    assert done.status_code == 302
    other.refresh_from_db()
    assert other.receipt.customer == other_customer


def test_a_salesperson_cannot_open_a_line(client: Client, queue, seller):
    line, _other, _item = queue
    client.force_login(seller)
    assert client.get(reverse("receivables:bank_line_edit", args=[line.pk])).status_code == 403


def _mapping_post(client: Client, account, action: str, **fields):  # noqa: F811 (the fixture)
    data = {"action": action, "header_row": "0", "skip_footer": "0", **fields}
    return client.post(reverse("receivables:bank_account_mapping", args=[account.pk]), data)


def test_mapping_starts_from_a_preset_previews_a_sample_and_is_saved(
    client: Client,
    account,  # noqa: F811
    clerk,
):
    client.force_login(clerk)
    url = reverse("receivables:bank_account_mapping", args=[account.pk])
    start = client.get(url, {"preset": "ccb"})
    assert start.status_code == 200
    assert start.context["form"].initial["credit"] == "贷方发生额（收入）"
    assert start.context["form"].initial["summary"] == "摘要，备注"
    assert url in client.get(reverse("receivables:statement_import")).text
    fields = {
        "date": "交易时间",
        "credit": "贷方发生额（收入）",
        "debit": "借方发生额（支取）",
        "counterparty_name": "对方户名",
        "counterparty_account": "对方账号",
        "serial": "账户明细编号-交易流水号",
        "summary": "摘要、备注",
    }
    sample = SimpleUploadedFile("样本.xlsx", statement_xlsx("ccb", _lines()))
    preview = _mapping_post(client, account, "preview", sample=sample, **fields)
    assert preview.status_code == 200
    shown = preview.context["sample"]
    assert shown.found and shown.header_row == 3
    assert [line.serial for line in shown.lines] == ["S1", "S2", "S3"]
    assert "上海测试贸易有限公司" in preview.text
    account.refresh_from_db()
    assert account.statement_mapping == {}  # a preview saves nothing
    saved = _mapping_post(client, account, "save", **fields)
    assert saved.status_code == 302
    account.refresh_from_db()
    assert account.statement_mapping["summary"] == ["摘要", "备注"]
    assert account.statement_mapping["credit"] == "贷方发生额（收入）"
    again = client.get(url)
    assert again.context["form"].initial["serial"] == "账户明细编号-交易流水号"
    assert "data-confirm" in again.text
    forgotten = _mapping_post(client, account, "forget")
    assert forgotten.status_code == 302
    account.refresh_from_db()
    assert account.statement_mapping == {}


def test_an_incomplete_mapping_is_refused_on_its_fields(
    client: Client,
    account,  # noqa: F811
    clerk,
):
    client.force_login(clerk)
    refused = _mapping_post(client, account, "save", credit="贷方", amount="金额")
    assert refused.status_code == 400
    errors = refused.context["form"].errors
    assert "date" in errors and "amount" in errors
    bad_format = _mapping_post(
        client, account, "save", date="日期", amount="金额", date_format="%m%d"
    )
    assert "date_format" in bad_format.context["form"].errors
    no_sample = _mapping_post(client, account, "preview", date="日期", amount="金额")
    assert "sample" in no_sample.context["form"].errors
    account.refresh_from_db()
    assert account.statement_mapping == {}


def test_a_sample_whose_columns_are_missing_says_so(
    client: Client,
    account,  # noqa: F811
    clerk,
):
    client.force_login(clerk)
    sample = SimpleUploadedFile("样本.xlsx", statement_xlsx("ccb", _lines()))
    preview = _mapping_post(client, account, "preview", sample=sample, date="记账日", amount="金额")
    assert preview.status_code == 200
    assert preview.context["sample"].found is False
    assert "not all in one of the first rows" in preview.text


def test_a_salesperson_cannot_edit_a_mapping(client: Client, account, seller):  # noqa: F811
    client.force_login(seller)
    url = reverse("receivables:bank_account_mapping", args=[account.pk])
    assert client.get(url).status_code == 403
