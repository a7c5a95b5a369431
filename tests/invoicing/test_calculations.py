"""Fapiao line maths, the platform's checks and the posting rules of invoices: no database.

Worked examples from tests/data/vat_and_red_invoice_examples.csv at rates still in force,
with and without tax in the price, and a discount line as the platform prints it."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suanpan.core.tax import VAT_RATES
from suanpan.invoicing.calculations.lines import (
    TAX_TOLERANCE,
    FapiaoLineInput,
    fapiao_line_amounts,
    line_problems,
    tax_code_valid,
    taxpayer_number_valid,
    unit_price_net,
)
from suanpan.invoicing.calculations.postings import (
    InvoiceAmounts,
    cost_share,
    due_parts_by_plan,
    invoice_lines,
)
from suanpan.ledger.types import Role

D = Decimal
DATA = Path(__file__).resolve().parent.parent / "data" / "vat_and_red_invoice_examples.csv"
RATE_KEYS = {rate.rate: key for key, rate in VAT_RATES.items() if not rate.is_exempt}


def _examples() -> list[dict[str, str]]:
    """Rows that are one line at a rate in force today, with plain yuan figures."""
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        row
        for row in rows
        if row["rate"]
        and D(row["rate"]) in RATE_KEYS
        and row["net_excl_tax"]
        and "万" not in row["net_excl_tax"]
        and row["gross_incl_tax"]
        and D(row["gross_incl_tax"]) > 0
    ]


@pytest.mark.parametrize("row", _examples(), ids=lambda row: row["id"])
def test_worked_examples_with_and_without_tax_in_the_price(row):
    key = RATE_KEYS[D(row["rate"])]
    net, tax, gross = D(row["net_excl_tax"]), D(row["tax"]), D(row["gross_incl_tax"])
    including = fapiao_line_amounts(
        FapiaoLineInput(amount=gross, vat_rate_key=key), price_includes_tax=True
    )
    assert (including.net_amount, including.tax_amount) == (net, tax)
    excluding = fapiao_line_amounts(
        FapiaoLineInput(amount=net, vat_rate_key=key), price_includes_tax=False
    )
    assert (excluding.tax_amount, excluding.gross_amount) == (tax, gross)


def test_discount_is_its_own_line_at_the_same_rate():
    # VAT-11 and VAT-12: 1,000,000 including tax at 9%, less a 200,000 discount line.
    amounts = fapiao_line_amounts(
        FapiaoLineInput(amount=D("1000000"), vat_rate_key="9", discount=D("200000")),
        price_includes_tax=True,
    )
    assert amounts.net_amount == D("917431.19") - D("183486.24") == D("733944.95")
    assert amounts.tax_amount == D("82568.81") - D("16513.76")
    assert amounts.gross_amount == D("800000")


@given(
    amount=st.decimals(min_value=D("0.01"), max_value=D("99999999.99"), places=2),
    key=st.sampled_from(sorted(VAT_RATES)),
    includes=st.booleans(),
)
def test_lines_add_up_and_stay_within_the_platform_tolerance(amount, key, includes):
    amounts = fapiao_line_amounts(
        FapiaoLineInput(amount=amount, vat_rate_key=key), price_includes_tax=includes
    )
    assert amounts.net_amount + amounts.tax_amount == amounts.gross_amount
    assert abs(amounts.tax_amount - amounts.net_amount * VAT_RATES[key].rate) <= TAX_TOLERANCE
    assert (
        line_problems(
            tax_code="1090000000000000000",
            vat_rate_key=key,
            net_amount=amounts.net_amount,
            tax_amount=amounts.tax_amount,
        )
        == []
    )


@pytest.mark.parametrize(
    ("amount", "discount"),
    [
        (D("0"), D("0")),
        (D("-1"), D("0")),
        (D("10"), D("10")),
        (D("10"), D("-1")),
        (D("1.001"), D("0")),
    ],
)
def test_bad_line_amounts_are_refused(amount, discount):
    with pytest.raises(ValueError):
        fapiao_line_amounts(
            FapiaoLineInput(amount=amount, vat_rate_key="13", discount=discount),
            price_includes_tax=True,
        )


def test_line_problems_name_code_rate_and_tax():
    assert line_problems(
        tax_code="109", vat_rate_key="17", net_amount=D("100"), tax_amount=D("17")
    ) == ["tax_code", "rate"]
    assert line_problems(
        tax_code="1090000000000000000",
        vat_rate_key="13",
        net_amount=D("100"),
        tax_amount=D("13.07"),
    ) == ["tax"]
    assert (
        line_problems(
            tax_code="1090000000000000000",
            vat_rate_key="13",
            net_amount=D("-100"),
            tax_amount=D("-13"),
        )
        == []
    )


def test_tax_codes_and_taxpayer_numbers():
    assert tax_code_valid("1090000000000000000")
    assert not tax_code_valid("109000000000000000")
    assert not tax_code_valid("1.09e18")
    assert taxpayer_number_valid("91110000600037341L")
    assert taxpayer_number_valid(" 91110000600037341l ")
    assert not taxpayer_number_valid("91110000600037341X")
    assert taxpayer_number_valid("110108123456789")  # 15 characters, pre-2015
    assert not taxpayer_number_valid("1234")


def test_unit_price_is_amount_over_quantity():
    assert unit_price_net(D("100.00"), D("3")) == D("33.333333")
    assert unit_price_net(D("100.00"), None) is None


def _amounts(net="1000.00", tax="130.00", cost="0", parts=None):
    gross = D(net) + D(tax)
    return InvoiceAmounts(
        net=D(net),
        tax=D(tax),
        cost=D(cost),
        customer_code="C001",
        due_parts=parts or ((date(2026, 12, 31), gross),),
    )


def _net(lines):
    return {line.role: line.debit - line.credit for line in lines}


def test_on_delivery_moves_unbilled_and_pending_vat():
    lines = invoice_lines(_amounts(), on_invoice=False)
    assert _net(lines) == {
        Role.RECEIVABLE: D("1130.00"),
        Role.RECEIVABLE_UNBILLED: D("-1130.00"),
        Role.VAT_OUTPUT_PENDING: D("130.00"),
        Role.VAT_OUTPUT: D("-130.00"),
    }
    with pytest.raises(ValueError):
        invoice_lines(_amounts(cost="5"), on_invoice=False)


def test_on_invoice_recognises_revenue_and_moves_cost():
    lines = invoice_lines(_amounts(cost="600.00"), on_invoice=True)
    assert _net(lines) == {
        Role.RECEIVABLE: D("1130.00"),
        Role.REVENUE: D("-1000.00"),
        Role.VAT_OUTPUT: D("-130.00"),
        Role.COGS: D("600.00"),
        Role.GOODS_SHIPPED: D("-600.00"),
    }
    assert sum(line.debit for line in lines) == sum(line.credit for line in lines)


def test_red_invoice_negates_every_line():
    red = _amounts(
        net="-400.00", tax="-52.00", cost="-240.00", parts=((date(2026, 12, 1), D("-452.00")),)
    )
    lines = invoice_lines(red, on_invoice=True)
    assert _net(lines)[Role.REVENUE] == D("400.00")
    assert all(line.debit <= 0 and line.credit <= 0 for line in lines)


def test_receivable_parts_carry_due_dates_and_must_add_up():
    parts = ((date(2026, 12, 1), D("565.00")), (date(2027, 1, 1), D("565.00")))
    lines = invoice_lines(_amounts(parts=parts), on_invoice=False)
    receivables = [line for line in lines if line.role == Role.RECEIVABLE]
    assert [line.due_on for line in receivables] == [date(2026, 12, 1), date(2027, 1, 1)]
    with pytest.raises(ValueError):
        invoice_lines(_amounts(parts=((date(2026, 12, 1), D("1")),)), on_invoice=False)


@given(
    cost=st.decimals(min_value=D("0"), max_value=D("999999.99"), places=2),
    units=st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=6),
)
def test_cost_shares_add_up_to_the_cost_shipped(cost, units):
    outstanding_cost, outstanding_units = cost, D(sum(units))
    moved = D(0)
    for taken in units:
        share = cost_share(
            outstanding_cost=outstanding_cost, outstanding_units=outstanding_units, units=D(taken)
        )
        moved += share
        outstanding_cost -= share
        outstanding_units -= taken
    assert moved == cost
    assert outstanding_cost == 0


@given(
    gross=st.decimals(min_value=D("0.01"), max_value=D("9999999.99"), places=2),
    weights=st.lists(
        st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2), min_size=1, max_size=5
    ),
)
def test_plan_parts_add_up_in_due_date_order(gross, weights):
    plan = [(date(2027, 1, 1) + timedelta(days=30 * (i // 2)), w) for i, w in enumerate(weights)]
    parts = due_parts_by_plan(gross, plan)
    assert sum(part for _due, part in parts) == gross
    dues = [due for due, _part in parts]
    assert dues == sorted(set(dues))
    assert all(part > 0 for _due, part in parts)


def test_a_thirty_sixty_ten_plan_splits_every_invoice():
    plan = [
        (date(2026, 12, 1), D("30000")),
        (date(2027, 1, 1), D("60000")),
        (date(2027, 12, 1), D("10000")),
    ]
    assert due_parts_by_plan(D("1130.00"), plan) == (
        (date(2026, 12, 1), D("339.00")),
        (date(2027, 1, 1), D("678.00")),
        (date(2027, 12, 1), D("113.00")),
    )


def test_address_phone_and_bank_account_come_apart():
    from suanpan.invoicing.services.buyers import address_phone_split, bank_account_split

    assert address_phone_split("北京市海淀区中关村大街 1 号 010-62345678") == (
        "北京市海淀区中关村大街 1 号",
        "010-62345678",
    )
    assert address_phone_split("上海市浦东新区") == ("上海市浦东新区", "")
    assert bank_account_split("招商银行北京分行 1109 0123 4567 890") == (
        "招商银行北京分行",
        "110901234567890",
    )
    assert bank_account_split("") == ("", "")
