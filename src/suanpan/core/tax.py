"""VAT (增值税) maths per invoice line, on Decimal. No Django here.

Rules (DESIGN.md "Money and tax"), rounding half up per line:
- price excluding tax: `tax = round(net * rate, 2)`, `gross = net + tax`;
- price including tax (价税分离): `net = round(gross / (1 + rate), 2)`, `tax = gross - net`.
Document totals are sums of lines, never the tax of the summed amount. Rates are fractions
(Decimal("0.13")), never 13.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from suanpan.core.money import CENT, DecimalLike, divide, round_amount, to_decimal

__all__ = [
    "VAT_RATES",
    "LineAmounts",
    "VatRate",
    "line_amounts",
    "lines_total",
    "split_gross",
    "tax_from_net",
    "validate_rate",
]


@dataclass(frozen=True, slots=True)
class VatRate:
    """One VAT rate a tax category can carry. Exempt (免税) computes like 0% but is its own
    choice: the invoice prints 免税 in the rate column and *** for the tax, not 0%."""

    key: str
    rate: Decimal
    is_exempt: bool = False


VAT_RATES: Mapping[str, VatRate] = MappingProxyType(
    {
        "13": VatRate("13", Decimal("0.13")),
        "9": VatRate("9", Decimal("0.09")),
        "6": VatRate("6", Decimal("0.06")),
        "3": VatRate("3", Decimal("0.03")),
        "1": VatRate("1", Decimal("0.01")),
        "0": VatRate("0", Decimal("0.00")),
        "exempt": VatRate("exempt", Decimal("0.00"), is_exempt=True),
    }
)


@dataclass(frozen=True, slots=True)
class LineAmounts:
    """The amounts of one line (or a document's total): net + tax == gross, always."""

    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal

    def __add__(self, other: LineAmounts) -> LineAmounts:
        if not isinstance(other, LineAmounts):
            return NotImplemented
        return LineAmounts(
            net_amount=self.net_amount + other.net_amount,
            tax_amount=self.tax_amount + other.tax_amount,
            gross_amount=self.gross_amount + other.gross_amount,
        )


ZERO_AMOUNTS = LineAmounts(
    net_amount=Decimal("0.00"), tax_amount=Decimal("0.00"), gross_amount=Decimal("0.00")
)


def validate_rate(rate: DecimalLike | VatRate) -> Decimal:
    """Return the rate as a Decimal fraction; refuse rates below 0 or from 1 (100%) up."""
    value = rate.rate if isinstance(rate, VatRate) else to_decimal(rate)
    if value < 0 or value >= 1:
        raise ValueError(f"VAT rate {value} must be a fraction in [0, 1), e.g. 0.13 for 13%")
    return value


def tax_from_net(net_amount: DecimalLike, rate: DecimalLike | VatRate) -> Decimal:
    """Tax on an amount excluding tax: round half up (net * rate) to the fen."""
    net = _amount(net_amount, "net_amount")
    return round_amount(net * validate_rate(rate))


def split_gross(gross_amount: DecimalLike, rate: DecimalLike | VatRate) -> tuple[Decimal, Decimal]:
    """Split an amount including tax into (net, tax): net = round(gross / (1 + rate)), tax = the
    rest, so net + tax == gross exactly."""
    gross = _amount(gross_amount, "gross_amount")
    net = divide(gross, 1 + validate_rate(rate))
    return net, gross - net


def line_amounts(
    quantity: DecimalLike,
    unit_price: DecimalLike,
    rate: DecimalLike | VatRate,
    *,
    price_includes_tax: bool,
    discount_rate: DecimalLike = 0,
) -> LineAmounts:
    """Amounts of one line of `quantity` x `unit_price` at `rate`, less `discount_rate`.

    The line amount is round(quantity * unit_price) in the price's own basis (including tax
    when `price_includes_tax`), the discount is round(line amount * discount_rate), and the tax
    is worked out on what is left, by `tax_from_net` or `split_gross`. Negative quantities (red
    letter lines) give exactly the negated amounts.
    """
    rate_value = validate_rate(rate)
    discount = to_decimal(discount_rate)
    if discount < 0 or discount > 1:
        raise ValueError(f"discount_rate {discount} must be a fraction in [0, 1]")
    base = round_amount(to_decimal(quantity) * to_decimal(unit_price))
    amount = base - round_amount(base * discount)
    if price_includes_tax:
        net, tax = split_gross(amount, rate_value)
        return LineAmounts(net_amount=net, tax_amount=tax, gross_amount=amount)
    tax = tax_from_net(amount, rate_value)
    return LineAmounts(net_amount=amount, tax_amount=tax, gross_amount=amount + tax)


def lines_total(lines: Iterable[LineAmounts]) -> LineAmounts:
    """A document's totals: the sums of its lines' amounts (never re-rounded)."""
    total = ZERO_AMOUNTS
    for line in lines:
        total = total + line
    return total


def _amount(value: DecimalLike, name: str) -> Decimal:
    amount = to_decimal(value)
    if amount != amount.quantize(CENT):
        raise ValueError(f"{name} {amount} has more than 2 decimal places; round it first")
    return amount
