"""The period-end transfers' maths, without a database: closing lines, the VAT payable, a
template's amounts rounded half up, and what a re-run has left to post."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suanpan.ledger.calculations import transfers as maths
from suanpan.ledger.calculations.transfers import RuleLine, TransferLine

D = Decimal
PROFIT = 4103
fen = st.integers(min_value=-10_000_000, max_value=10_000_000).map(lambda f: D(f) / 100)
keys = st.tuples(st.integers(min_value=1, max_value=40), st.one_of(st.none(), st.integers(1, 5)))


def totals(lines: list[TransferLine]) -> tuple[Decimal, Decimal]:
    return sum((x.debit for x in lines), D(0)), sum((x.credit for x in lines), D(0))


def test_closing_lines_empty_each_balance_and_split_the_counterpart_by_side():
    balances = [((6001, None), D("-100.00")), ((6001, 7), D("-20.00")), ((6603, None), D("4.50"))]

    lines = maths.closing_lines(
        balances, counterpart=lambda _a: PROFIT, summaries={"credit": "收入", "debit": "费用"}
    )

    assert lines == [
        TransferLine(6001, None, D("100.00"), D("0.00")),
        TransferLine(6001, 7, D("20.00"), D("0.00")),
        TransferLine(PROFIT, None, D("4.50"), D("0.00"), "费用"),
        TransferLine(PROFIT, None, D("0.00"), D("120.00"), "收入"),
        TransferLine(6603, None, D("0.00"), D("4.50")),
    ]


@given(st.dictionaries(keys, fen, max_size=15))
def test_closing_lines_balance_and_leave_every_account_at_zero(balances):
    lines = maths.closing_lines(balances.items(), counterpart=lambda _a: PROFIT)

    debit, credit = totals(lines)
    assert debit == credit
    assert all((x.debit > 0) != (x.credit > 0) for x in lines)  # one positive column
    for key, amount in balances.items():
        moved = sum(
            (x.debit - x.credit for x in lines if (x.account_id, x.dimension_id) == key), D(0)
        )
        assert amount + moved == 0
    assert sum((x.credit - x.debit for x in lines if x.account_id == PROFIT), D(0)) == -sum(
        balances.values(), D(0)
    )


@pytest.mark.parametrize(
    ("balance", "payable"),
    [(D("-1041.50"), D("1041.50")), (D("0"), D("0")), (D("1300.00"), D("0"))],
)
def test_vat_payable_is_the_credit_balance_and_nothing_for_input_vat_carried_forward(
    balance, payable
):
    assert maths.vat_payable(balance) == payable


def test_rule_amounts_round_half_up_per_line_and_balance_on_the_balancing_line():
    base = D("1041.50")
    lines = [
        RuleLine(1, "debit", "balancing", D(0)),
        RuleLine(2, "credit", "movement", base, D("0.07")),  # 72.905
        RuleLine(3, "credit", "movement", base, D("0.03")),  # 31.245
        RuleLine(4, "credit", "movement", base, D("0.02")),  # 20.83
    ]

    amounts = maths.rule_amounts(lines)

    assert amounts.amounts == (D("124.99"), D("-72.91"), D("-31.25"), D("-20.83"))
    assert amounts.is_balanced


def test_rule_amounts_whole_balance_takes_the_base_on_the_lines_side():
    amounts = maths.rule_amounts(
        [RuleLine(1, "debit", "balancing", D(0)), RuleLine(2, "credit", "whole_balance", D("-5"))]
    )

    # A credit line clearing a balance of -5 (a credit balance) posts a debit of 5.
    assert amounts.amounts == (D("-5"), D("5"))


def test_rule_amounts_without_a_balancing_line_may_miss_by_rounding():
    base = D("1000.05")
    amounts = maths.rule_amounts(
        [
            RuleLine(1, "debit", "balance", base, D("0.5"), source_id=9),
            RuleLine(2, "debit", "balance", base, D("0.5"), source_id=9),
            RuleLine(3, "credit", "balance", base, D("1"), source_id=9),
        ]
    )

    assert (amounts.debit, amounts.credit, amounts.is_balanced) == (
        D("1000.06"),
        D("1000.05"),
        False,
    )


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ([RuleLine(1, "debit", "balancing", D(0))], "too_few"),
        (
            [RuleLine(1, "debit", "balancing", D(0)), RuleLine(2, "credit", "balancing", D(0))],
            "two_balancing",
        ),
        (
            [
                RuleLine(1, "debit", "whole_balance", D(0)),
                RuleLine(2, "credit", "balance", D(0), D("1"), source_id=3),
            ],
            "whole_without_balancing",
        ),
        (
            [
                RuleLine(1, "debit", "movement", D(0), D("0.12"), source_id=3),
                RuleLine(2, "credit", "movement", D(0), D("0.07"), source_id=3),
            ],
            "rates_differ",
        ),
        (
            [
                RuleLine(1, "debit", "movement", D(0), D("0.12"), source_id=3),
                RuleLine(2, "credit", "movement", D(0), D("0.07"), source_id=3),
                RuleLine(3, "credit", "movement", D(0), D("0.05"), source_id=3),
            ],
            None,
        ),
        (
            [RuleLine(1, "debit", "balancing", D(0)), RuleLine(2, "credit", "whole_balance", D(0))],
            None,
        ),
    ],
)
def test_rules_problem_names_what_cannot_balance(lines, problem):
    assert maths.rules_problem(lines) == problem


@given(
    base=fen,
    rates=st.lists(
        st.integers(min_value=1, max_value=1_000_000).map(lambda r: D(r) / 1_000_000),
        min_size=1,
        max_size=5,
    ),
)
def test_rule_amounts_with_a_balancing_line_always_balance_to_the_fen(base, rates):
    lines = [RuleLine(1, "debit", "balancing", D(0))] + [
        RuleLine(i + 2, "credit", "balance", base, rate) for i, rate in enumerate(rates)
    ]

    amounts = maths.rule_amounts(lines)

    assert amounts.is_balanced
    assert all(a == a.quantize(D("0.01")) for a in amounts.amounts)
    for amount, rate in zip(amounts.amounts[1:], rates, strict=True):
        assert abs(-amount - base * rate) <= D("0.005")


@given(
    target=st.dictionaries(keys, fen, max_size=8),
    posted=st.dictionaries(keys, fen, max_size=8),
)
def test_remaining_lines_bring_what_was_posted_to_the_target(target, posted):
    lines = maths.remaining_lines([(k, v, "") for k, v in target.items()], posted)

    for key in set(target) | set(posted):
        after = posted.get(key, D(0)) + sum(
            (x.debit - x.credit for x in lines if (x.account_id, x.dimension_id) == key), D(0)
        )
        assert after == target.get(key, D(0))
    assert maths.remaining_lines([(k, v, "") for k, v in target.items()], target) == []
    debits_first = [x.debit > 0 for x in lines]
    assert debits_first == sorted(debits_first, reverse=True)
