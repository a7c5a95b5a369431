"""Pure receivables calculations: the 核销 screen's pairing of ticked debits and credits (oldest
first, never more than typed) and the batch transfer of advances."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from suanpan.receivables.calculations import postings
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


parts = st.lists(
    st.tuples(
        st.decimals(min_value=D("0.01"), max_value=D("10000000"), places=2),
        st.integers(min_value=1, max_value=999_999),
    ),
    min_size=1,
    max_size=20,
    unique_by=lambda part: part[1],
)


@settings(deadline=None)
@given(parts)
def test_a_batch_transfer_is_a_balanced_line_pair_per_settlement(chosen):
    """What a batch of settlements posts is, settlement by settlement, what each would post
    alone (`transfer_lines`), its lines' open items belonging to that settlement."""
    transfer_parts = [
        postings.TransferPart(
            amount=amount,
            customer_code=f"KH-{n:06d}",
            summary=f"预收冲应收 HX-{n}",
            settlement_id=str(n),
        )
        for amount, n in chosen
    ]
    lines = postings.batch_transfer_lines(transfer_parts)
    assert sum((line.debit for line in lines), D(0)) == sum((line.credit for line in lines), D(0))
    assert len(lines) == 2 * len(transfer_parts)
    for part, debit, credit in zip(transfer_parts, lines[::2], lines[1::2], strict=True):
        alone = postings.transfer_lines(
            amount=part.amount, customer_code=part.customer_code, summary=part.summary
        )
        assert [(x.role, x.debit, x.credit, x.dimension_code, x.summary) for x in alone] == [
            (x.role, x.debit, x.credit, x.dimension_code, x.summary) for x in (debit, credit)
        ]
        assert {(x.source_type, x.source_id) for x in (debit, credit)} == {
            (postings.SOURCE_SETTLEMENT, part.settlement_id)
        }
