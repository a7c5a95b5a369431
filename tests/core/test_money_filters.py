"""core.templatetags.money: every number a page prints, in one format."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from suanpan.core.templatetags.money import (
    _signed,
    amount_text,
    money,
    money_blank,
    money_link,
    number,
    number_text,
    quantity,
)


def test_money_shows_two_places_and_thousands_separators() -> None:
    assert money(Decimal("5000000")) == "5,000,000.00"
    assert money(Decimal("1234.565")) == "1,234.57"
    assert money(None) == "" and money("") == ""


def test_money_shows_negative_amounts_in_red_with_the_minus_sign() -> None:
    assert money(Decimal("-1234.5")) == '<span class="text-negative">-1,234.50</span>'
    assert "text-negative" not in money(Decimal("0"))


def test_money_escapes_what_is_not_a_number() -> None:
    assert money("<b>") == "&lt;b&gt;"


def test_money_blank_leaves_zero_blank_and_keeps_the_rest() -> None:
    assert money_blank(Decimal("0.00")) == ""
    assert money_blank(Decimal("0.004")) == ""
    assert money_blank(Decimal("12")) == "12.00"
    assert "text-negative" in money_blank(Decimal("-0.01"))


def test_money_link_links_non_zero_amounts_only() -> None:
    assert money_link(Decimal("0"), "/d?a=1&b=2") == ""
    assert money_link(Decimal("1500"), "/d?a=1&b=2") == '<a href="/d?a=1&amp;b=2">1,500.00</a>'


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("1380.000000"), 6, "1,380.00"),
        (Decimal("2636.1111"), 4, "2,636.1111"),
        (Decimal("56.5"), 6, "56.50"),
        (Decimal("1.23456789"), 4, "1.2346"),
        (Decimal("1E+3"), 6, "1,000.00"),
    ],
)
def test_number_keeps_the_fields_places_at_least_two(value, places, text) -> None:
    assert number_text(value, places) == text
    assert number(value, places) == text


def test_quantity_drops_trailing_zeros_and_groups_thousands() -> None:
    assert quantity(Decimal("1250.0000")) == "1,250"
    assert quantity(Decimal("2.5000")) == "2.5"
    assert quantity(Decimal("-3")) == '<span class="text-negative">-3</span>'


def test_filters_render_in_templates() -> None:
    template = Template(
        "{% load money %}{{ a|money }}|{{ z|money_blank }}|{{ p|number:6 }}|{% money_link a '/x' %}"
    )
    rendered = template.render(
        Context({"a": Decimal("-5"), "z": Decimal("0"), "p": Decimal("1380")})
    )
    assert rendered == (
        '<span class="text-negative">-5.00</span>||1,380.00|'
        '<a href="/x"><span class="text-negative">-5.00</span></a>'
    )
    assert amount_text(Decimal("-5")) == "-5.00"


@pytest.mark.parametrize(
    "value",
    [
        Decimal("0"),
        Decimal("-0.00"),
        Decimal("2.345"),
        Decimal("-2.345"),
        Decimal("-0.004"),
        Decimal("1234567.005"),
        Decimal("-98765432101.5"),
        Decimal("1E+3"),
        Decimal("0.005"),
    ],
)
def test_money_of_a_decimal_shows_what_the_general_path_shows(value) -> None:
    general = _signed(value, amount_text(value))
    assert str(money(value)) == str(general)
    assert str(money_blank(value)) == ("" if abs(value) < Decimal("0.005") else str(general))
