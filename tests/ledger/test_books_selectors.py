"""Books: the detail ledger's 本月合计 and 本年累计 rows across months and a year end, its
opening carried forward, and where a month's rows fall on a page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.ledger import selectors
from suanpan.ledger.services import LineInput
from tests.ledger.builders import posted_voucher

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def across_a_year(accounts, accountant, finance_manager):
    """Bank movements in 2026 and January 2027, some before the range the tests read."""
    a = accounts

    def move(on, amount):
        amount = D(amount)
        bank = (
            LineInput(a["1002"], debit=amount)
            if amount > 0
            else LineInput(a["1002"], credit=-amount)
        )
        other = (
            LineInput(a["6001"], credit=amount)
            if amount > 0
            else LineInput(a["6401"], debit=-amount)
        )
        posted_voucher(maker=accountant, poster=finance_manager, lines=[bank, other], on=on)

    move(date(2026, 3, 10), "1000.00")
    move(date(2026, 11, 5), "200.00")
    move(date(2026, 11, 20), "300.00")
    move(date(2026, 11, 28), "-20.00")
    move(date(2026, 12, 1), "-50.00")
    move(date(2027, 1, 10), "70.00")
    return a


def test_detail_months_give_month_and_year_totals_across_a_year_end(across_a_year):
    detail = selectors.account_detail(
        account=across_a_year["1002"], date_from=date(2026, 11, 15), date_to=date(2027, 1, 31)
    )
    months = selectors.detail_months(detail=detail)

    assert detail.opening == D("1200.00")
    assert not detail.brought_forward
    assert (detail.year_debit_before, detail.year_credit_before) == (D("1200.00"), D("0.00"))
    assert [
        (m.key, m.lines, m.debit, m.credit, m.year_debit, m.year_credit, m.closing) for m in months
    ] == [
        ("202611", 2, D("300.00"), D("20.00"), D("1500.00"), D("20.00"), D("1480.00")),
        ("202612", 1, D("0.00"), D("50.00"), D("1500.00"), D("70.00"), D("1430.00")),
        # 本年累计 starts again in January.
        ("202701", 1, D("70.00"), D("0.00"), D("70.00"), D("0.00"), D("1500.00")),
    ]
    assert months[-1].closing == detail.closing


def test_detail_opens_with_last_year_carried_forward_when_range_starts_a_year(across_a_year):
    detail = selectors.account_detail(
        account=across_a_year["1002"], date_from=date(2027, 1, 1), date_to=date(2027, 1, 31)
    )

    assert detail.brought_forward
    assert detail.opening == D("1430.00")
    assert (detail.year_debit_before, detail.year_credit_before) == (D("0.00"), D("0.00"))
    [january] = selectors.detail_months(detail=detail)
    assert (january.year_debit, january.closing) == (D("70.00"), D("1500.00"))


def test_detail_months_count_the_whole_months_before_a_range_from_the_period_totals(
    across_a_year,
):
    detail = selectors.account_detail(
        account=across_a_year["1002"], date_from=date(2026, 12, 1), date_to=date(2026, 12, 31)
    )

    [december] = selectors.detail_months(detail=detail)
    assert detail.opening == D("1480.00")
    assert (december.year_debit, december.year_credit) == (D("1500.00"), D("70.00"))


def test_detail_rows_put_a_month_after_its_last_line_on_whichever_page_holds_it(across_a_year):
    detail = selectors.account_detail(
        account=across_a_year["1002"], date_from=date(2026, 11, 1), date_to=date(2027, 1, 31)
    )
    months = selectors.detail_months(detail=detail)
    lines = list(detail.lines)

    def kinds(rows):
        return [r.key if isinstance(r, selectors.DetailMonth) else r.line_no for r in rows]

    everything = list(selectors.detail_rows(lines, months, start=0))
    assert kinds(everything) == [1, 1, 1, "202611", 1, "202612", 1, "202701"]
    # A page of two lines from the second: November ends on it, December does not start.
    assert kinds(selectors.detail_rows(lines[1:3], months, start=1)) == [1, 1, "202611"]
    assert kinds(selectors.detail_rows(lines[0:2], months, start=0)) == [1, 1]
