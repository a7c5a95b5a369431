"""Fapiao lines as the tax platform takes them, and the checks a line passes before it leaves.

Amounts follow DESIGN.md: rounded half up per line; with prices including tax the gross is
split (价税分离), otherwise the tax is the net times the rate. A discount (折扣金额) is printed by
the platform as its own negative line at the same rate, so the tax of a discounted line is the
tax of the amount less the tax of the discount, each rounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from stdnum.cn import uscc

from suanpan.core.money import CENT, divide
from suanpan.core.tax import VAT_RATES, LineAmounts, split_gross, tax_from_net

__all__ = [
    "LINE_LIMIT",
    "MAX_FILE_LINES",
    "TAX_CODE_LENGTH",
    "TAX_TOLERANCE",
    "FapiaoLineInput",
    "fapiao_line_amounts",
    "line_problems",
    "tax_code_valid",
    "taxpayer_number_valid",
    "unit_price_net",
]

# Per invoice, the detail lines a 数电 invoice may carry; per batch file, the template's note:
# above 2,000 detail lines an import may fail, above 5,000 it cannot be issued.
LINE_LIMIT = 2000
MAX_FILE_LINES = 2000
TAX_CODE_LENGTH = 19
# How far a line's tax may stand from amount × rate before the platform refuses it (the
# platform's rule is 0.06 yuan per line; tax worked out here is always within 0.01).
TAX_TOLERANCE = Decimal("0.06")
_TAX_CODE = re.compile(r"^\d{19}$")


@dataclass(frozen=True, slots=True)
class FapiaoLineInput:
    """A line as entered: the amount is in the document's basis (gross when prices include tax);
    quantity and unit price may be left out (services billed as one sum)."""

    amount: Decimal
    vat_rate_key: str
    discount: Decimal = Decimal(0)


def fapiao_line_amounts(line: FapiaoLineInput, *, price_includes_tax: bool) -> LineAmounts:
    """Net, tax and gross of one line after its discount, rounded per line."""
    if line.amount <= 0:
        raise ValueError("amount must be positive")
    if line.discount < 0 or line.discount >= line.amount:
        raise ValueError("discount must be at least zero and below the amount")
    if line.amount != line.amount.quantize(CENT) or line.discount != line.discount.quantize(CENT):
        raise ValueError("amounts are in fen")
    rate = VAT_RATES[line.vat_rate_key]
    if price_includes_tax:
        net, tax = split_gross(line.amount, rate)
        discount_net, discount_tax = split_gross(line.discount, rate)
        return LineAmounts(
            net_amount=net - discount_net,
            tax_amount=tax - discount_tax,
            gross_amount=line.amount - line.discount,
        )
    tax = tax_from_net(line.amount, rate) - tax_from_net(line.discount, rate)
    net = line.amount - line.discount
    return LineAmounts(net_amount=net, tax_amount=tax, gross_amount=net + tax)


def unit_price_net(
    net_amount: Decimal, quantity: Decimal | None, *, places: int = 6
) -> Decimal | None:
    """The unit price excluding tax a line prints: its amount over its quantity."""
    if not quantity:
        return None
    return divide(net_amount, quantity, places=places)


def tax_code_valid(code: str) -> bool:
    """商品和服务税收分类编码: 19 digits, kept as text."""
    return bool(_TAX_CODE.match(code))


def line_problems(
    *, tax_code: str, vat_rate_key: str, net_amount: Decimal, tax_amount: Decimal
) -> list[str]:
    """Why the platform would refuse a line, as short English keys the services translate:
    `tax_code` (not 19 digits), `rate` (not a rate the platform takes), `tax` (beyond tolerance)."""
    problems = []
    if not tax_code_valid(tax_code):
        problems.append("tax_code")
    rate = VAT_RATES.get(vat_rate_key)
    if rate is None:
        problems.append("rate")
    elif (
        abs(tax_amount - tax_from_net(abs(net_amount), rate) * (1 if net_amount >= 0 else -1))
        > TAX_TOLERANCE
    ):
        problems.append("tax")
    return problems


_OLD_TIN = re.compile(r"^[0-9A-Z]{15}$|^[0-9A-Z]{17}$|^[0-9A-Z]{20}$")


def taxpayer_number_valid(value: str) -> bool:
    """纳税人识别号: an 18-character unified social credit code with a good check character, or
    one of the older 15, 17 or 20-character numbers still printed on invoices."""
    value = value.strip().upper()
    if len(value) == 18:
        return bool(uscc.is_valid(value))
    return bool(_OLD_TIN.match(value))
