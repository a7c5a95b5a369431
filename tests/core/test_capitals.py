"""Amounts in Chinese capitals, against every row of tests/data/rmb_capital_amount_pairs.csv.

Our convention (core/capitals.py): 整 after 元 and after 角, one 零 for a run of zeros and after
a 0 元 digit, no "人民币" prefix unless asked, 负 for negatives, at most 2 decimals.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suanpan.core.capitals import MAX_AMOUNT, amount_in_capitals
from suanpan.core.money import round_amount

DATA = Path(__file__).resolve().parent.parent / "data" / "rmb_capital_amount_pairs.csv"
PREFIX = "人民币"


@dataclass(frozen=True)
class Row:
    line: int
    input: str
    expected: str
    also_acceptable: str
    source: str
    note: str


def _rows() -> list[Row]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return [
            Row(
                line=number,
                input=row["input"],
                expected=row["expected"],
                also_acceptable=row["also_acceptable"],
                source=row["source"],
                note=row["note"],
            )
            for number, row in enumerate(csv.DictReader(handle), start=2)
        ]


ROWS = _rows()


def _to_our_convention(text: str) -> str:
    """A source's text rewritten in our convention, for the differences that are conventions.

    - "人民币" prefix (the PBoC examples, nzh): kept; the row is compared with `prefix=True`.
    - No 整 after 角 (PBoC rule 2 makes it optional; cn2an and nzh leave it out): we write it,
      as 《会计基础工作规范》第52条 asks, so 整 is appended to a text that ends in 角.
    Everything else (正 instead of 整, a 零元 lead, a missing 零 after a 0 元 digit) is not
    rewritten: those rows must match through their other column.
    """
    if text.endswith("角"):
        return text + "整"
    return text


def _acceptable(row: Row) -> set[str]:
    return {_to_our_convention(t) for t in (row.expected, row.also_acceptable) if t}


def _has_sub_fen_digits(row: Row) -> bool:
    value = Decimal(row.input)
    return value != value.quantize(Decimal("0.01"))


def test_capitals_data_has_every_row_when_read() -> None:
    # Guards against rows silently vanishing from the parametrised test below.
    assert len(ROWS) == 49
    assert all(row.expected for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[f"line{r.line}-{r.input}" for r in ROWS])
def test_amount_in_capitals_matches_source_when_written_in_our_convention(row: Row) -> None:
    prefix = row.expected.startswith(PREFIX)
    amount = Decimal(row.input)
    if _has_sub_fen_digits(row):
        # cn2an takes floats and drops the digits below the fen; we refuse them and make the
        # caller round first, so the row is checked on the amount rounded half up.
        with pytest.raises(ValueError, match="decimal places"):
            amount_in_capitals(amount)
        amount = round_amount(amount)

    written = amount_in_capitals(amount, prefix=prefix)

    assert written in _acceptable(row), f"{row.input}: {written} ({row.note or row.source})"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("10005.30", "壹万零伍元叁角整"),  # the DESIGN.md example
        ("107000.53", "壹拾万柒仟元零伍角叁分"),  # README: one 零, after the 0 元 digit
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("7560.31", "柒仟伍佰陆拾元零叁角壹分"),  # the source's other column; we always write 零
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("10", "壹拾元整"),
        ("100000001", "壹亿零壹元整"),  # a run of zeros across 万 is one 零
        ("100010000", "壹亿零壹万元整"),
        ("1000000000100", "壹万亿零壹佰元整"),
        ("5000300000000", "伍万零叁亿元整"),
        ("1010101.01", "壹佰零壹万零壹佰零壹元零壹分"),
    ],
)
def test_amount_in_capitals_follows_convention_when_given_examples(
    amount: str, expected: str
) -> None:
    assert amount_in_capitals(Decimal(amount)) == expected


def test_amount_in_capitals_adds_prefix_when_asked() -> None:
    assert amount_in_capitals(Decimal("1.00"), prefix=True) == "人民币壹元整"
    assert amount_in_capitals(Decimal("-0.10"), prefix=True) == "人民币负壹角整"


def test_amount_in_capitals_writes_fu_when_negative() -> None:
    assert amount_in_capitals(Decimal("-10005.30")) == "负壹万零伍元叁角整"
    assert amount_in_capitals(Decimal("-0.01")) == "负壹分"


def test_amount_in_capitals_writes_zero_yuan_when_zero_or_negative_zero() -> None:
    assert amount_in_capitals(Decimal("0")) == "零元整"
    assert amount_in_capitals(Decimal("0.00")) == "零元整"
    assert amount_in_capitals(Decimal("-0.00")) == "零元整"
    assert amount_in_capitals(0) == "零元整"


def test_amount_in_capitals_writes_wan_yi_when_amount_is_largest() -> None:
    assert amount_in_capitals(MAX_AMOUNT) == (
        "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"
    )
    assert amount_in_capitals(Decimal("1000000000000")) == "壹万亿元整"


def test_amount_in_capitals_accepts_trailing_zero_places_when_value_has_two_decimals() -> None:
    assert amount_in_capitals(Decimal("1.500")) == "壹元伍角整"
    assert amount_in_capitals("1,024.00") == "壹仟零贰拾肆元整"


@pytest.mark.parametrize("amount", [Decimal("1.005"), Decimal("0.001"), "2.125"])
def test_amount_in_capitals_raises_when_more_than_two_decimals(amount: object) -> None:
    with pytest.raises(ValueError, match="decimal places"):
        amount_in_capitals(amount)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", [MAX_AMOUNT + Decimal("0.01"), -MAX_AMOUNT - 1])
def test_amount_in_capitals_raises_when_beyond_range(amount: Decimal) -> None:
    with pytest.raises(ValueError, match="beyond"):
        amount_in_capitals(amount)


@pytest.mark.parametrize("amount", [1.5, 0.1])
def test_amount_in_capitals_raises_type_error_when_float(amount: float) -> None:
    with pytest.raises(TypeError, match="float"):
        amount_in_capitals(amount)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "abc", ""])
def test_amount_in_capitals_raises_when_not_a_finite_number(amount: str) -> None:
    with pytest.raises(ValueError):
        amount_in_capitals(Decimal(amount) if amount in {"NaN", "Infinity"} else amount)


DIGIT_VALUES = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}


def _parse_capitals(text: str) -> Decimal:
    """An independent reader of our output, to check the writer round-trips."""
    sign = -1 if text.startswith("负") else 1
    text = text.removeprefix("负").removesuffix("整")
    yuan_text, _, cents_text = text.partition("元") if "元" in text else ("", "", text)
    total = 0
    section = 0  # below 万
    wan = 0  # the part between 万 and 亿
    digit = 0
    for char in yuan_text:
        if char in DIGIT_VALUES:
            digit = DIGIT_VALUES[char]
        elif char in "拾佰仟":
            section += digit * {"拾": 10, "佰": 100, "仟": 1000}[char]
            digit = 0
        elif char == "万":
            wan = (section + digit) * 10**4
            section = digit = 0
        elif char == "亿":
            total = (total + wan + section + digit) * 10**8
            wan = section = digit = 0
    yuan = total + wan + section + digit
    jiao = fen = 0
    for previous, char in pairwise(cents_text):
        if char == "角":
            jiao = DIGIT_VALUES[previous]
        elif char == "分":
            fen = DIGIT_VALUES[previous]
    return sign * (Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100)


@given(
    st.decimals(
        min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False
    )
)
def test_amount_in_capitals_reads_back_to_amount_when_any_amount(amount: Decimal) -> None:
    written = amount_in_capitals(amount)

    assert _parse_capitals(written) == amount
    assert "零零" not in written
    assert written.endswith(("整", "分"))
    assert written.endswith("角整") or "角" not in written or written.endswith("分")
