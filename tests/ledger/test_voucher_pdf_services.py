"""Vouchers printed as PDF: each layout's page size and vouchers per page, the text of a slip,
a long voucher continued on further slips, and drafts marked; read back with pypdf."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from pypdf import PdfReader
from reportlab.lib.units import mm

from suanpan.ledger import selectors, services
from suanpan.ledger.choices import PrintLayout
from suanpan.ledger.services import LineInput
from suanpan.ledger.services.voucher_pdf import LAYOUTS, slips_of
from tests.ledger.builders import posted_voucher

pytestmark = pytest.mark.django_db
D = Decimal
A4 = (595.28, 841.89)


def _pages(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _size(content: bytes) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(content)).pages[0].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


@pytest.fixture
def sale(accounts, customer_dim, accountant, finance_manager):
    """记-202601-0001: 10,005.30 received from the customer, with two attachments."""
    voucher = services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 10),
        summary="收到货款",
        attachments=2,
        lines=[
            LineInput(accounts["1002"], debit=D("10005.30"), summary="收到小米货款"),
            LineInput(
                accounts["1122.01"],
                credit=D("10005.30"),
                dimension=customer_dim,
                summary="收到小米货款",
            ),
        ],
    )
    services.voucher_review(actor=finance_manager, voucher=voucher)
    return services.voucher_post(actor=finance_manager, voucher=voucher)


@pytest.fixture
def long_voucher(accounts, accountant, finance_manager):
    """Fourteen lines: three slips of six."""
    lines = []
    for index in range(7):
        lines.append(LineInput(accounts["1002"], debit=D("100.00"), summary=f"第{index}笔"))
        lines.append(LineInput(accounts["6001"], credit=D("100.00"), summary=f"第{index}笔"))
    return posted_voucher(maker=accountant, poster=finance_manager, lines=lines)


def test_pdf_prints_company_number_date_lines_capitals_and_names_when_posted(
    books, sale, accountant, finance_manager
):
    [text] = _pages(services.vouchers_pdf(ids=[sale.pk], layout=PrintLayout.SLIP))

    for expected in (
        "Accounting voucher",
        "算盘测试公司",
        "2026-01-10",
        "No. 记-0001",
        "Attachments: 2",
        "收到小米货款",
        "1002 银行存款",
        "1122.01 应收账款—应收账款-客户／北京小米科技有限公司",
        "10,005.30",
        "人民币壹万零伍元叁角整",
        f"Made by: {accountant}",
        f"Reviewed by: {finance_manager}",
        f"Posted by: {finance_manager}",
        "Accounting supervisor:",
        "Cashier:",
    ):
        assert expected in text
    assert "Draft" not in text


def test_pdf_speaks_chinese_on_the_slip_when_the_language_is_chinese(books, sale):
    with translation.override("zh-hans"):
        [text] = _pages(services.vouchers_pdf(ids=[sale.pk], layout=PrintLayout.SLIP))

    for expected in ("记账凭证", "附单据", "记字第", "会计主管", "记账", "出纳", "审核", "制单"):
        assert expected in text


@pytest.mark.parametrize(
    ("layout", "size", "pages"),
    [
        (PrintLayout.A4_TWO, A4, 2),
        (PrintLayout.A4_THREE, A4, 1),
        (PrintLayout.SLIP, (round(241 * mm, 2), round(140 * mm, 2)), 3),
    ],
)
def test_pdf_layout_sets_page_size_and_vouchers_per_page(
    accounts, accountant, finance_manager, layout, size, pages
):
    vouchers = [
        posted_voucher(
            maker=accountant,
            poster=finance_manager,
            lines=[
                LineInput(accounts["1002"], debit=D(amount)),
                LineInput(accounts["6001"], credit=D(amount)),
            ],
        )
        for amount in ("1.00", "2.00", "3.00")
    ]

    content = services.vouchers_pdf(ids=[v.pk for v in vouchers], layout=layout)

    assert _size(content) == size
    texts = _pages(content)
    assert len(texts) == pages
    assert all(f"No. 记-000{n}" in "".join(texts) for n in (1, 2, 3))


def test_pdf_continues_a_long_voucher_on_further_slips_with_the_total_on_the_last(
    books, long_voucher
):
    texts = _pages(services.vouchers_pdf(ids=[long_voucher.pk], layout=PrintLayout.SLIP))

    assert len(texts) == 3
    assert "Slip 1/3" in texts[0] and "(continued)" not in texts[0]
    assert "Slip 2/3 (continued)" in texts[1]
    assert "Slip 3/3 (continued)" in texts[2]
    for text in texts[:2]:
        assert "Continued on the next slip" in text
        assert "Total:" not in text
    assert "Total: 人民币柒佰元整" in texts[2]
    assert "700.00" in texts[2]
    assert [("第6笔" in t) for t in texts] == [False, False, True]


def test_slips_of_split_lines_by_the_rows_a_layout_holds(books, long_voucher):
    [voucher] = selectors.vouchers_for_print(ids=[long_voucher.pk])

    slips = slips_of(voucher, rows=LAYOUTS[PrintLayout.A4_THREE].rows)

    assert [len(s.lines) for s in slips] == [5, 5, 4]
    assert [s.last for s in slips] == [False, False, True]


def test_pdf_marks_drafts_and_reviewed_vouchers_and_leaves_them_unnumbered(
    accounts, accountant, finance_manager
):
    draft = services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 10),
        summary="待审凭证",
        lines=[
            LineInput(accounts["1002"], debit=D("5.00")),
            LineInput(accounts["6001"], credit=D("5.00")),
        ],
    )
    reviewed = services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 11),
        summary="已审核",
        lines=[
            LineInput(accounts["1002"], debit=D("6.00")),
            LineInput(accounts["6001"], credit=D("6.00")),
        ],
    )
    services.voucher_review(actor=finance_manager, voucher=reviewed)

    first, second = _pages(
        services.vouchers_pdf(ids=[draft.pk, reviewed.pk], layout=PrintLayout.SLIP)
    )

    assert "Draft" in first and "Not numbered" in first
    assert "Not posted" in second and "Not numbered" in second
    with translation.override("zh-hans"):
        [text] = _pages(services.vouchers_pdf(ids=[draft.pk], layout=PrintLayout.SLIP))
    assert "草稿" in text


def test_pdf_prints_a_red_voucher_with_negative_amounts_and_capitals(books, sale, finance_manager):
    red = services.voucher_reverse(actor=finance_manager, voucher=sale, on=date(2026, 1, 31))

    [text] = _pages(services.vouchers_pdf(ids=[red.pk], layout=PrintLayout.A4_TWO))

    assert "-10,005.30" in text
    assert "负壹万零伍元叁角整" in text


def test_vouchers_for_print_reads_a_constant_number_of_queries(
    books, sale, long_voucher, django_assert_num_queries
):
    with django_assert_num_queries(3):
        printed = selectors.vouchers_for_print(ids=[long_voucher.pk, sale.pk])

    assert [p.voucher.pk for p in printed] == [long_voucher.pk, sale.pk]
    assert [len(p.lines) for p in printed] == [14, 2]
    assert printed[1].debit == printed[1].credit == D("10005.30")
