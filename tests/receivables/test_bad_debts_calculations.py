"""The provision maths against every row of tests/data/bad_debt_ageing_examples.csv (to the
fen), the posting amount's sign on either side of the existing balance, and the vouchers of
provisions, write-offs and recoveries."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suanpan.ledger.types import Role
from suanpan.receivables.calculations.provisions import (
    PROVISION_BUCKETS,
    Cell,
    bucket_provision,
    individual_provision,
    provision_change,
    provision_lines,
    recovery_lines,
    required_provision,
    writeoff_lines,
)

D = Decimal
DATA = Path(__file__).resolve().parent.parent / "data" / "bad_debt_ageing_examples.csv"


def _rows(prefix: str) -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["example"].startswith(prefix)]


def _figures(text: str) -> list[Decimal]:
    """The amounts written in a note, thousands separators dropped."""
    return [D(found.replace(",", "")) for found in re.findall(r"\d[\d,]*\.\d\d", text)]


def _age_a() -> tuple[list[dict[str, str]], dict[str, str], dict[str, str]]:
    rows = _rows("AGE-A")
    buckets = [row for row in rows if row["rate"]]
    [total] = [row for row in rows if row["bucket"].startswith("合计")]
    [opening] = [row for row in rows if row["bucket"].startswith("opening")]
    return buckets, total, opening


@pytest.mark.parametrize("row", _age_a()[0], ids=lambda row: row["bucket"])
def test_bucket_provision_matches_the_annual_report_when_age_a_bucket(row):
    assert bucket_provision(D(row["balance"]), D(row["rate"])) == D(row["provision"])


def test_required_provision_totals_483322_87_when_age_a_matrix():
    buckets, total, _opening = _age_a()
    cells = [
        Cell(grade="", bucket=index, balance=D(row["balance"]), rate=D(row["rate"]))
        for index, row in enumerate(buckets)
    ]
    required = required_provision(cells)
    assert len(buckets) == len(PROVISION_BUCKETS)
    assert required.matrix_balance == D(total["balance"]) == D("1266393.44")
    assert required.total == D(total["provision"]) == D("483322.87")


def test_provision_change_is_48231_34_when_age_a_year_moves():
    buckets, total, opening = _age_a()
    individual_closing = D("1109858.00")  # 单项计提 @100%, in the total row's note
    assert individual_closing in _figures(total["note"])
    grand_closing = _figures(total["note"])[-2]  # allowance 1,593,180.87
    opening_allowance = _figures(opening["note"])[1]  # allowance 1,544,949.53
    cells = [
        Cell(grade="", bucket=index, balance=D(row["balance"]), rate=D(row["rate"]))
        for index, row in enumerate(buckets)
    ]
    required = required_provision(cells, [individual_provision(individual_closing, rate=D("1"))])
    assert required.total == grand_closing == D("1593180.87")
    change = provision_change(required=required.total, existing=opening_allowance)
    assert change == D("48231.34")
    assert change in _figures(opening["note"])


def _closing(text: str) -> Decimal:
    return D(text.split("closing")[1].strip().replace(",", ""))


def _opening(text: str) -> Decimal:
    return D(text.split("/")[0].replace("opening", "").strip().replace(",", ""))


def test_specific_provision_only_posts_nothing_when_age_b_allowance_unchanged():
    rows = _rows("AGE-B")
    buckets = [row for row in rows if not row["bucket"].startswith("合计")]
    [total] = [row for row in rows if row["bucket"].startswith("合计")]
    closing = [_closing(row["balance"]) for row in buckets]
    assert sum(closing, D(0)) == _closing(total["balance"]) == D("2255690.45")
    assert sum((_opening(row["balance"]) for row in buckets), D(0)) == _opening(total["balance"])
    # No portfolio provision: every rate 0; the named debtor's 948,784 in the oldest bucket.
    cells = [Cell(grade="", bucket=i, balance=b, rate=D(0)) for i, b in enumerate(closing)]
    named = D(total["provision"].split("/")[1].strip())
    required = required_provision(cells, [individual_provision(closing[-1], amount=named)])
    assert required.matrix_total == 0
    assert required.total == D("948784")
    assert _closing(total["balance"]) - required.total == _figures(total["note"])[1]
    opening = D(total["provision"].split("/")[0].strip())
    assert provision_change(required=required.total, existing=opening) == 0


@pytest.mark.parametrize(
    ("existing", "charge"),
    [(D("1530"), D("3440")), (D("-360"), D("5330"))],
    ids=["credit balance", "debit balance"],
)
def test_provision_change_tops_up_when_age_c_existing_on_either_side(existing, charge):
    [row] = _rows("AGE-C")
    required = D(row["provision"])
    assert D(row["balance"]) == D("46398") and required == D("4970")
    assert provision_change(required=required, existing=existing) == charge
    assert charge in {D(n) for n in re.findall(r"charge (\d+)", row["note"])}


def test_bucket_provision_rounds_half_up_when_half_a_fen():
    assert bucket_provision(D("0.10"), D("0.05")) == D("0.01")  # 0.005 → 0.01
    assert bucket_provision(D("0.30"), D("0.05")) == D("0.02")  # 0.015 → 0.02, not 0.01


def test_bucket_provision_is_nothing_when_balance_is_a_credit():
    assert bucket_provision(D("-500.00"), D("0.5")) == 0


@pytest.mark.parametrize("rate", [D("-0.01"), D("1.01")])
def test_bucket_provision_refuses_when_rate_outside_zero_to_one(rate):
    with pytest.raises(ValueError):
        bucket_provision(D("100"), rate)


def test_individual_provision_is_capped_at_the_balance_when_amount_larger():
    assert individual_provision(D("800.00"), amount=D("1000.00")) == D("800.00")
    assert individual_provision(D("0"), amount=D("1000.00")) == 0
    assert individual_provision(D("333.33"), rate=D("0.5")) == D("166.67")


def test_individual_provision_refuses_when_both_or_neither_given():
    with pytest.raises(ValueError):
        individual_provision(D("1"), amount=D("1"), rate=D("1"))
    with pytest.raises(ValueError):
        individual_provision(D("1"))


def test_provision_lines_charge_credit_loss_when_required_grows():
    debit, credit = provision_lines(D("48231.34"))
    assert (debit.role, debit.debit) == (Role.CREDIT_LOSS, D("48231.34"))
    assert (credit.role, credit.credit) == (Role.BAD_DEBT_PROVISION, D("48231.34"))


def test_provision_lines_release_in_blue_when_required_falls():
    debit, credit = provision_lines(D("-120.00"))
    assert (debit.role, debit.debit) == (Role.BAD_DEBT_PROVISION, D("120.00"))
    assert (credit.role, credit.credit) == (Role.CREDIT_LOSS, D("120.00"))
    with pytest.raises(ValueError):
        provision_lines(D(0))


def test_writeoff_lines_use_the_provision_or_non_operating_expense_by_standard():
    cas = writeoff_lines(amount=D("10"), customer_code="C1", with_provision=True)
    small = writeoff_lines(amount=D("10"), customer_code="C1", with_provision=False)
    assert [line.role for line in cas] == [Role.BAD_DEBT_PROVISION, Role.RECEIVABLE]
    assert [line.role for line in small] == [Role.NON_OPERATING_EXPENSE, Role.RECEIVABLE]
    assert cas[1].dimension_code == "C1" and cas[1].credit == D("10")


def test_recovery_lines_reinstate_or_take_income_by_standard():
    cas = recovery_lines(amount=D("10"), customer_code="C1", with_provision=True)
    small = recovery_lines(amount=D("10"), customer_code="C1", with_provision=False)
    assert [(line.role, line.debit) for line in cas] == [
        (Role.RECEIVABLE, D("10")),
        (Role.BAD_DEBT_PROVISION, D(0)),
    ]
    assert [line.role for line in small] == [Role.BANK, Role.NON_OPERATING_INCOME]
    with pytest.raises(ValueError):
        recovery_lines(amount=D(0), customer_code="C1", with_provision=True)


amounts = st.integers(0, 10**11).map(lambda n: D(n) / 100)
rates = st.integers(0, 10_000).map(lambda n: D(n) / 10_000)


@given(balances=st.lists(st.tuples(amounts, rates), min_size=1, max_size=5), existing=amounts)
def test_posting_the_change_leaves_the_required_provision_when_any_figures(balances, existing):
    cells = [Cell(grade="", bucket=i, balance=b, rate=r) for i, (b, r) in enumerate(balances)]
    required = required_provision(cells)
    assert all(0 <= cell.provision <= cell.balance for cell in cells)
    for signed in (existing, -existing):
        change = provision_change(required=required.total, existing=signed)
        if change:
            debit, credit = provision_lines(change)
            assert debit.debit == credit.credit == abs(change)
        assert signed + change == required.total
