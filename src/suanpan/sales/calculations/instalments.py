"""Pure maths of contract payment plans: instalment amounts that sum to the contract. No Django
here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from suanpan.core.money import DecimalLike, allocate, round_amount, to_decimal

__all__ = ["InstalmentShare", "instalment_amounts"]


@dataclass(frozen=True, slots=True)
class InstalmentShare:
    """An instalment as entered: a percentage (fraction) of the contract, or a fixed amount."""

    percentage: Decimal | None = None
    amount: Decimal | None = None


def instalment_amounts(total: DecimalLike, shares: Sequence[InstalmentShare]) -> list[Decimal]:
    """The amount of each instalment, summing exactly to `total`.

    All by percentage: the percentages must sum to 1 and the rounding remainder goes on the last
    instalment (`money.allocate`). All by amount: they must sum to `total`. A plan mixing both
    is refused: nobody could check it against the contract at a glance.
    """
    total_amount = to_decimal(total)
    if not shares:
        raise ValueError("a payment plan needs at least one instalment")
    if total_amount <= 0:
        raise ValueError("the contract amount must be positive")
    by_percentage = [share.percentage is not None for share in shares]
    if all(by_percentage):
        percentages = [to_decimal(share.percentage) for share in shares]
        if any(p <= 0 for p in percentages):
            raise ValueError("every percentage must be positive")
        if sum(percentages) != 1:
            raise ValueError(f"percentages sum to {sum(percentages)}, not 100%")
        return allocate(total_amount, percentages)
    if any(by_percentage):
        raise ValueError("give every instalment a percentage, or every instalment an amount")
    amounts = [round_amount(to_decimal(share.amount)) for share in shares]
    if any(a <= 0 for a in amounts):
        raise ValueError("every instalment amount must be positive")
    if sum(amounts) != total_amount:
        raise ValueError(f"instalments sum to {sum(amounts)}, not {total_amount}")
    return amounts
