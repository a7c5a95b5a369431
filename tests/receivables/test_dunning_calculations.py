"""Dunning maths without a database: the level an item reached, interest to the fen, the
letter's items table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from suanpan.receivables.calculations.dunning import (
    LevelRule,
    TableRow,
    days_overdue,
    interest,
    items_table,
    level_reached,
)

D = Decimal
LEVELS = [LevelRule(1, -3), LevelRule(2, 7), LevelRule(3, 30), LevelRule(4, 60)]


def test_level_reached_is_the_highest_whose_day_has_come():
    assert level_reached(-4, LEVELS) is None
    assert level_reached(-3, LEVELS).key == 1
    assert level_reached(6, LEVELS).key == 1
    assert level_reached(7, LEVELS).key == 2
    assert level_reached(45, LEVELS).key == 3
    assert level_reached(400, LEVELS).key == 4


def test_level_reached_does_not_depend_on_the_order_of_the_levels():
    assert level_reached(31, list(reversed(LEVELS))).key == 3


def test_days_overdue_is_negative_before_the_due_date():
    assert days_overdue(due_on=date(2026, 2, 9), on=date(2026, 2, 6)) == -3
    assert days_overdue(due_on=date(2026, 2, 9), on=date(2026, 3, 11)) == 30


def test_interest_is_amount_times_rate_times_days_rounded_half_up():
    assert interest(amount=D("10000.00"), rate=D("0.0005"), days=40) == D("200.00")
    assert interest(amount=D("333.33"), rate=D("0.0005"), days=3) == D("0.50")  # 0.499995
    assert interest(amount=D("100.00"), rate=D("0.0005"), days=1) == D("0.05")


def test_no_interest_without_a_rate_or_before_the_due_date():
    assert interest(amount=D("100.00"), rate=None, days=30) == 0
    assert interest(amount=D("100.00"), rate=D("0.0005"), days=-3) == 0


@given(
    amount=st.decimals(min_value=D("0.01"), max_value=D("1e9"), places=2),
    rate=st.decimals(min_value=D("0"), max_value=D("0.01"), places=6),
    days=st.integers(min_value=-30, max_value=3650),
)
def test_interest_is_never_negative_and_is_in_fen(amount, rate, days):
    charged = interest(amount=amount, rate=rate, days=days)
    assert charged >= 0
    assert charged == charged.quantize(D("0.01"))


def test_items_table_lines_up_chinese_and_amounts():
    rows = [
        TableRow("发票 00012345", date(2026, 2, 9), 38, D("1130.00"), D("0")),
        TableRow("Invoice 7", date(2026, 3, 12), 7, D("565.00"), D("0")),
    ]
    table = items_table(rows, ("单据", "到期日", "逾期天数", "未付金额", "利息"), interest=False)
    lines = table.splitlines()
    assert len(lines) == 3
    assert "利息" not in table
    assert lines[1].endswith("1,130.00")
    assert lines[2].endswith("565.00")
    # Chinese characters take two columns: both rows end in the same column.
    assert len(lines[1]) + 2 == len(lines[2])


def test_items_table_shows_interest_when_charged():
    rows = [TableRow("Invoice 7", date(2026, 3, 12), 7, D("565.00"), D("1.98"))]
    table = items_table(rows, ("Document", "Due on", "Days", "Open", "Interest"), interest=True)
    assert table.splitlines()[1].endswith("1.98")
