"""Every number a page prints, in one format: thousands separators, the field's places.

- `{{ amount|money }}` → 1,234,567.80: two decimals, never floats; a negative amount is red
  (`<span class="text-negative">-1,234.00</span>`), as Chinese accountants read red as minus.
- `{{ amount|money_blank }}`: the same, but a zero amount is blank, for the columns of books
  and balances where a column of 0.00 hides the figures that matter.
- `{% money_link amount href %}`: a non-zero amount as a link (to its detail), a zero one blank:
  there is nothing behind a zero to drill into.
- `{{ value|number:4 }}` → 2,636.1111, 1,380.00: a unit price or unit cost with up to that many
  places (the field's), at least two, trailing zeros beyond two dropped.
- `{{ value|quantity }}` → 1,250 or 2.5: a quantity without trailing zeros or exponents.

`quantity_text` and `number_text` are the same formatters for Python callers (history, the
inventory filters `qty` and `stock_qty`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from suanpan.core.money import CENT

register = template.Library()

AMOUNT_PLACES = 2
# The most places a unit price or cost is shown with when a template names none (catalog's
# PRICE_PLACES; core cannot import it).
MOST_PLACES = 6


def _formatted(value: object, text: Callable[[Decimal], str]) -> str:
    """`text(value as a Decimal)`; blank for None or "", the value as it is when not a number."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    return text(number)


def _decimal(value: object) -> Decimal | None:
    """The value as a finite Decimal, or None when it is blank or not a number."""
    if isinstance(value, Decimal):  # what money fields give: no text round trip
        return value if value.is_finite() else None
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _cents(number: Decimal) -> str:
    return f"{number.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def amount_text(value: object) -> str:
    """An amount as plain text: 1,234,567.80 (half up to the fen)."""
    return _formatted(value, _cents)


def number_text(value: object, places: int = MOST_PLACES) -> str:
    """A unit price or cost: thousands separators, at most `places` decimals (rounded half
    up), at least two, trailing zeros beyond two dropped: 1,380.00, 2,636.1111."""

    def text(number: Decimal) -> str:
        rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        shown = max(AMOUNT_PLACES, -int(rounded.normalize().as_tuple().exponent))
        return f"{rounded:,.{min(shown, max(places, AMOUNT_PLACES))}f}"

    return _formatted(value, text)


def quantity_text(value: object, *, thousands: bool = False) -> str:
    """A quantity without trailing zeros or exponents (Decimal.normalize would print 1E+2),
    with thousands separators when asked: 1,250 or 2.5."""

    def text(quantity: Decimal) -> str:
        plain = f"{quantity:,f}" if thousands else f"{quantity:f}"
        return plain.rstrip("0").rstrip(".") if "." in plain else plain

    return _formatted(value, text)


def _signed(value: object, text: str) -> str:
    """`text` in red when `value` is negative (HTML-safe either way)."""
    number = _decimal(value)
    if number is not None and number < 0:
        return format_html('<span class="text-negative">{}</span>', text)
    return format_html("{}", text)


@register.filter
def money(value: object) -> str:
    if isinstance(value, Decimal) and value.is_finite():
        # A Decimal's text is digits, separators and a sign, safe as it is: a list prints a few
        # amounts per row, and this skips the escaping the general path needs for the rest.
        text = _cents(value)
        return mark_safe(f'<span class="text-negative">{text}</span>' if value < 0 else text)
    return _signed(value, amount_text(value))


@register.filter
def money_blank(value: object) -> str:
    number = _decimal(value)
    if number is not None and number.quantize(CENT, rounding=ROUND_HALF_UP) == 0:
        return ""
    return money(value)


@register.simple_tag
def money_link(value: object, href: str) -> SafeString | str:
    shown = money_blank(value)
    if not shown:
        return ""
    return format_html('<a href="{}">{}</a>', href, shown)


@register.filter
def number(value: object, places: int | str = MOST_PLACES) -> str:
    try:
        most = int(places)
    except (TypeError, ValueError):
        most = MOST_PLACES
    return _signed(value, number_text(value, max(0, most)))


@register.filter
def quantity(value: object) -> str:
    return _signed(value, quantity_text(value, thousands=True))
