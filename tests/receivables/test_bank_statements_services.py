"""Importing bank statements: each bank's file with its title and totals rows, duplicates,
money paid out, suggestions by payer account, name, invoice number and amount, and confirming
lines as receipts that settle the suggested invoices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suanpan.core.errors import NotFound, PermissionDeniedError
from suanpan.receivables.calculations.bank_layouts import Mapping
from suanpan.receivables.choices import BankLineStatus, SuggestionReason
from suanpan.receivables.errors import BankLineNotUnmatched, StatementInvalid
from suanpan.receivables.models import BankAccount, BankLine, Receipt, StatementImport
from suanpan.receivables.services import (
    Allocation,
    LineConfirm,
    bank_account_mapping_save,
    bank_line_ignore,
    bank_lines_confirm,
    statement_import,
)
from suanpan.users.choices import Role
from tests.inventory.deliveries_support import customer_with_dimension
from tests.invoicing.support import TAX_NUMBER
from tests.receivables.bank_support import statement_csv, statement_xlsx
from tests.receivables.support import invoice, invoice_item, open_of, received

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def account(receivable_books) -> BankAccount:
    return BankAccount.objects.create(
        name="基本户", bank_name="建设银行", account_number="6217000010001234567"
    )


def _lines(time_apart: bool = False) -> list[dict[str, str]]:
    lines = [
        {
            "date": "2026-01-12 08:00:24",
            "credit": "1,130.00",
            "name": "上海测试贸易有限公司",
            "account": "6222000011112222",
            "summary": "货款",
            "serial": "S1",
            "balance": "11,130.00",
        },
        {
            "date": "2026-01-12 09:00:00",
            "credit": "50.00",
            "name": "无名氏",
            "serial": "S2",
            "balance": "11,180.00",
        },
        {"date": "2026-01-13 10:00:00", "debit": "80.00", "name": "房东", "serial": "S3"},
    ]
    if time_apart:
        for line, (day, clock) in zip(
            lines,
            (("20260112", "080024"), ("20260112", "090000"), ("20260113", "100000")),
            strict=True,
        ):
            line["date"], line["time"] = day, clock
    return lines


def _import(account, data, actor, *, commit=True, name="流水.xlsx", **kwargs):
    return statement_import(
        bank_account=account, data=data, filename=name, actor=actor, commit=commit, **kwargs
    )


@pytest.mark.parametrize("code", ["ccb", "cmb", "abc", "icbc", "cmbc"])
def test_each_banks_file_is_read_by_its_layout_and_its_lines_added(code, account, clerk):
    data = statement_xlsx(code, _lines(time_apart=code in ("cmb", "abc", "cmbc")))

    report = _import(account, data, clerk)

    assert report.errors == []
    assert report.preset == code
    assert (report.header_row, report.footer_rows) == (3, 1)
    assert (report.row_count, report.added, report.incoming, report.outgoing) == (3, 3, 2, 1)
    assert report.amount_received == D("1180.00")
    first = BankLine.objects.get(row_number=4)
    assert first.amount == D("1130.00") and first.status == BankLineStatus.UNMATCHED
    assert first.counterparty_account == "6222000011112222"
    assert BankLine.objects.get(row_number=6).status == BankLineStatus.OUTGOING
    account.refresh_from_db()
    assert account.statement_mapping["date"]  # the mapping used is kept for the next file


def test_a_csv_in_gb18030_reads_like_the_xlsx(account, clerk):
    report = _import(account, statement_csv("ccb", _lines()), clerk, name="流水.csv", commit=False)
    assert (report.preset, report.incoming, report.errors) == ("ccb", 2, [])
    assert not BankLine.objects.exists()


def test_importing_the_same_file_again_adds_nothing_and_counts_duplicates(account, clerk):
    data = statement_xlsx("ccb", _lines())
    _import(account, data, clerk)

    again = _import(account, data, clerk)

    assert (again.added, again.duplicates) == (0, 3)
    assert BankLine.objects.count() == 3
    assert StatementImport.objects.count() == 2


def test_lines_without_a_serial_are_told_apart_by_content_twice_in_one_file(account, clerk):
    lines = [{**line, "serial": ""} for line in _lines()]
    lines.append(dict(lines[1]))  # the same payment twice on one day, no balance to tell
    lines[1].pop("balance")
    lines[3].pop("balance")
    data = statement_xlsx("icbc", lines)

    first = _import(account, data, clerk)
    again = _import(account, data, clerk)

    assert (first.added, first.duplicates) == (4, 0)
    assert (again.added, again.duplicates) == (0, 4)


def test_a_dry_run_reports_errors_by_row_and_a_commit_with_them_adds_nothing(account, clerk):
    lines = _lines()
    lines[1]["credit"] = "五十"
    data = statement_xlsx("ccb", lines)

    report = _import(account, data, clerk, commit=False)
    assert len(report.errors) == 1 and "Row 5" in report.errors[0]
    with pytest.raises(StatementInvalid):
        _import(account, data, clerk)
    assert not BankLine.objects.exists() and not StatementImport.objects.exists()


def test_a_file_of_no_known_layout_is_refused_until_a_mapping_names_its_columns(account, clerk):
    rows = "标题\n日期,收入,付款人\n2026-01-12,100.00,甲\n".encode()
    with pytest.raises(StatementInvalid):
        _import(account, rows, clerk, name="x.csv")
    bank_account_mapping_save(
        bank_account=account,
        mapping={"date": "日期", "credit": "收入", "counterparty_name": "付款人"},
        actor=clerk,
    )
    report = _import(account, rows, clerk, name="x.csv")
    assert (report.added, report.header_row, report.preset) == (1, 2, "")


def test_an_incomplete_mapping_is_refused_with_its_fields(account, clerk):
    with pytest.raises(StatementInvalid) as refused:
        bank_account_mapping_save(bank_account=account, mapping={"credit": "x"}, actor=clerk)
    assert set(refused.value.fields) == {"date"}
    with pytest.raises(StatementInvalid):
        _import(account, b"x", clerk, mapping=None, preset="boc")


def test_a_mapping_given_for_one_import_is_read_with_its_header_row(account, clerk):
    data = statement_xlsx("ccb", _lines())
    mapping = Mapping(date="交易时间", credit="贷方发生额（收入）", header_row=3, skip_footer=1)
    report = _import(account, data, clerk, mapping=mapping, commit=False)
    # Without its debit column the line paying money out has no amount.
    assert report.errors == ["Row 6, 贷方发生额（收入）: no amount received or paid"]
    mapping = Mapping(**{**mapping.__dict__, "debit": "借方发生额（支取）"})
    report = _import(account, data, clerk, mapping=mapping, commit=False)
    assert (report.incoming, report.outgoing, report.footer_rows) == (2, 1, 1)


def test_a_salesperson_may_not_import(account, make_user):
    with pytest.raises(PermissionDeniedError):
        _import(account, statement_xlsx("ccb", _lines()), make_user(Role.SALES))


def test_a_payer_account_seen_on_a_receipt_suggests_its_customer(account, clerk, customer):
    received(customer, "10.00", actor=clerk, payer_account="6222000011112222")
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))

    _import(account, statement_xlsx("ccb", _lines()), clerk)

    line = BankLine.objects.get(serial="S1")
    assert line.suggested_customer == customer
    assert line.suggestion_reason == SuggestionReason.PAYER_ACCOUNT
    assert line.suggested_allocations == [[item.pk, "1130.00"]]
    assert BankLine.objects.get(serial="S2").suggested_customer is None


def test_a_payer_name_suggests_the_customer_of_that_name_or_invoice_title(account, clerk, customer):
    # The fixture's customer invoices as 上海测试贸易有限公司, the payer of S1.
    other = customer_with_dimension(
        owner=customer.owner, invoice_tax_number=TAX_NUMBER, name="无名氏"
    )
    _import(account, statement_xlsx("ccb", _lines()), clerk)
    by_title = BankLine.objects.get(serial="S1")
    by_name = BankLine.objects.get(serial="S2")
    assert (by_title.suggested_customer, by_name.suggested_customer) == (customer, other)
    assert by_name.suggestion_reason == SuggestionReason.PAYER_NAME
    assert by_title.suggested_allocations == []  # nothing open: the receipt is an advance


def test_an_invoice_number_in_the_remark_suggests_its_customer_and_invoice(
    account, clerk, customer
):
    bill = invoice(customer, "1130.00", actor=clerk)
    item = invoice_item(bill)
    lines = _lines()
    lines[1]["summary"] = f"付发票{bill.number}款"
    lines[1]["credit"] = "500.00"

    _import(account, statement_xlsx("ccb", lines), clerk)

    line = BankLine.objects.get(serial="S2")
    assert (line.suggested_customer, line.suggestion_reason) == (
        customer,
        SuggestionReason.INVOICE_NUMBER,
    )
    assert line.suggested_allocations == [[item.pk, "500.00"]]


def test_an_amount_only_one_open_invoice_has_suggests_it(account, clerk, customer):
    item = invoice_item(invoice(customer, "50.00", actor=clerk))
    _import(account, statement_xlsx("ccb", _lines()), clerk)
    line = BankLine.objects.get(serial="S2")
    assert (line.suggested_customer, line.suggestion_reason) == (customer, SuggestionReason.AMOUNT)
    assert line.suggested_allocations == [[item.pk, "50.00"]]


def test_outgoing_lines_are_never_suggested(account, clerk, customer):
    invoice(customer, "80.00", actor=clerk)
    _import(account, statement_xlsx("ccb", _lines()), clerk)
    line = BankLine.objects.get(serial="S3")
    assert line.status == BankLineStatus.OUTGOING and line.suggested_customer is None


def test_confirming_lines_makes_receipts_that_settle_the_invoices(account, clerk, customer):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    _import(account, statement_xlsx("ccb", _lines()), clerk)
    first, second = BankLine.objects.filter(serial__in=["S1", "S2"]).order_by("serial")

    receipts = bank_lines_confirm(
        lines=[
            LineConfirm(first.pk, customer.pk, (Allocation(item.pk, D("1130.00")),)),
            LineConfirm(second.pk, customer.pk),
        ],
        actor=clerk,
    )

    assert len(receipts) == 2
    first.refresh_from_db()
    assert first.status == BankLineStatus.CONFIRMED and first.receipt is not None
    receipt = first.receipt
    assert (receipt.amount, receipt.payer_account, receipt.bank_account) == (
        D("1130.00"),
        "6222000011112222",
        account,
    )
    assert receipt.received_on.isoformat() == "2026-01-12" and receipt.reference == "货款"
    assert open_of(item) == 0
    # The payer's account is now known: the next statement suggests the customer by it.
    lines = _lines()
    lines[0]["serial"] = "S9"
    _import(account, statement_xlsx("ccb", lines), clerk)
    assert BankLine.objects.get(serial="S9").suggestion_reason == SuggestionReason.PAYER_ACCOUNT


def test_a_confirmation_that_fails_on_one_line_confirms_none(account, clerk, customer):
    item = invoice_item(invoice(customer, "100.00", actor=clerk))
    _import(account, statement_xlsx("ccb", _lines()), clerk)
    first, second = BankLine.objects.filter(serial__in=["S1", "S2"]).order_by("serial")
    with pytest.raises(Exception):  # noqa: B017 (the receipt's own refusal)
        bank_lines_confirm(
            lines=[
                LineConfirm(first.pk, customer.pk),
                LineConfirm(second.pk, customer.pk, (Allocation(item.pk, D("60.00")),)),
            ],
            actor=clerk,
        )
    assert not Receipt.objects.exists()
    assert set(BankLine.objects.values_list("status", flat=True)) == {"unmatched", "outgoing"}


def test_a_line_confirmed_or_ignored_already_or_paid_out_is_refused(account, clerk, customer):
    _import(account, statement_xlsx("ccb", _lines()), clerk)
    first, second, out = BankLine.objects.order_by("serial")
    bank_lines_confirm(lines=[LineConfirm(first.pk, customer.pk)], actor=clerk)
    bank_line_ignore(line=second, reason="退款", actor=clerk)

    for line in (first, second, out):
        with pytest.raises(BankLineNotUnmatched):
            bank_lines_confirm(lines=[LineConfirm(line.pk, customer.pk)], actor=clerk)
    with pytest.raises(BankLineNotUnmatched):
        bank_line_ignore(line=first, reason="x", actor=clerk)
    with pytest.raises(StatementInvalid):
        bank_lines_confirm(
            lines=[LineConfirm(first.pk, customer.pk), LineConfirm(first.pk, customer.pk)],
            actor=clerk,
        )
    with pytest.raises(NotFound):
        bank_lines_confirm(lines=[LineConfirm(10**9, customer.pk)], actor=clerk)
    assert Receipt.objects.count() == 1
    second.refresh_from_db()
    assert (second.status, second.ignore_reason, second.handled_by) == ("ignored", "退款", clerk)


def test_ignoring_needs_a_reason(account, clerk):
    _import(account, statement_xlsx("ccb", _lines()), clerk)
    line = BankLine.objects.get(serial="S1")
    with pytest.raises(StatementInvalid):
        bank_line_ignore(line=line, reason="  ", actor=clerk)
    line.refresh_from_db()
    assert line.status == BankLineStatus.UNMATCHED
