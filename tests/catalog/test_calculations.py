"""Pure catalog maths: search text, unit prices in both bases, price text, rate words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suanpan.catalog import calculations
from suanpan.catalog.services.import_columns import rate_key, rate_word
from suanpan.core.tax import VAT_RATES


def test_search_text_holds_code_name_pinyin_initials_and_specification() -> None:
    text = calculations.search_text(code="DY-01", name="激光打印机", specification="A4")

    assert text.split("\n") == ["dy-01", "激光打印机", "jiguangdayinji", "jgdyj", "a4"]


def test_search_text_keeps_latin_words_whole() -> None:
    assert calculations.search_text(code="X", name="HP 打印机").split("\n")[2:4] == [
        "hpdayinji",
        "hpdyj",
    ]


def test_search_query_normalize_trims_and_lowers() -> None:
    assert calculations.search_query_normalize("  DY   01 ") == "dy 01"


@pytest.mark.parametrize(
    ("price", "rate", "includes", "expected"),
    [
        ("113", "0.13", True, ("100.00", "13.00", "113.00")),
        ("100", "0.13", False, ("100.00", "13.00", "113.00")),
        ("99.99", "0.06", False, ("99.99", "6.00", "105.99")),
        ("10", "0.00", True, ("10.00", "0.00", "10.00")),
        ("0.004", "0.13", True, ("0.00", "0.00", "0.00")),
    ],
)
def test_unit_prices_give_both_bases_to_the_fen(
    price: str, rate: str, includes: bool, expected: tuple[str, str, str]
) -> None:
    prices = calculations.unit_prices(Decimal(price), Decimal(rate), price_includes_tax=includes)

    assert (prices.net_amount, prices.tax_amount, prices.gross_amount) == tuple(
        Decimal(e) for e in expected
    )


@given(
    price=st.decimals(min_value=0, max_value=Decimal("999999999.999999"), places=6),
    rate=st.sampled_from([r.rate for r in VAT_RATES.values()]),
    includes=st.booleans(),
)
def test_unit_prices_net_plus_tax_is_gross(price: Decimal, rate: Decimal, includes: bool) -> None:
    prices = calculations.unit_prices(price, rate, price_includes_tax=includes)

    assert prices.net_amount + prices.tax_amount == prices.gross_amount
    assert prices.net_amount <= prices.gross_amount


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1234.5"), "1,234.50"),
        (Decimal("0.123456"), "0.123456"),
        (Decimal("113.000000"), "113.00"),
        (Decimal("999999999.999999"), "999,999,999.999999"),
        (Decimal("1E+2"), "100.00"),
    ],
)
def test_price_text_keeps_up_to_six_decimals_and_at_least_two(value: Decimal, text: str) -> None:
    assert calculations.price_text(value) == text


@pytest.mark.parametrize(
    ("cell", "key"),
    [
        ("13%", "13"),
        ("13", "13"),
        ("0.13", "13"),
        ("9 %", "9"),
        ("0.06", "6"),
        ("0%", "0"),
        ("0", "0"),
        ("免税", "exempt"),
        ("Exempt", "exempt"),
        ("17%", None),
        ("abc", None),
    ],
)
def test_rate_key_reads_what_spreadsheets_hold(cell: str, key: str | None) -> None:
    assert rate_key(cell) == key


@pytest.mark.parametrize("key", list(VAT_RATES))
def test_rate_word_reads_back_as_its_key(key: str) -> None:
    assert rate_key(rate_word(key)) == key
