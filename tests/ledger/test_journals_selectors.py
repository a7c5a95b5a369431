"""Journals: the account summary (科目汇总表) of a hand-computed set of vouchers, and the
journal's (序时账) filters, order and totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.ledger import selectors, services
from suanpan.ledger.services import LineInput

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def vouchers(accounts, customer_dim, accountant, finance_manager):
    """Five posted vouchers in January, one draft and one voucher in February:

    记-1  01-05  Dr 1002 1,130.00 / Cr 6001 1,000.00, Cr 2221.01 130.00  (2 attachments)
    记-2  01-12  Dr 1122.01 226.00 (customer) / Cr 6001 200.00, Cr 2221.01 26.00
    收-1  01-20  Dr 1002 100.00 / Cr 1122.01 100.00 (customer)  (1 attachment)
    记-3  01-25  Dr 6401 80.00 / Cr 1405 80.00
    记-4  01-31  Dr 1122.99 50.00 (customer) / Cr 2221.02 50.00
    draft 01-28  Dr 1002 7.00 / Cr 6001 7.00
    记-1  02-03  Dr 1002 9.00 / Cr 6001 9.00
    """
    a = accounts
    made = {}

    def post(key, on, lines, *, word="记", attachments=0, summary="凭证"):
        voucher = services.voucher_create(
            actor=accountant,
            date=on,
            summary=summary,
            lines=lines,
            word=word,
            attachments=attachments,
        )
        services.voucher_review(actor=finance_manager, voucher=voucher)
        made[key] = services.voucher_post(actor=finance_manager, voucher=voucher)

    post(
        "sale",
        date(2026, 1, 5),
        [
            LineInput(a["1002"], debit=D("1130.00")),
            LineInput(a["6001"], credit=D("1000.00")),
            LineInput(a["2221.01"], credit=D("130.00")),
        ],
        attachments=2,
        summary="现销",
    )
    post(
        "invoice",
        date(2026, 1, 12),
        [
            LineInput(a["1122.01"], debit=D("226.00"), dimension=customer_dim),
            LineInput(a["6001"], credit=D("200.00")),
            LineInput(a["2221.01"], credit=D("26.00")),
        ],
        summary="赊销 小米",
    )
    post(
        "receipt",
        date(2026, 1, 20),
        [
            LineInput(a["1002"], debit=D("100.00")),
            LineInput(a["1122.01"], credit=D("100.00"), dimension=customer_dim),
        ],
        word="收",
        attachments=1,
        summary="收款 小米",
    )
    post(
        "cost",
        date(2026, 1, 25),
        [LineInput(a["6401"], debit=D("80.00")), LineInput(a["1405"], credit=D("80.00"))],
        summary="结转成本",
    )
    post(
        "unbilled",
        date(2026, 1, 31),
        [
            LineInput(a["1122.99"], debit=D("50.00"), dimension=customer_dim),
            LineInput(a["2221.02"], credit=D("50.00")),
        ],
        summary="已发货未开票",
    )
    made["draft"] = services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 28),
        summary="草稿凭证",
        lines=[LineInput(a["1002"], debit=D("7.00")), LineInput(a["6001"], credit=D("7.00"))],
    )
    post(
        "february",
        date(2026, 2, 3),
        [LineInput(a["1002"], debit=D("9.00")), LineInput(a["6001"], credit=D("9.00"))],
        summary="二月现销",
    )
    return made


def _rows(summary) -> dict[str, tuple[Decimal, Decimal]]:
    return {r.account.code: (r.debit, r.credit) for r in summary.rows}


# ---------------------------------------------------------------------------- account summary


def test_account_summary_sums_first_level_accounts_when_january_is_asked(vouchers):
    summary = selectors.account_summary(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))

    assert _rows(summary) == {
        "1002": (D("1230.00"), D("0.00")),
        "1122": (D("276.00"), D("100.00")),
        "1405": (D("0.00"), D("80.00")),
        "2221": (D("0.00"), D("206.00")),
        "6001": (D("0.00"), D("1200.00")),
        "6401": (D("80.00"), D("0.00")),
    }
    assert summary.debit == summary.credit == D("1586.00")
    assert (summary.vouchers, summary.unposted, summary.attachments) == (5, 0, 3)
    assert [(r.period, r.word, r.count, r.first, r.last) for r in summary.ranges] == [
        ("202601", "收", 1, 1, 1),
        ("202601", "记", 4, 1, 4),
    ]


def test_account_summary_shows_sub_accounts_under_their_parents_when_level_two(vouchers):
    summary = selectors.account_summary(
        date_from=date(2026, 1, 1), date_to=date(2026, 1, 31), level=2
    )

    rows = _rows(summary)
    assert [r.account.code for r in summary.rows][:4] == ["1002", "1122", "1122.01", "1122.99"]
    assert rows["1122.01"] == (D("226.00"), D("100.00"))
    assert rows["1122.99"] == (D("50.00"), D("0.00"))
    assert rows["2221.01"] == (D("0.00"), D("156.00"))
    assert rows["2221.02"] == (D("0.00"), D("50.00"))
    # The totals still count each amount once.
    assert summary.debit == summary.credit == D("1586.00")


def test_account_summary_takes_a_word_and_number_range_when_given(vouchers):
    summary = selectors.account_summary(
        date_from=date(2026, 1, 1),
        date_to=date(2026, 1, 31),
        word="记",
        number_from=2,
        number_to=3,
    )

    assert _rows(summary) == {
        "1122": (D("226.00"), D("0.00")),
        "1405": (D("0.00"), D("80.00")),
        "2221": (D("0.00"), D("26.00")),
        "6001": (D("0.00"), D("200.00")),
        "6401": (D("80.00"), D("0.00")),
    }
    assert summary.debit == summary.credit == D("306.00")
    assert [(r.word, r.first, r.last) for r in summary.ranges] == [("记", 2, 3)]
    assert summary.ranges[0].text == "202601 记 No. 2 to 3"


def test_account_summary_counts_drafts_apart_when_all_vouchers_asked(vouchers):
    summary = selectors.account_summary(
        date_from=date(2026, 1, 1), date_to=date(2026, 1, 31), posted_only=False
    )

    assert summary.vouchers == 6
    assert summary.unposted == 1
    assert _rows(summary)["1002"] == (D("1237.00"), D("0.00"))
    assert summary.debit == summary.credit == D("1593.00")


def test_account_summary_is_empty_when_no_voucher_in_range(vouchers):
    summary = selectors.account_summary(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))

    assert summary.rows == []
    assert summary.debit == summary.credit == D("0")
    assert summary.vouchers == 0


def test_account_summary_reads_a_constant_number_of_queries_when_more_vouchers(
    vouchers, django_assert_num_queries
):
    with django_assert_num_queries(3):
        selectors.account_summary(date_from=date(2026, 1, 1), date_to=date(2026, 2, 28), level=3)


# ---------------------------------------------------------------------------- journal


def _journal(**filters):
    lines, filterset = selectors.journal_list(filters=filters)
    assert filterset.is_valid(), filterset.errors
    return list(lines), selectors.journal_totals(lines)


def test_journal_lists_posted_lines_in_date_and_number_order_when_unfiltered(vouchers):
    lines, totals = _journal()

    assert [(x.voucher_number, x.line_no) for x in lines][:4] == [
        ("记-202601-0001", 1),
        ("记-202601-0001", 2),
        ("记-202601-0001", 3),
        ("记-202601-0002", 1),
    ]
    assert lines[-1].voucher_number == "记-202602-0001"
    assert (totals.count, totals.debit, totals.credit) == (14, D("1595.00"), D("1595.00"))


def test_journal_filters_by_dates_account_subtree_customer_word_and_text(vouchers):
    january = {"date_from": "2026-01-01", "date_to": "2026-01-31"}

    lines, totals = _journal(**january, account="1122")
    assert {x.account_code for x in lines} == {"1122.01", "1122.99"}
    assert (totals.debit, totals.credit) == (D("276.00"), D("100.00"))

    lines, _totals = _journal(**january, customer="KH-000001")
    assert len(lines) == 3

    lines, _totals = _journal(**january, word="收")
    assert {x.voucher_number for x in lines} == {"收-202601-0001"}

    lines, _totals = _journal(**january, q="小米")
    assert {x.voucher_number for x in lines} == {"记-202601-0002", "收-202601-0001"}

    lines, totals = _journal(date_from="2026-02-01")
    assert totals.count == 2 and totals.debit == D("9.00")


def test_journal_includes_drafts_only_when_status_all(vouchers):
    posted, _ = _journal(date_from="2026-01-28", date_to="2026-01-28")
    every, totals = _journal(date_from="2026-01-28", date_to="2026-01-28", status="all")

    assert posted == []
    assert [x.is_posted for x in every] == [False, False]
    assert every[0].voucher_number == f"Draft {vouchers['draft'].pk}"
    assert totals.debit == D("7.00")


def test_journal_refuses_an_unknown_status(vouchers):
    _lines, filterset = selectors.journal_list(filters={"status": "archived"})

    assert not filterset.is_valid()
    assert "status" in filterset.errors


def test_account_full_names_join_the_parents_when_read(accounts, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = selectors.account_full_names()

    assert names[accounts["2221.01"].pk] == "应交税费—应交增值税(销项税额)"
    assert names[accounts["1002"].pk] == "银行存款"
