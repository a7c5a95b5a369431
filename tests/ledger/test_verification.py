"""The hash chain and the open-item proof find edits made behind the application's back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from suanpan.ledger import services, verification
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Account, Dimension, OpenItem, Voucher, VoucherLine
from suanpan.ledger.services import LineInput
from suanpan.ledger.types import PostingEvent, RoleLine
from suanpan.users.models import User

pytestmark = pytest.mark.django_db
D = Decimal


def invoice_event(number: str, gross: str, *, on: date, customer: str) -> PostingEvent:
    amount = D(gross)
    net = (amount / D("1.13")).quantize(D("0.01"))
    return PostingEvent(
        source_type="invoicing.invoice",
        source_id=number,
        event="issued",
        date=on,
        summary=f"销售发票 {number}",
        lines=(
            RoleLine(
                AccountRole.RECEIVABLE,
                debit=amount,
                dimension_code=customer,
                due_on=on.replace(day=28),
            ),
            RoleLine(AccountRole.REVENUE, credit=net, summary="主营业务收入"),
            RoleLine(AccountRole.VAT_OUTPUT, credit=amount - net),
        ),
    )


def receipt_event(number: str, amount: str, *, on: date, customer: str) -> PostingEvent:
    return PostingEvent(
        source_type="receivables.receipt",
        source_id=number,
        event="received",
        date=on,
        summary=f"收款 {number}",
        word="收",
        lines=(
            RoleLine(AccountRole.BANK, debit=D(amount)),
            RoleLine(AccountRole.RECEIVABLE, credit=D(amount), dimension_code=customer),
        ),
    )


@dataclass
class SmallLedger:
    invoice_1: Voucher
    invoice_2: Voucher
    receipt: Voucher
    manual: Voucher
    red: Voucher

    @property
    def posted(self) -> list[Voucher]:
        return [self.invoice_1, self.invoice_2, self.receipt, self.manual, self.red]


def post_small_ledger(
    *, accounts: dict[str, Account], customer: Dimension, maker: User, checker: User
) -> SmallLedger:
    """Two months: invoices for two customers, a receipt, a manual voucher, a red reversal."""
    other = Dimension.objects.create(kind="customer", code="KH-000002", name='上海"算盘",有限公司')
    jan = date(2026, 1, 1)
    invoice_1 = services.posting_post(
        event=invoice_event("INV-1", "1130.00", on=jan.replace(day=15), customer=customer.code),
        actor=maker,
    )
    invoice_2 = services.posting_post(
        event=invoice_event("INV-2", "565.00", on=jan.replace(day=18), customer=other.code),
        actor=maker,
    )
    receipt = services.posting_post(
        event=receipt_event("R-1", "1000.00", on=jan.replace(day=20), customer=customer.code),
        actor=maker,
    )
    manual = services.voucher_create(
        actor=maker,
        date=date(2026, 2, 3),
        summary="收到投资款,二月",
        lines=[
            LineInput(accounts["1002"], debit=D("500.00")),
            LineInput(accounts["6001"], credit=D("500.00"), summary="其他收入"),
        ],
    )
    services.voucher_review(actor=checker, voucher=manual)
    manual = services.voucher_post(actor=checker, voucher=manual)
    red = services.voucher_reverse(actor=checker, voucher=invoice_2, on=date(2026, 2, 5))
    return SmallLedger(
        *(Voucher.objects.get(pk=v.pk) for v in (invoice_1, invoice_2, receipt, manual, red))
    )


@pytest.fixture
def ledger(accounts, customer_dim, accountant, finance_manager) -> SmallLedger:
    return post_small_ledger(
        accounts=accounts, customer=customer_dim, maker=accountant, checker=finance_manager
    )


def raw(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_chain_verify_reports_intact_when_nothing_was_changed(ledger):
    report = verification.chain_verify()

    assert report.ok
    assert report.checked == 5
    assert report.last_hash == ledger.red.hash


def test_chain_verify_reports_intact_when_there_are_no_vouchers(books):
    report = verification.chain_verify()

    assert report.ok
    assert report.checked == 0


def test_chain_verify_names_the_voucher_when_its_summary_was_edited_with_sql(ledger):
    raw("UPDATE ledger_voucher SET summary = %s WHERE id = %s", "改过的摘要", ledger.receipt.pk)

    report = verification.chain_verify()

    assert report.broken is not None
    assert report.broken.voucher_id == ledger.receipt.pk
    assert report.broken.voucher == ledger.receipt.display_number
    assert report.broken.reason == "content"
    assert report.checked == 2


def test_chain_verify_names_the_voucher_when_a_line_amount_was_edited_with_sql(ledger):
    line = ledger.invoice_2.lines.get(line_no=2)
    # Stored in fen: one more fen on the revenue line.
    raw(
        "UPDATE ledger_voucherline SET credit_amount = credit_amount + 1 WHERE id = %s",
        line.pk,
    )

    report = verification.chain_verify()

    assert report.broken is not None
    assert report.broken.voucher_id == ledger.invoice_2.pk
    assert report.broken.reason == "content"


def test_chain_verify_names_the_voucher_when_a_line_was_deleted_with_sql(ledger):
    line = ledger.manual.lines.get(line_no=2)
    raw("DELETE FROM ledger_voucherline WHERE id = %s", line.pk)

    report = verification.chain_verify()

    assert report.broken is not None
    assert report.broken.voucher_id == ledger.manual.pk
    assert report.broken.reason == "content"


def test_chain_verify_names_the_voucher_when_its_link_was_rewritten(ledger):
    raw("UPDATE ledger_voucher SET prev_hash = %s WHERE id = %s", "f" * 64, ledger.manual.pk)

    report = verification.chain_verify()

    assert report.broken is not None
    assert report.broken.voucher_id == ledger.manual.pk
    assert report.broken.reason == "link"


def test_chain_verify_names_the_next_voucher_when_a_posted_one_was_unposted(ledger):
    raw("UPDATE ledger_voucher SET status = 'draft' WHERE id = %s", ledger.invoice_2.pk)

    report = verification.chain_verify()

    assert report.broken is not None
    assert report.broken.voucher_id == ledger.receipt.pk
    assert report.broken.reason == "gap"


def test_chain_verify_finds_the_break_when_it_lies_in_a_later_chunk(ledger):
    raw("UPDATE ledger_voucher SET date = %s WHERE id = %s", "2026-02-06", ledger.red.pk)

    report = verification.chain_verify(chunk_size=2)

    assert report.broken is not None
    assert report.broken.voucher_id == ledger.red.pk
    assert report.checked == 4


def test_chain_verify_reads_a_constant_number_of_queries_per_chunk(
    ledger, django_assert_num_queries
):
    # Five vouchers in chunks of two: three chunks and the empty read that ends the walk,
    # each one query for the vouchers and, when there are any, one for their lines.
    with django_assert_num_queries(3 * 2 + 1):
        report = verification.chain_verify(chunk_size=2)

    assert report.ok


def test_open_items_verify_reports_nothing_when_items_equal_their_accounts(ledger):
    assert verification.open_items_verify(as_of=date(2026, 2, 28)) == []


def test_open_items_verify_names_account_and_customer_when_an_item_was_edited(ledger):
    item = OpenItem.objects.get(line__voucher=ledger.invoice_1)
    raw("UPDATE ledger_openitem SET amount = amount + 100 WHERE id = %s", item.pk)

    mismatches = verification.open_items_verify(as_of=date(2026, 2, 28))

    assert len(mismatches) == 1
    assert mismatches[0].account.startswith("1122.01")
    assert mismatches[0].customer.startswith("KH-000001")
    assert mismatches[0].open_items == mismatches[0].balance + D("1.00")


def test_open_items_verify_ignores_later_items_when_checked_as_of_an_earlier_date(ledger):
    item = OpenItem.objects.get(line__voucher=ledger.red, dimension__code="KH-000002")
    raw("UPDATE ledger_openitem SET amount = amount - 100 WHERE id = %s", item.pk)

    assert verification.open_items_verify(as_of=date(2026, 1, 31)) == []
    assert len(verification.open_items_verify(as_of=date(2026, 2, 28))) == 1


def test_small_ledger_posts_lines_and_items_when_built(ledger):
    # Guards the fixture the export tests rely on.
    assert VoucherLine.objects.filter(voucher__in=ledger.posted).count() == 3 + 3 + 2 + 2 + 3
    assert ledger.red.reverses_id == ledger.invoice_2.pk
