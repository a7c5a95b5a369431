"""The hash chain and the open-item proof find edits made behind the application's back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from suanpan.ledger import selectors, services, verification
from suanpan.ledger.choices import AccountRole, PeriodStatus
from suanpan.ledger.errors import PeriodCloseFailed
from suanpan.ledger.models import (
    Account,
    Dimension,
    OpenItem,
    Period,
    PeriodTotal,
    Voucher,
    VoucherLine,
)
from suanpan.ledger.services import LineInput
from suanpan.ledger.types import PostingEvent, RoleLine
from suanpan.users.models import User
from tests.ledger.builders import carry_forward

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
    # The positions handed out, then five vouchers in chunks of two: three chunks and the
    # empty read that ends the walk, each one query for the vouchers and, when there are any,
    # one for their lines.
    with django_assert_num_queries(1 + 3 * 2 + 1):
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


# ------------------------------------------------------------------ the chain's newest links


def delete_voucher_with_sql(voucher: Voucher) -> None:
    """What a person with database access does to make a voucher disappear."""
    raw(
        "DELETE FROM ledger_openitemmatch WHERE debit_item_id IN (SELECT id FROM ledger_openitem"
        " WHERE line_id IN (SELECT id FROM ledger_voucherline WHERE voucher_id = %s))"
        " OR credit_item_id IN (SELECT id FROM ledger_openitem WHERE line_id IN"
        " (SELECT id FROM ledger_voucherline WHERE voucher_id = %s))",
        voucher.pk,
        voucher.pk,
    )
    raw(
        "DELETE FROM ledger_openitem WHERE line_id IN"
        " (SELECT id FROM ledger_voucherline WHERE voucher_id = %s)",
        voucher.pk,
    )
    raw(
        "DELETE FROM ledger_cashflowtag WHERE line_id IN"
        " (SELECT id FROM ledger_voucherline WHERE voucher_id = %s)",
        voucher.pk,
    )
    raw("DELETE FROM ledger_voucherline WHERE voucher_id = %s", voucher.pk)
    raw("DELETE FROM ledger_voucher WHERE id = %s", voucher.pk)


def test_chain_verify_reports_missing_links_when_the_newest_voucher_was_deleted(ledger):
    delete_voucher_with_sql(ledger.red)

    report = verification.chain_verify()

    assert report.broken is not None
    assert report.broken.reason == "tail"
    assert report.broken.voucher_id is None
    assert report.broken.chain_seq == 5
    assert report.checked == 4
    assert "5 to 5" in report.broken.message


def test_chain_verify_reports_missing_links_when_the_newest_two_were_unposted(ledger):
    raw(
        "UPDATE ledger_voucher SET status = 'draft' WHERE id IN (%s, %s)",
        ledger.manual.pk,
        ledger.red.pk,
    )

    report = verification.chain_verify()

    assert report.broken is not None
    assert report.broken.reason == "tail"
    assert report.checked == 3
    assert "4 to 5" in report.broken.message


# ------------------------------------------------------------------ numbers per word and month


def test_numbering_verify_reports_nothing_when_nothing_was_changed(ledger):
    assert verification.numbering_verify() == []


def test_numbering_verify_names_word_month_and_number_when_a_voucher_was_deleted(ledger):
    # 转-202601-0001 is the first invoice; 0002 (the second) stays.
    delete_voucher_with_sql(ledger.invoice_1)

    gaps = verification.numbering_verify()

    assert [(g.word, g.period, g.missing) for g in gaps] == [("转", "202601", (1,))]


def test_numbering_verify_names_the_last_number_when_a_months_newest_voucher_was_deleted(ledger):
    # The second invoice is 转-202601-0002, the last voucher of its word and month; the
    # chain goes on past it, so the chain names it too, as a gap.
    delete_voucher_with_sql(ledger.invoice_2)
    raw("UPDATE ledger_voucher SET reverses_id = NULL WHERE id = %s", ledger.red.pk)

    gaps = verification.numbering_verify()

    assert [(g.word, g.period, g.missing_text) for g in gaps] == [("转", "202601", "2")]


def test_numbering_verify_names_a_month_whose_only_voucher_of_a_word_was_deleted(ledger):
    delete_voucher_with_sql(ledger.receipt)

    gaps = verification.numbering_verify()

    assert [(g.word, g.period, g.missing) for g in gaps] == [("收", "202601", (1,))]


def test_number_gap_reads_runs_of_missing_numbers_as_ranges():
    gap = verification.NumberGap(word="记", period="202601", missing=(3, 5, 6, 7, 9))

    assert gap.missing_text == "3, 5-7, 9"


# ------------------------------------------------------------------ period totals


def test_totals_verify_reports_nothing_when_nothing_was_changed(ledger):
    assert verification.totals_verify() == []


def test_totals_verify_names_account_period_and_both_amounts_when_a_total_was_edited(
    ledger, accounts
):
    bank = PeriodTotal.objects.get(account=accounts["1002"], period__month=1)
    # Stored in fen: one yuan more on the bank's January debit, behind the ledger's back.
    raw("UPDATE ledger_periodtotal SET debit_amount = debit_amount + 100 WHERE id = %s", bank.pk)

    mismatches = verification.totals_verify()

    assert len(mismatches) == 1
    row = mismatches[0]
    assert (row.period, row.customer) == ("202601", "")
    assert row.account.startswith("1002")
    assert row.stored_debit == D("1001.00")
    assert row.lines_debit == D("1000.00")
    assert row.stored_credit == row.lines_credit == D("0.00")
    # Nothing else notices: the open items still equal their accounts.
    assert verification.open_items_verify(as_of=date(2026, 2, 28)) == []


def test_totals_verify_names_the_customer_when_a_customer_total_was_deleted(ledger, accounts):
    PeriodTotal.objects.filter(
        account=accounts["1122.01"], dimension__code="KH-000001", period__month=1
    ).delete()

    mismatches = verification.totals_verify()

    assert len(mismatches) == 1
    assert mismatches[0].customer.startswith("KH-000001")
    assert mismatches[0].stored_debit == D("0")
    assert mismatches[0].lines_debit == D("1130.00")
    assert mismatches[0].lines_credit == D("1000.00")


def test_totals_verify_names_a_total_that_no_line_gives(ledger, accounts):
    january = PeriodTotal.objects.filter(period__month=1).first()
    assert january is not None
    PeriodTotal.objects.create(
        period=january.period, account=accounts["1405"], debit_amount=D("50.00")
    )

    mismatches = verification.totals_verify()

    assert [(m.account.split(" ")[0], m.stored_debit, m.lines_debit) for m in mismatches] == [
        ("1405", D("50.00"), D("0"))
    ]


# ------------------------------------------------------------------ all of it, and the close


def test_books_verify_names_every_kind_of_problem_when_the_newest_voucher_was_deleted(ledger):
    delete_voucher_with_sql(ledger.red)

    report = verification.books_verify()

    assert not report.ok
    problems = report.problems()
    assert len(problems) == 3
    assert "chain positions 5 to 5" in problems[0]
    assert "转 202602 no. 1" in problems[1]
    assert "period totals differ" in problems[2]
    assert "202602" in problems[2]


def test_books_verify_is_ok_when_nothing_was_changed(ledger):
    report = verification.books_verify()

    assert report.ok
    assert report.problems() == []


def test_books_verify_names_the_first_rows_and_counts_the_rest_when_many_differ(ledger):
    raw("UPDATE ledger_periodtotal SET debit_amount = debit_amount + 1")

    problems = verification.books_verify().problems(limit=2)

    assert len(problems) == 1
    assert problems[0].count("stored debit") == 2
    assert "more" in problems[0]


def test_period_close_refused_naming_the_totals_when_both_sides_were_edited_alike(
    ledger, accounts, finance_manager
):
    january = Period.objects.get(month=1)
    # Five yuan more on the bank's debit and on revenue's credit: the trial balance still
    # nets to zero and the open items still agree, but both accounts are wrong.
    for code, column in (("1002", "debit_amount"), ("6001", "credit_amount")):
        raw(
            f"UPDATE ledger_periodtotal SET {column} = {column} + 500"  # noqa: S608 - fixed names
            " WHERE account_id = %s AND period_id = %s",
            accounts[code].pk,
            january.pk,
        )
    balance = selectors.trial_balance(period_from=january, period_to=january)
    assert balance.closing_debit == balance.closing_credit

    with pytest.raises(PeriodCloseFailed) as info:
        services.period_close(actor=finance_manager, period=january)

    message = info.value.message
    assert "period totals differ from the posted lines" in message
    assert "202601 1002 银行存款 stored debit 1,005.00 credit 0.00, lines debit 1,000.00" in message
    assert "stored debit 0.00 credit 1,505.00, lines debit 0.00 credit 1,500.00" in message
    assert Period.objects.get(pk=january.pk).status == PeriodStatus.OPEN


def test_period_close_refused_when_the_newest_voucher_was_deleted(ledger, finance_manager):
    delete_voucher_with_sql(ledger.red)
    january = Period.objects.get(month=1)

    with pytest.raises(PeriodCloseFailed) as info:
        services.period_close(actor=finance_manager, period=january)

    assert "the hash chain is short" in info.value.message
    assert Period.objects.get(pk=january.pk).status == PeriodStatus.OPEN


def test_period_close_succeeds_when_the_books_verify(ledger, finance_manager):
    january = Period.objects.get(month=1)
    carry_forward(finance_manager)

    services.period_close(actor=finance_manager, period=january)

    assert Period.objects.get(pk=january.pk).status == PeriodStatus.CLOSED
