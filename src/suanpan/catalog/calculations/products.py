"""Pure functions for product search: pinyin, initials and the text a search matches against."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from suanpan.core.pinyin import name_initials, name_pinyin
from suanpan.core.tax import line_amounts


def search_text(*, code: str, name: str, specification: str = "") -> str:
    """Everything a user may type to find a product, lower-case, one item per line."""
    parts = [code, name, name_pinyin(name), name_initials(name), specification]
    return "\n".join(p.strip().lower() for p in parts if p and p.strip())


def search_query_normalize(query: str) -> str:
    """What a search box gives, made comparable with search_text(): trimmed and lower-case."""
    return " ".join(query.split()).lower()


@dataclass(frozen=True)
class UnitPrices:
    """One unit at list price, in both bases, to the fen: what a one-unit quote line shows."""

    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal


def unit_prices(list_price: Decimal, vat_rate: Decimal, *, price_includes_tax: bool) -> UnitPrices:
    """The list price with and without tax, by the same rule as document lines (core.tax)."""
    amounts = line_amounts(1, list_price, vat_rate, price_includes_tax=price_includes_tax)
    return UnitPrices(
        net_amount=amounts.net_amount,
        tax_amount=amounts.tax_amount,
        gross_amount=amounts.gross_amount,
    )


def price_text(value: Decimal) -> str:
    """A unit price as a person reads it: 1,234.5678 (up to 6 decimals, at least 2)."""
    places = max(2, -int(value.normalize().as_tuple().exponent))
    return f"{value:,.{min(places, 6)}f}"
