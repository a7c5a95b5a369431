"""VAT per line: the worked examples of tests/data/vat_and_red_invoice_examples.csv, half-up
rounding at 13%, 9% and 6%, discounts, document totals and properties."""

from __future__ import annotations

import csv
from dataclasses import FrozenInstanceError
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suanpan.core.money import CENT, divide, round_amount
from suanpan.core.tax import (
    VAT_RATES,
    LineAmounts,
    VatRate,
    line_amounts,
    lines_total,
    split_gross,
    tax_from_net,
    validate_rate,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "vat_and_red_invoice_examples.csv"
WAN = Decimal(10_000)

# VAT-6 is a month's VAT payable (output tax + tax transferred out − input tax), not a line:
# it has no rate and nothing for the line maths to reproduce. Every other row is used.
NOT_A_LINE = {"VAT-6"}


def _amount(text: str) -> Decimal | None:
    """'200万' -> 2000000 (万 = ten thousand); '' -> None; '-12000' -> -12000."""
    text = text.strip()
    if not text:
        return None
    if text.endswith("万"):
        return Decimal(text.removesuffix("万")) * WAN
    return Decimal(text)


def _read() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ALL_ROWS = _read()
LINE_ROWS = [row for row in ALL_ROWS if row["id"] not in NOT_A_LINE]
GROSS_ROWS = [row for row in LINE_ROWS if row["gross_incl_tax"]]


def _ids(rows: list[dict[str, str]]) -> list[str]:
    return [row["id"] for row in rows]


def test_vat_data_uses_every_row_but_the_payable_summary_when_read() -> None:
    assert len(ALL_ROWS) == 14
    assert {row["id"] for row in ALL_ROWS} - set(_ids(LINE_ROWS)) == NOT_A_LINE
    assert len(GROSS_ROWS) == 8
    assert all(row["arith_check"] == "OK" for row in ALL_ROWS)


def test_amount_parser_reads_wan_when_source_writes_it() -> None:
    assert _amount("200万") == Decimal("2000000")
    assert _amount("0.18万") == Decimal("1800")
    assert _amount("26.08万") == Decimal("260800")
    assert _amount("-183486.24") == Decimal("-183486.24")


@pytest.mark.parametrize("row", LINE_ROWS, ids=_ids(LINE_ROWS))
def test_tax_from_net_matches_source_when_price_excludes_tax(row: dict[str, str]) -> None:
    net, tax = _amount(row["net_excl_tax"]), _amount(row["tax"])
    assert net is not None and tax is not None

    assert tax_from_net(net, Decimal(row["rate"])) == tax


@pytest.mark.parametrize("row", LINE_ROWS, ids=_ids(LINE_ROWS))
def test_line_amounts_match_source_when_one_unit_excluding_tax(row: dict[str, str]) -> None:
    net, tax = _amount(row["net_excl_tax"]), _amount(row["tax"])
    assert net is not None and tax is not None

    line = line_amounts(1, net, Decimal(row["rate"]), price_includes_tax=False)

    assert line == LineAmounts(net_amount=net, tax_amount=tax, gross_amount=net + tax)
    gross = _amount(row["gross_incl_tax"])
    if gross is not None:
        assert line.gross_amount == gross


@pytest.mark.parametrize("row", GROSS_ROWS, ids=_ids(GROSS_ROWS))
def test_split_gross_matches_source_when_price_includes_tax(row: dict[str, str]) -> None:
    # 价税分离: VAT-7, VAT-8, VAT-11 and VAT-12 are worked this way in their sources; the
    # other rows with a gross amount must come out the same way too.
    gross = _amount(row["gross_incl_tax"])
    assert gross is not None

    net, tax = split_gross(gross, Decimal(row["rate"]))

    assert (net, tax) == (_amount(row["net_excl_tax"]), _amount(row["tax"]))


def test_line_amounts_negate_exactly_when_red_letter_allowance() -> None:
    # RED-1 then RED-2: a 30% allowance on 40,000 at the old 17% rate, invoiced in red.
    original = line_amounts(1, Decimal("40000"), Decimal("0.17"), price_includes_tax=False)
    red = line_amounts(Decimal("-0.3"), Decimal("40000"), Decimal("0.17"), price_includes_tax=False)

    assert original == LineAmounts(Decimal("40000.00"), Decimal("6800.00"), Decimal("46800.00"))
    assert red == LineAmounts(Decimal("-12000.00"), Decimal("-2040.00"), Decimal("-14040.00"))
    assert lines_total([original, red]).gross_amount == Decimal("32760.00")  # 28000 + 4760


def test_split_gross_matches_discount_line_when_negative_gross() -> None:
    # VAT-12's note: the net after the discount line is 733944.95 on 800,000 including tax.
    discount_net, _ = split_gross(Decimal("-200000"), Decimal("0.09"))
    full_net, _ = split_gross(Decimal("1000000"), Decimal("0.09"))

    assert full_net + discount_net == Decimal("733944.95")


# --- half-up rounding at today's rates -----------------------------------------------------


@pytest.mark.parametrize(
    ("net", "rate", "tax"),
    [
        ("0.50", "0.13", "0.07"),  # 0.065: half-even would give 0.06
        ("0.50", "0.09", "0.05"),  # 0.045: half-even would give 0.04
        ("0.75", "0.06", "0.05"),  # 0.045
        ("0.25", "0.06", "0.02"),  # 0.015
        ("-0.50", "0.13", "-0.07"),  # red lines round away from zero too
        ("1.49", "0.13", "0.19"),  # 0.1937
        ("100.00", "0", "0.00"),
    ],
)
def test_tax_from_net_rounds_half_up_when_tax_has_half_a_fen(net: str, rate: str, tax: str) -> None:
    assert tax_from_net(Decimal(net), Decimal(rate)) == Decimal(tax)


@pytest.mark.parametrize(
    ("gross", "rate", "net", "tax"),
    [
        ("100.00", "0.13", "88.50", "11.50"),  # 88.4955…
        ("100.00", "0.09", "91.74", "8.26"),  # 91.7431…
        ("100.00", "0.06", "94.34", "5.66"),  # 94.3396…
        ("1.00", "0.13", "0.88", "0.12"),  # 0.88495…
        ("0.01", "0.13", "0.01", "0.00"),  # 0.00885
        ("0.13", "0.13", "0.12", "0.01"),  # 0.11504…
        ("113.00", "0.13", "100.00", "13.00"),
        ("109.00", "0.09", "100.00", "9.00"),
        ("106.00", "0.06", "100.00", "6.00"),
        ("-100.00", "0.13", "-88.50", "-11.50"),
        ("55.55", "0.06", "52.41", "3.14"),  # 52.4056…
        ("99999.99", "0.09", "91743.11", "8256.88"),  # 91743.1100…
    ],
)
def test_split_gross_rounds_net_half_up_when_price_includes_tax(
    gross: str, rate: str, net: str, tax: str
) -> None:
    assert split_gross(Decimal(gross), Decimal(rate)) == (Decimal(net), Decimal(tax))


def test_split_gross_takes_tax_as_remainder_when_it_differs_from_net_times_rate() -> None:
    # DESIGN.md: tax = gross − net. For about one inclusive line in nine this is one fen away
    # from round(net × rate); the gross the customer agreed to wins.
    net, tax = split_gross(Decimal("0.13"), Decimal("0.13"))

    assert (net, tax) == (Decimal("0.12"), Decimal("0.01"))
    assert tax_from_net(net, Decimal("0.13")) == Decimal("0.02")


# --- lines and discounts -------------------------------------------------------------------


def test_line_amounts_round_per_line_when_quantity_and_price_have_many_places() -> None:
    line = line_amounts(
        Decimal("2.5"), Decimal("3.333333"), Decimal("0.13"), price_includes_tax=False
    )

    # 8.3333325 -> 8.33; 8.33 × 0.13 = 1.0829 -> 1.08
    assert line == LineAmounts(Decimal("8.33"), Decimal("1.08"), Decimal("9.41"))


def test_line_amounts_apply_discount_before_tax_when_price_excludes_tax() -> None:
    line = line_amounts(
        10, Decimal("99.99"), Decimal("0.13"), price_includes_tax=False, discount_rate="0.1"
    )

    # 999.90 − 99.99 = 899.91; 899.91 × 0.13 = 116.9883 -> 116.99
    assert line == LineAmounts(Decimal("899.91"), Decimal("116.99"), Decimal("1016.90"))


def test_line_amounts_apply_discount_before_split_when_price_includes_tax() -> None:
    line = line_amounts(
        10, Decimal("99.99"), Decimal("0.13"), price_includes_tax=True, discount_rate="0.1"
    )

    # gross 899.91; 899.91 / 1.13 = 796.3805… -> 796.38
    assert line == LineAmounts(Decimal("796.38"), Decimal("103.53"), Decimal("899.91"))


def test_line_amounts_round_discount_half_up_when_discount_has_half_a_fen() -> None:
    line = line_amounts(1, Decimal("0.05"), 0, price_includes_tax=False, discount_rate="0.5")

    assert line.net_amount == Decimal("0.02")  # 0.05 − round(0.025) = 0.05 − 0.03


def test_line_amounts_are_zero_when_discount_is_whole() -> None:
    line = line_amounts(3, Decimal("12.34"), "0.06", price_includes_tax=True, discount_rate=1)

    assert line == LineAmounts(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))


@pytest.mark.parametrize("discount", ["-0.1", "1.01", "10"])
def test_line_amounts_raise_when_discount_outside_zero_to_one(discount: str) -> None:
    with pytest.raises(ValueError, match="discount_rate"):
        line_amounts(1, 1, "0.13", price_includes_tax=False, discount_rate=discount)


def test_lines_total_sums_lines_when_document_has_many_lines() -> None:
    lines = [line_amounts(1, Decimal("0.50"), "0.13", price_includes_tax=False) for _ in range(3)]

    total = lines_total(lines)

    # Three lines of 0.065 tax -> 0.07 each: 0.21, not the 0.195 -> 0.20 of the summed amount.
    assert total == LineAmounts(Decimal("1.50"), Decimal("0.21"), Decimal("1.71"))
    assert tax_from_net(total.net_amount, "0.13") == Decimal("0.20")


def test_lines_total_is_zero_when_no_lines() -> None:
    assert lines_total([]) == LineAmounts(Decimal("0"), Decimal("0"), Decimal("0"))


def test_lines_total_mixes_rates_and_red_lines_when_document_has_them() -> None:
    lines = [
        line_amounts(3, Decimal("1130.00"), VAT_RATES["13"], price_includes_tax=True),
        line_amounts(1, Decimal("109.00"), VAT_RATES["9"], price_includes_tax=True),
        line_amounts(2, Decimal("50.00"), VAT_RATES["6"], price_includes_tax=False),
        line_amounts(1, Decimal("-100.00"), VAT_RATES["6"], price_includes_tax=False),
        line_amounts(1, Decimal("88.00"), VAT_RATES["exempt"], price_includes_tax=True),
    ]

    assert lines_total(lines) == LineAmounts(
        net_amount=Decimal("3000.00") + Decimal("100.00") + Decimal("0.00") + Decimal("88.00"),
        tax_amount=Decimal("390.00") + Decimal("9.00") + Decimal("0.00"),
        gross_amount=Decimal("3390.00") + Decimal("109.00") + Decimal("0.00") + Decimal("88.00"),
    )


def test_line_amounts_are_frozen_when_created() -> None:
    line = line_amounts(1, 1, "0.13", price_includes_tax=False)

    with pytest.raises(FrozenInstanceError):
        line.tax_amount = Decimal("0")  # type: ignore[misc]


# --- rates ------------------------------------------------------------------------------


def test_vat_rates_list_current_rates_as_fractions_when_read() -> None:
    assert [r.rate for r in VAT_RATES.values()] == [
        Decimal(x) for x in ("0.13", "0.09", "0.06", "0.03", "0.01", "0", "0")
    ]
    assert [key for key, r in VAT_RATES.items() if r.is_exempt] == ["exempt"]
    assert all(key == r.key for key, r in VAT_RATES.items())
    assert not VAT_RATES["0"].is_exempt


def test_vat_rates_are_read_only_when_someone_writes() -> None:
    with pytest.raises(TypeError):
        VAT_RATES["17"] = VatRate("17", Decimal("0.17"))  # type: ignore[index]


def test_tax_from_net_is_zero_when_exempt() -> None:
    assert tax_from_net(Decimal("1000.00"), VAT_RATES["exempt"]) == Decimal("0.00")
    assert split_gross(Decimal("1000.00"), VAT_RATES["exempt"]) == (
        Decimal("1000.00"),
        Decimal("0.00"),
    )


@pytest.mark.parametrize("rate", ["13", 13, "1", "-0.01", Decimal("1.00")])
def test_validate_rate_raises_when_rate_is_not_a_fraction_below_one(rate: object) -> None:
    with pytest.raises(ValueError, match="fraction"):
        validate_rate(rate)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fraction"):
        tax_from_net(Decimal("1.00"), rate)  # type: ignore[arg-type]


def test_validate_rate_raises_type_error_when_float() -> None:
    with pytest.raises(TypeError, match="float"):
        validate_rate(0.13)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        line_amounts(1, 1, 0.13, price_includes_tax=True)  # type: ignore[arg-type]


def test_tax_functions_raise_when_amount_has_more_than_two_places() -> None:
    with pytest.raises(ValueError, match="decimal places"):
        tax_from_net(Decimal("1.005"), "0.13")
    with pytest.raises(ValueError, match="decimal places"):
        split_gross(Decimal("1.005"), "0.13")


def test_tax_functions_raise_type_error_when_float_amount() -> None:
    with pytest.raises(TypeError, match="float"):
        tax_from_net(100.0, "0.13")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        split_gross(113.0, "0.13")  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------------

amounts = st.decimals(
    min_value=Decimal("-9999999999.99"),
    max_value=Decimal("9999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
rates = st.sampled_from([r.rate for r in VAT_RATES.values()] + [Decimal("0.17")])
quantities = st.decimals(min_value=-10_000, max_value=10_000, places=4, allow_nan=False)
prices = st.decimals(min_value=0, max_value=100_000, places=6, allow_nan=False)
discounts = st.decimals(min_value=0, max_value=1, places=4, allow_nan=False)


@given(amounts, rates)
def test_split_gross_sums_to_gross_when_any_amount(gross: Decimal, rate: Decimal) -> None:
    net, tax = split_gross(gross, rate)

    assert net + tax == gross
    assert net == divide(gross, 1 + rate)
    assert net == net.quantize(CENT) and tax == tax.quantize(CENT)
    # tax is the remainder, within a fen of round(net × rate) (see the test above)
    assert abs(tax - tax_from_net(net, rate)) <= CENT


@given(amounts, rates)
def test_tax_from_net_equals_rounded_product_when_any_amount(net: Decimal, rate: Decimal) -> None:
    tax = tax_from_net(net, rate)

    assert tax == round_amount(net * rate)
    assert abs(tax - net * rate) <= Decimal("0.005")
    assert tax_from_net(-net, rate) == -tax


@given(quantities, prices, rates, st.booleans(), discounts)
def test_line_amounts_keep_net_plus_tax_equal_gross_when_any_line(
    quantity: Decimal, price: Decimal, rate: Decimal, includes: bool, discount: Decimal
) -> None:
    line = line_amounts(quantity, price, rate, price_includes_tax=includes, discount_rate=discount)

    assert line.net_amount + line.tax_amount == line.gross_amount
    if includes:
        assert line.net_amount == divide(line.gross_amount, 1 + rate)
    else:
        assert line.tax_amount == round_amount(line.net_amount * rate)
    negated = line_amounts(
        -quantity, price, rate, price_includes_tax=includes, discount_rate=discount
    )
    assert negated == LineAmounts(-line.net_amount, -line.tax_amount, -line.gross_amount)


@given(st.lists(st.tuples(quantities, prices, rates, st.booleans()), max_size=30))
def test_lines_total_equals_sum_of_lines_when_many_lines(
    specs: list[tuple[Decimal, Decimal, Decimal, bool]],
) -> None:
    lines = [line_amounts(q, p, r, price_includes_tax=inc) for q, p, r, inc in specs]

    total = lines_total(lines)

    assert total.net_amount == sum((line.net_amount for line in lines), Decimal(0))
    assert total.tax_amount == sum((line.tax_amount for line in lines), Decimal(0))
    assert total.net_amount + total.tax_amount == total.gross_amount
