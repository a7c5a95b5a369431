"""Money maths: half-up rounding, exact allocation, refusal of floats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from suanpan.core.money import (
    CENT,
    allocate,
    allocate_largest_remainder,
    divide,
    round_amount,
    round_to,
    to_decimal,
)

amounts = st.decimals(
    min_value=Decimal("-99999999999.99"),
    max_value=Decimal("99999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
weights = st.lists(
    st.decimals(min_value=0, max_value=Decimal("1000"), places=3, allow_nan=False),
    min_size=1,
    max_size=12,
).filter(lambda ws: any(w > 0 for w in ws))


# --- rounding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2.125", "2.13"),
        ("-2.125", "-2.13"),
        ("2.135", "2.14"),  # half-even would give 2.14 here but 2.12 above
        ("0.005", "0.01"),
        ("-0.005", "-0.01"),
        ("0.004999", "0.00"),
        ("1.1", "1.10"),
        ("7991.4535", "7991.45"),
    ],
)
def test_round_amount_rounds_half_up_when_value_is_on_or_near_half(
    value: str, expected: str
) -> None:
    result = round_amount(Decimal(value))

    assert result == Decimal(expected)
    assert str(result) == expected  # always two places


def test_round_amount_differs_from_builtin_round_when_half() -> None:
    # The reason the module exists: round() is banker's rounding.
    assert round(Decimal("2.125"), 2) == Decimal("2.12")
    assert round_amount(Decimal("2.125")) == Decimal("2.13")


def test_round_to_rounds_half_up_when_given_places() -> None:
    assert round_to(Decimal("1.23455"), 4) == Decimal("1.2346")
    assert round_to(Decimal("-1.23455"), 4) == Decimal("-1.2346")
    assert round_to(Decimal("2.5"), 0) == Decimal("3")
    assert str(round_to(Decimal("1"), 6)) == "1.000000"


@pytest.mark.parametrize("places", [-1, 1.5, True])
def test_round_to_raises_when_places_invalid(places: object) -> None:
    with pytest.raises(ValueError, match="places"):
        round_to(Decimal("1"), places)  # type: ignore[arg-type]


@given(amounts)
def test_round_amount_is_identity_when_already_two_places(value: Decimal) -> None:
    assert round_amount(value) == value


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False))
def test_round_amount_is_symmetric_and_within_half_fen_when_any_value(value: Decimal) -> None:
    rounded = round_amount(value)

    assert round_amount(-value) == -rounded
    assert abs(rounded - value) <= Decimal("0.005")
    assert rounded == rounded.quantize(CENT)


def test_divide_rounds_exact_quotient_when_decimal_division_would_round_twice() -> None:
    assert divide(Decimal("55000"), Decimal("1.17")) == Decimal("47008.55")
    assert divide(Decimal("1"), Decimal("3"), places=4) == Decimal("0.3333")
    assert divide(Decimal("-1"), Decimal("8")) == Decimal("-0.13")  # -0.125 half up
    # Decimal's own division keeps 28 digits: 10**27 + 0.5 loses its half before rounding.
    assert divide(Decimal(10**27 * 2 + 1), Decimal(2), places=0) == Decimal(10**27 + 1)


def test_divide_raises_when_divisor_zero() -> None:
    with pytest.raises(ZeroDivisionError):
        divide(Decimal("1"), Decimal("0"))


# --- parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("1,234,567.89", "1234567.89"),
        ("-1,000", "-1000"),
        (" 12.30 ", "12.30"),
        ("1，234.5", "1234.5"),  # full-width comma
        ("0.01", "0.01"),
        (".5", "0.5"),
        ("+7", "7"),
    ],
)
def test_to_decimal_parses_string_when_it_has_thousands_separators(
    text: str, expected: str
) -> None:
    result = to_decimal(text)

    assert isinstance(result, Decimal)
    assert result == Decimal(expected)


@pytest.mark.parametrize("text", ["1,23", "12,34.5", "1,,234", "abc", "", "1e3", "1.2.3", "¥5"])
def test_to_decimal_raises_value_error_when_text_is_not_a_plain_number(text: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        to_decimal(text)


@pytest.mark.parametrize("value", [0.1, 2.125, -1.0, float("nan")])
def test_to_decimal_raises_type_error_when_float(value: float) -> None:
    with pytest.raises(TypeError, match=r"float .* refused"):
        to_decimal(value)


@pytest.mark.parametrize("value", [True, None, [1], b"1"])
def test_to_decimal_raises_type_error_when_not_a_number_type(value: object) -> None:
    with pytest.raises(TypeError):
        to_decimal(value)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_to_decimal_raises_value_error_when_not_finite(value: Decimal) -> None:
    with pytest.raises(ValueError, match="finite"):
        to_decimal(value)


def test_to_decimal_keeps_value_when_decimal_or_int() -> None:
    assert to_decimal(Decimal("1.230")) == Decimal("1.23")
    assert str(to_decimal(Decimal("1.230"))) == "1.230"
    assert to_decimal(42) == Decimal(42)


@pytest.mark.parametrize("function", [round_amount, lambda v: round_to(v, 2)])
def test_rounding_raises_type_error_when_float(function) -> None:
    with pytest.raises(TypeError, match="float"):
        function(2.125)


# --- allocation: remainder on the last part --------------------------------------------------


def test_allocate_puts_remainder_on_last_part_when_total_does_not_split_evenly() -> None:
    assert allocate(Decimal("100.00"), [1, 1, 1]) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]
    # 30 / 30 / 40 instalments of 1,000.01: the odd fen lands on the last one.
    assert allocate(Decimal("1000.01"), [Decimal("0.3"), Decimal("0.3"), Decimal("0.4")]) == [
        Decimal("300.00"),
        Decimal("300.00"),
        Decimal("400.01"),
    ]


def test_allocate_rounds_half_up_when_share_is_half_a_fen() -> None:
    # 0.05 / 2 = 0.025 -> 0.03 on the first part; the last takes the rest.
    assert allocate(Decimal("0.05"), [1, 1]) == [Decimal("0.03"), Decimal("0.02")]


def test_allocate_mirrors_positive_when_total_negative() -> None:
    assert allocate(Decimal("-100.00"), [1, 1, 1]) == [
        Decimal("-33.33"),
        Decimal("-33.33"),
        Decimal("-33.34"),
    ]
    assert allocate(Decimal("-0.05"), [1, 1]) == [Decimal("-0.03"), Decimal("-0.02")]


def test_allocate_gives_zero_to_zero_weights_when_last_weight_is_zero() -> None:
    parts = allocate(Decimal("10.00"), [Decimal("1"), Decimal("2"), Decimal("0")])

    assert parts == [Decimal("3.33"), Decimal("6.67"), Decimal("0.00")]


def test_allocate_returns_two_place_decimals_when_total_is_integer() -> None:
    parts = allocate(7, [1, 1])

    assert [str(p) for p in parts] == ["3.50", "3.50"]


def test_allocate_uses_places_when_allocating_quantities() -> None:
    assert allocate(Decimal("1"), [1, 1, 1], places=4) == [
        Decimal("0.3333"),
        Decimal("0.3333"),
        Decimal("0.3334"),
    ]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([], "non-empty"),
        ([Decimal("0"), Decimal("0")], "all be zero"),
        ([Decimal("1"), Decimal("-1"), Decimal("2")], "negative"),
        ("12", "non-empty"),
    ],
)
def test_allocate_raises_when_weights_invalid(weights: object, message: str) -> None:
    for function in (allocate, allocate_largest_remainder):
        with pytest.raises(ValueError, match=message):
            function(Decimal("10.00"), weights)  # type: ignore[arg-type]


def test_allocate_raises_when_total_has_more_places_than_asked() -> None:
    with pytest.raises(ValueError, match="decimal places"):
        allocate(Decimal("10.005"), [1, 1])


def test_allocate_raises_type_error_when_float_total_or_weight() -> None:
    with pytest.raises(TypeError, match="float"):
        allocate(10.0, [1, 1])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        allocate(Decimal("10"), [0.5, 0.5])  # type: ignore[list-item]


@given(amounts, weights)
def test_allocate_sums_exactly_to_total_when_any_total_and_weights(
    total: Decimal, ws: list[Decimal]
) -> None:
    parts = allocate(total, ws)

    assert sum(parts, Decimal(0)) == total
    assert len(parts) == len(ws)
    assert all(part == part.quantize(CENT) for part in parts)
    assert all(part == 0 for part, w in zip(parts, ws, strict=True) if w == 0)


@given(amounts, weights)
def test_allocate_rounds_every_part_but_last_when_any_total_and_weights(
    total: Decimal, ws: list[Decimal]
) -> None:
    parts = allocate(total, ws)
    weight_sum = sum(ws, Decimal(0))
    last = max(i for i, w in enumerate(ws) if w > 0)

    for i, (part, w) in enumerate(zip(parts, ws, strict=True)):
        if i != last:
            assert part == divide(total * w, weight_sum)


@given(amounts, weights)
def test_allocate_is_antisymmetric_when_total_negated(total: Decimal, ws: list[Decimal]) -> None:
    assert allocate(-total, ws) == [-part for part in allocate(total, ws)]


# --- allocation: largest remainder ----------------------------------------------------------


def test_allocate_largest_remainder_spreads_fen_when_total_does_not_split_evenly() -> None:
    assert allocate_largest_remainder(Decimal("100.00"), [1, 1, 1]) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert allocate_largest_remainder(Decimal("0.02"), [3, 3, 3, 1]) == [
        Decimal("0.01"),
        Decimal("0.01"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]


def test_allocate_keeps_sign_only_in_largest_remainder_when_total_is_a_few_fen() -> None:
    # The documented limit of remainder-on-last: three parts of 0.006 round up to 0.01 each.
    assert allocate(Decimal("0.02"), [3, 3, 3, 1])[-1] == Decimal("-0.01")
    assert min(allocate_largest_remainder(Decimal("0.02"), [3, 3, 3, 1])) >= 0


@given(amounts, weights)
def test_allocate_largest_remainder_sums_exactly_and_stays_within_a_fen_when_any_input(
    total: Decimal, ws: list[Decimal]
) -> None:
    parts = allocate_largest_remainder(total, ws)
    weight_sum = sum(ws, Decimal(0))

    assert sum(parts, Decimal(0)) == total
    for part, w in zip(parts, ws, strict=True):
        exact = total * w / weight_sum
        assert abs(part - exact) < CENT
        assert part * total >= 0  # never the other sign
        if w == 0:
            assert part == 0


@given(amounts, weights)
def test_allocate_largest_remainder_is_antisymmetric_when_total_negated(
    total: Decimal, ws: list[Decimal]
) -> None:
    assume(total != 0)
    assert allocate_largest_remainder(-total, ws) == [
        -part for part in allocate_largest_remainder(total, ws)
    ]
