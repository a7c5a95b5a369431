"""The 核销 screen's pairing of ticked debits and credits: oldest first, never more than typed."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from suanpan.receivables.calculations.pairing import Chosen, Paired, pairs_oldest_first

D = Decimal


def test_one_credit_settles_the_oldest_debits_first_when_it_is_short():
    pairs = pairs_oldest_first(
        [Chosen(1, D("100.00")), Chosen(2, D("50.00"))], [Chosen(9, D("120.00"))]
    )
    assert pairs == [Paired(1, 9, D("100.00")), Paired(2, 9, D("20.00"))]


def test_several_credits_split_one_debit_in_their_order():
    pairs = pairs_oldest_first(
        [Chosen(1, D("100.00"))], [Chosen(8, D("30.00")), Chosen(9, D("90"))]
    )
    assert pairs == [Paired(1, 8, D("30.00")), Paired(1, 9, D("70.00"))]


def test_nothing_pairs_when_one_side_is_empty_or_zero():
    assert pairs_oldest_first([Chosen(1, D("10"))], []) == []
    assert pairs_oldest_first([], [Chosen(9, D("10"))]) == []
    assert pairs_oldest_first([Chosen(1, D("10"))], [Chosen(9, D("0"))]) == []


amounts = st.lists(
    st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2), min_size=0, max_size=6
)


# No deadline: on a loaded machine a first example may be slow, and the test times nothing.
@settings(deadline=None)
@given(amounts, amounts)
def test_pairs_settle_the_smaller_total_and_no_item_beyond_its_amount(debits, credits):
    chosen_debits = [Chosen(i, a) for i, a in enumerate(debits)]
    chosen_credits = [Chosen(100 + i, a) for i, a in enumerate(credits)]
    pairs = pairs_oldest_first(chosen_debits, chosen_credits)
    assert sum((p.amount for p in pairs), D(0)) == min(sum(debits, D(0)), sum(credits, D(0)))
    taken: dict[int, Decimal] = defaultdict(Decimal)
    for pair in pairs:
        assert pair.amount > 0
        taken[pair.debit_item_id] += pair.amount
        taken[pair.credit_item_id] += pair.amount
    typed = {c.item_id: c.amount for c in [*chosen_debits, *chosen_credits]}
    assert all(amount <= typed[pk] for pk, amount in taken.items())
