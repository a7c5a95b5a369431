"""Pure maths of priced lines: line amounts, document totals, the share of a line a partial
delivery carries. No Django here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from suanpan.core.money import divide
from suanpan.core.tax import VAT_RATES, LineAmounts, line_amounts, lines_total

__all__ = ["LinePricing", "document_amounts", "line_pricing", "share_of_line"]


@dataclass(frozen=True, slots=True)
class LinePricing:
    """What a priced line needs to know: quantity, price (in the document's basis), discount,
    and the VAT rate key copied from the product's tax category."""

    quantity: Decimal
    unit_price: Decimal
    vat_rate_key: str
    discount_rate: Decimal = Decimal(0)


def line_pricing(line: LinePricing, *, price_includes_tax: bool) -> LineAmounts:
    """One line's net, tax and gross, rounded half up per line (DESIGN.md "Money and tax")."""
    if line.quantity <= 0:
        raise ValueError("quantity must be positive")
    if line.unit_price < 0:
        raise ValueError("unit price must not be negative")
    return line_amounts(
        line.quantity,
        line.unit_price,
        VAT_RATES[line.vat_rate_key],
        price_includes_tax=price_includes_tax,
        discount_rate=line.discount_rate,
    )


def document_amounts(
    lines: Sequence[LinePricing], *, price_includes_tax: bool
) -> tuple[list[LineAmounts], LineAmounts]:
    """Every line's amounts and the document's totals, which are the sums of the lines."""
    amounts = [line_pricing(line, price_includes_tax=price_includes_tax) for line in lines]
    return amounts, lines_total(amounts)


def share_of_line(
    line_amount: Decimal, *, ordered: Decimal, before: Decimal, quantity: Decimal
) -> Decimal:
    """The part of a line's amount that `quantity` more units carry, after `before` units.

    Worked out cumulatively — round(amount × (before + quantity) / ordered) minus
    round(amount × before / ordered) — so partial deliveries of a line always add up to the
    line's amount exactly once it is all shipped, and a return of the same units gives back the
    same fen.
    """
    if ordered <= 0:
        raise ValueError("ordered quantity must be positive")
    after = before + quantity
    if before < 0 or after < 0 or after > ordered:
        raise ValueError("quantities outside the ordered range")
    return divide(line_amount * after, ordered) - divide(line_amount * before, ordered)
