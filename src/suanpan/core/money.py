"""Money maths on Decimal: parsing, half-up rounding and exact allocation. No Django here.

Amounts are `Decimal` with two places (yuan and fen). Rounding is always ROUND_HALF_UP
(四舍五入: 2.125 -> 2.13, -2.125 -> -2.13), never the built-in `round()`, which rounds half to
even. Floats are refused everywhere: a float has already lost the cent it was meant to carry.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import TypeAlias

__all__ = [
    "CENT",
    "DecimalLike",
    "allocate",
    "allocate_largest_remainder",
    "divide",
    "round_amount",
    "round_to",
    "to_decimal",
]

CENT = Decimal("0.01")

DecimalLike: TypeAlias = Decimal | int | str

# Either no separators at all, or comma groups of exactly three digits: "1,234,567.89".
# A misplaced comma ("1,23") is refused rather than guessed at (it may be a decimal comma).
_NUMBER = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d*)?|[+-]?\.\d+")


def to_decimal(value: object) -> Decimal:
    """Return `value` as a finite Decimal; refuse floats with TypeError, bad text with ValueError.

    Accepts Decimal, int and str; strings may carry thousands separators ("1,234.50"), full-width
    commas and surrounding blanks; anything else ("1,23", "1e3", "abc") is a ValueError.
    """
    if isinstance(value, float):
        raise TypeError(
            f"float {value!r} refused: money is Decimal; pass a str or Decimal such as "
            f'Decimal("{value!r}")'
        )
    if isinstance(value, bool):
        raise TypeError(f"bool {value!r} is not a number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace("，", ",")
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"{value!r} is not a number")
        try:
            result = Decimal(text.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
            raise ValueError(f"{value!r} is not a number") from exc
    else:
        raise TypeError(f"{type(value).__name__} {value!r} is not a Decimal, int or str")
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return result


def round_to(value: DecimalLike, places: int) -> Decimal:
    """Round half up (四舍五入) to `places` decimals (places >= 0)."""
    _check_places(places)
    return to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_amount(value: DecimalLike) -> Decimal:
    """Round half up to the fen (0.01): 2.125 -> 2.13, -2.125 -> -2.13."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def divide(dividend: DecimalLike, divisor: DecimalLike, *, places: int = 2) -> Decimal:
    """`dividend / divisor` rounded half up to `places`, computed exactly (no double rounding).

    Decimal division first rounds to the context's 28 digits; here the quotient is an exact
    fraction until the one final rounding.
    """
    _check_places(places)
    denominator = Fraction(to_decimal(divisor))
    if denominator == 0:
        raise ZeroDivisionError("division by zero")
    return _fraction_round(Fraction(to_decimal(dividend)) / denominator, places)


def allocate(
    total: DecimalLike, weights: Sequence[DecimalLike], *, places: int = 2
) -> list[Decimal]:
    """Split `total` in proportion to `weights`; the rounding remainder goes on the last part.

    Every part except the last one with a non-zero weight is its exact share rounded half up to
    `places`; that last part takes `total` minus the others, so the parts always sum exactly to
    `total` (the way instalment plans carry the odd fen on the final instalment). Parts with a
    zero weight are exactly zero. A negative total gives the mirror image of the positive one.

    The last part can be off its exact share by up to half a unit per other part, and with a
    total of only a few fen split many ways it can even take the other sign; when every part
    must stay within one unit of its share, use `allocate_largest_remainder`.

    Raises ValueError when `weights` is empty, has a negative weight, is all zero, or when
    `total` has more than `places` decimals.
    """
    total_units, shares = _shares(total, weights, places)
    units = [_half_up(share) for share in shares]
    last = max(i for i, weight in enumerate(weights) if to_decimal(weight) != 0)
    units[last] = 0
    units[last] = total_units - sum(units)
    return [_units_to_decimal(u, places) for u in units]


def allocate_largest_remainder(
    total: DecimalLike, weights: Sequence[DecimalLike], *, places: int = 2
) -> list[Decimal]:
    """Split `total` in proportion to `weights` by the largest-remainder method.

    Each part is its exact share truncated towards zero to `places`; the units left over go one
    each to the parts with the largest truncated remainders (the earlier part on a tie). Parts
    sum exactly to `total`, each is within one unit of its exact share and never of the other
    sign, and zero weights get exactly zero. Same errors as `allocate`.
    """
    total_units, shares = _shares(total, weights, places)
    sign = -1 if total_units < 0 else 1
    magnitudes = [abs(share) for share in shares]
    units = [math.floor(m) for m in magnitudes]
    left_over = abs(total_units) - sum(units)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(magnitudes[i] - units[i]), i))
    for i in by_remainder[:left_over]:
        units[i] += 1
    return [_units_to_decimal(sign * u, places) for u in units]


def _shares(
    total: DecimalLike, weights: Sequence[DecimalLike], places: int
) -> tuple[int, list[Fraction]]:
    """The total in units of 10**-places and each weight's exact share of it, in those units."""
    _check_places(places)
    total_decimal = to_decimal(total)
    scaled = total_decimal.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"total {total_decimal} has more than {places} decimal places")
    if isinstance(weights, str | bytes) or len(weights) == 0:
        raise ValueError("weights must be a non-empty sequence")
    exact_weights = [Fraction(to_decimal(weight)) for weight in weights]
    if any(weight < 0 for weight in exact_weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(exact_weights, Fraction(0))
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    total_units = int(scaled)
    return total_units, [total_units * weight / weight_sum for weight in exact_weights]


def _check_places(places: int) -> None:
    if isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise ValueError(f"places must be a non-negative int, not {places!r}")


def _half_up(value: Fraction) -> int:
    """Round an exact fraction to an integer, halves away from zero."""
    magnitude = math.floor(abs(value) + Fraction(1, 2))
    return -magnitude if value < 0 else magnitude


def _fraction_round(value: Fraction, places: int) -> Decimal:
    return _units_to_decimal(_half_up(value * 10**places), places)


def _units_to_decimal(units: int, places: int) -> Decimal:
    return Decimal(units).scaleb(-places)
