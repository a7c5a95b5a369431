"""Sales document maths without a database: per-line VAT rounding, totals, payment plans.

Hand-worked figures: the VAT worked examples (价税分离 of 1,000,000 at 9 % → 917,431.19 +
82,568.81; a purchase of 20,000 at 13 % → tax 2,600) and small cases worked out by hand here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suanpan.core.money import round_amount
from suanpan.sales.calculations import (
    InstalmentShare,
    LinePricing,
    document_amounts,
    instalment_amounts,
    line_pricing,
)

D = Decimal


def line(quantity: str, price: str, key: str, discount: str = "0") -> LinePricing:
    return LinePricing(
        quantity=D(quantity), unit_price=D(price), vat_rate_key=key, discount_rate=D(discount)
    )


@pytest.mark.parametrize(
    ("pricing", "includes_tax", "net", "tax", "gross"),
    [
        # 价税分离 of a tax-inclusive total at 9 %: net = round(gross / 1.09), tax = the rest.
        (line("1", "1000000", "9"), True, "917431.19", "82568.81", "1000000.00"),
        (line("1", "800000", "9"), True, "733944.95", "66055.05", "800000.00"),
        (line("1", "200000", "9"), True, "183486.24", "16513.76", "200000.00"),
        # Price excluding tax at 13 %: tax = round(net × 0.13).
        (line("1", "20000", "13"), False, "20000.00", "2600.00", "22600.00"),
        (line("3", "113", "13"), True, "300.00", "39.00", "339.00"),
        # 69.93 / 1.13 = 61.884… → 61.88; tax 8.05.
        (line("7", "9.99", "13"), True, "61.88", "8.05", "69.93"),
        # 99.99 / 1.06 = 94.330… → 94.33; tax 5.66.
        (line("3", "33.33", "6"), True, "94.33", "5.66", "99.99"),
        (line("1", "106", "6"), True, "100.00", "6.00", "106.00"),
        # 12.345 × 1.5 = 18.5175 → 18.52 excluding tax; × 0.09 = 1.6668 → 1.67.
        (line("1.5", "12.345", "9"), False, "18.52", "1.67", "20.19"),
        # 10 × 113 = 1,130 less 5 % (56.50) = 1,073.50 including tax → 950.00 + 123.50.
        (line("10", "113", "13", "0.05"), True, "950.00", "123.50", "1073.50"),
        # 7 × 0.99 = 6.93 less 12.5 % (0.86625 → 0.87) = 6.06 net; tax 0.7878 → 0.79.
        (line("7", "0.99", "13", "0.125"), False, "6.06", "0.79", "6.85"),
        # 2.125 rounds half up to 2.13, never to even.
        (line("1", "2.125", "0"), True, "2.13", "0.00", "2.13"),
        (line("5", "40", "exempt"), False, "200.00", "0.00", "200.00"),
    ],
)
def test_line_pricing_matches_hand_worked_figures(
    pricing: LinePricing, includes_tax: bool, net: str, tax: str, gross: str
) -> None:
    amounts = line_pricing(pricing, price_includes_tax=includes_tax)

    assert (amounts.net_amount, amounts.tax_amount, amounts.gross_amount) == (
        D(net),
        D(tax),
        D(gross),
    )


def test_document_tax_is_the_sum_of_line_taxes_not_the_tax_of_the_total() -> None:
    # 100 lines of 0.01 including 13 %: each line is 0.01 net and 0.00 tax (0.00885 → 0.01).
    lines = [line("1", "0.01", "13") for _ in range(100)]

    amounts, totals = document_amounts(lines, price_includes_tax=True)

    assert all(a.net_amount == D("0.01") and a.tax_amount == 0 for a in amounts)
    assert (totals.net_amount, totals.tax_amount, totals.gross_amount) == (
        D("1.00"),
        D("0.00"),
        D("1.00"),
    )


def test_document_totals_sum_rounded_lines_excluding_tax() -> None:
    # Three lines of 0.05 at 13 %: 0.0065 → 0.01 tax each, 0.03 in all (the total's would be 0.02).
    _amounts, totals = document_amounts([line("1", "0.05", "13")] * 3, price_includes_tax=False)

    assert (totals.net_amount, totals.tax_amount, totals.gross_amount) == (
        D("0.15"),
        D("0.03"),
        D("0.18"),
    )


def test_document_with_mixed_rates_adds_each_rate_per_line() -> None:
    lines = [line("2", "56.50", "13"), line("1", "109", "9"), line("3", "35.33", "6", "0.1")]

    amounts, totals = document_amounts(lines, price_includes_tax=True)

    # 113 → 100 + 13; 109 → 100 + 9; 105.99 − 10.60 = 95.39 → 89.99 + 5.40.
    assert [(a.net_amount, a.tax_amount) for a in amounts] == [
        (D("100.00"), D("13.00")),
        (D("100.00"), D("9.00")),
        (D("89.99"), D("5.40")),
    ]
    assert (totals.net_amount, totals.tax_amount, totals.gross_amount) == (
        D("289.99"),
        D("27.40"),
        D("317.39"),
    )


quantities = st.decimals(min_value=D("0.0001"), max_value=D("100000"), places=4)
prices = st.decimals(min_value=D("0"), max_value=D("1000000"), places=6)
discounts = st.decimals(min_value=D("0"), max_value=D("1"), places=4)
rate_keys = st.sampled_from(["13", "9", "6", "3", "1", "0", "exempt"])
# Timing is not what these properties are about: a busy machine must not fail them.
robust = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
pricings = st.builds(
    LinePricing,
    quantity=quantities,
    unit_price=prices,
    vat_rate_key=rate_keys,
    discount_rate=discounts,
)


@robust
@given(st.lists(pricings, min_size=1, max_size=20), st.booleans())
def test_document_amounts_add_up_per_line_and_in_total(
    lines: list[LinePricing], includes_tax: bool
) -> None:
    amounts, totals = document_amounts(lines, price_includes_tax=includes_tax)

    for pricing, a in zip(lines, amounts, strict=True):
        assert a.net_amount + a.tax_amount == a.gross_amount
        assert a.net_amount >= 0 and a.tax_amount >= 0
        base = round_amount(pricing.quantity * pricing.unit_price)
        assert (a.gross_amount if includes_tax else a.net_amount) == base - round_amount(
            base * pricing.discount_rate
        )
        for value in (a.net_amount, a.tax_amount, a.gross_amount):
            assert value == value.quantize(D("0.01"))
    assert totals.net_amount == sum(a.net_amount for a in amounts)
    assert totals.tax_amount == sum(a.tax_amount for a in amounts)
    assert totals.gross_amount == sum(a.gross_amount for a in amounts)
    assert totals.net_amount + totals.tax_amount == totals.gross_amount


@robust
@given(pricings)
def test_tax_is_within_half_a_fen_of_rate_times_net(pricing: LinePricing) -> None:
    from suanpan.core.tax import VAT_RATES

    rate = VAT_RATES[pricing.vat_rate_key].rate
    excluded = line_pricing(pricing, price_includes_tax=False)
    assert abs(excluded.tax_amount - excluded.net_amount * rate) <= D("0.005")
    included = line_pricing(pricing, price_includes_tax=True)
    # The net is rounded from gross / (1 + rate), so the tax carries that rounding as well.
    assert abs(included.tax_amount - included.net_amount * rate) <= D("0.005") * (1 + rate)


def test_instalments_by_percentage_put_the_remainder_on_the_last() -> None:
    shares = [InstalmentShare(percentage=D(p)) for p in ("0.3", "0.3", "0.4")]

    assert instalment_amounts(D("1000.01"), shares) == [D("300.00"), D("300.00"), D("400.01")]


def test_instalments_of_a_third_each_sum_exactly() -> None:
    shares = [InstalmentShare(percentage=D(p)) for p in ("0.3333", "0.3333", "0.3334")]

    parts = instalment_amounts(D("100000.00"), shares)

    assert parts == [D("33330.00"), D("33330.00"), D("33340.00")]


def test_instalments_by_amount_must_sum_to_the_contract() -> None:
    shares = [InstalmentShare(amount=D("600")), InstalmentShare(amount=D("400"))]

    assert instalment_amounts(D("1000"), shares) == [D("600.00"), D("400.00")]
    with pytest.raises(ValueError, match=r"sum to 1000\.00, not 1000\.01"):
        instalment_amounts(D("1000.01"), shares)


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ([InstalmentShare(percentage=D("0.5")), InstalmentShare(percentage=D("0.4"))], "not 100%"),
        ([InstalmentShare(percentage=D("0.5")), InstalmentShare(amount=D("500"))], "every"),
        ([InstalmentShare(amount=D("0")), InstalmentShare(amount=D("1000"))], "positive"),
        ([], "at least one"),
    ],
)
def test_instalment_plan_refused_when_it_does_not_add_up(
    shares: list[InstalmentShare], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        instalment_amounts(D("1000"), shares)


@robust
@given(
    st.decimals(min_value=D("0.01"), max_value=D("100000000"), places=2),
    st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=12),
)
def test_instalments_by_percentage_always_sum_to_the_contract(
    total: Decimal, weights: list[int]
) -> None:
    # Percentages with 4 places that sum to exactly 1: the last takes what the others leave.
    whole = sum(weights)
    percentages = [(D(w) / whole).quantize(D("0.0001")) for w in weights[:-1]]
    last = 1 - sum(percentages)
    if last <= 0:
        return
    shares = [InstalmentShare(percentage=p) for p in [*percentages, last]]

    parts = instalment_amounts(total, shares)

    assert sum(parts) == total
    assert all(part == part.quantize(D("0.01")) for part in parts)
