"""Period-end transfers (期末结转) as plain maths: the lines that empty accounts into another, the
amounts a transfer template's rules give, and what is left to post after earlier runs.

Balances are signed, debit positive. A transfer voucher is not a red voucher, so its amounts
are never negative: a balance on the unusual side (revenue with a debit balance after returns,
an expense with a credit balance) is moved out from the other side, with a positive amount.
Amounts a rate gives are rounded half up to the fen (四舍五入), each line on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from suanpan.ledger.calculations.lines import ZERO

CENT = Decimal("0.01")
DEBIT = "debit"
CREDIT = "credit"
# How a template line finds its amount (the values of choices.TransferBasis).
BALANCE = "balance"
MOVEMENT = "movement"
WHOLE_BALANCE = "whole_balance"
BALANCING = "balancing"
PERCENTAGE_BASES = (BALANCE, MOVEMENT)

# An account and a customer (None: no customer): what a balance and a transfer line belong to.
Key = tuple[int, int | None]


@dataclass(frozen=True)
class TransferLine:
    """One line of a transfer voucher: an account, maybe a customer, one positive amount."""

    account_id: int
    dimension_id: int | None
    debit: Decimal
    credit: Decimal
    summary: str = ""


def line_of(key: Key, amount: Decimal, summary: str = "") -> TransferLine | None:
    """The line that posts `amount` (debit positive) to `key`; None for nothing."""
    if amount > 0:
        return TransferLine(key[0], key[1], amount, ZERO, summary)
    if amount < 0:
        return TransferLine(key[0], key[1], ZERO, -amount, summary)
    return None


def round_fen(amount: Decimal) -> Decimal:
    """Half up to the fen: 0.125 → 0.13, -0.125 → -0.13."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def closing_lines(
    balances: Iterable[tuple[Key, Decimal]],
    *,
    counterpart: Callable[[int], int],
    summaries: Mapping[str, str] | None = None,
) -> list[TransferLine]:
    """Lines that bring every balance to zero and put the total on each account's
    `counterpart` (本年利润 for profit and loss): debits first, then credits.

    The counterpart takes one line per side: what the emptied accounts gave on the debit side
    it takes on the credit side, and the other way round, so 本年利润 shows income and expenses
    apart. `summaries` names the counterpart's credit and debit lines ("credit"/"debit").
    """
    summaries = summaries or {}
    debits: list[TransferLine] = []
    credits: list[TransferLine] = []
    taken: dict[tuple[int, str], Decimal] = {}
    for key, balance in balances:
        line = line_of(key, -balance)
        if line is None:
            continue
        target = counterpart(key[0])
        if line.debit:
            debits.append(line)
            taken[(target, CREDIT)] = taken.get((target, CREDIT), ZERO) + line.debit
        else:
            credits.append(line)
            taken[(target, DEBIT)] = taken.get((target, DEBIT), ZERO) + line.credit
    # The counterpart sits between the two sides: Dr income, Dr 本年利润 / Cr 本年利润, Cr costs.
    counter_debits, counter_credits = [], []
    for (account_id, side), amount in taken.items():
        summary = summaries.get(side, "")
        if side == CREDIT:
            counter_credits.append(TransferLine(account_id, None, ZERO, amount, summary))
        else:
            counter_debits.append(TransferLine(account_id, None, amount, ZERO, summary))
    return debits + counter_debits + counter_credits + credits


def vat_payable(balance: Decimal) -> Decimal:
    """What 应交增值税 moves to 未交增值税: its credit balance; a debit balance is 留抵 (input VAT
    carried to next month), nothing."""
    return max(-balance, ZERO)


@dataclass(frozen=True)
class RuleLine:
    """A template line with the figure its basis reads.

    `base` is, for a percentage of a balance or movement, that figure on the read account's
    own side (a credit balance of 2221.02 is positive); for a whole balance, the line
    account's balance on the side this line clears (a debit balance for a credit line); zero
    for the balancing line.
    """

    account_id: int
    direction: str
    basis: str
    base: Decimal
    rate: Decimal | None = None
    summary: str = ""
    source_id: int | None = None  # the account a percentage reads


@dataclass(frozen=True)
class RuleAmounts:
    """What a template's lines come to, each signed (debit positive), in the template's order."""

    amounts: tuple[Decimal, ...]

    @property
    def debit(self) -> Decimal:
        return sum((a for a in self.amounts if a > 0), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((-a for a in self.amounts if a < 0), ZERO)

    @property
    def is_balanced(self) -> bool:
        return sum(self.amounts, ZERO) == 0


def rule_amounts(lines: Sequence[RuleLine]) -> RuleAmounts:
    """Each line's amount: the rate of its base rounded to the fen, or the whole base, on the
    line's side; the balancing line (at most one) takes what the others leave unbalanced."""
    amounts: list[Decimal | None] = []
    for line in lines:
        if line.basis == BALANCING:
            amounts.append(None)
            continue
        amount = (
            line.base if line.basis == WHOLE_BALANCE else round_fen(line.base * (line.rate or 0))
        )
        amounts.append(amount if line.direction == DEBIT else -amount)
    rest = -sum((a for a in amounts if a is not None), ZERO)
    return RuleAmounts(tuple(rest if a is None else a for a in amounts))


def rules_problem(lines: Sequence[RuleLine]) -> str | None:
    """Why a template's lines cannot give a balanced voucher whatever the books hold, or None.

    At most one balancing line, and some other line. Without one, no whole-balance line (its
    amount is whatever the books hold), and each figure read (basis and account) is taken at
    the same total rate on both sides, so the voucher balances but for rounding.
    """
    if len(lines) < 2:
        return "too_few"
    balancing = [line for line in lines if line.basis == BALANCING]
    if len(balancing) > 1:
        return "two_balancing"
    if len(balancing) == len(lines):
        return "only_balancing"
    if balancing:
        return None
    if any(line.basis == WHOLE_BALANCE for line in lines):
        return "whole_without_balancing"
    sums: dict[tuple[str, int | None], Decimal] = {}
    for line in lines:
        key = (line.basis, line.source_id)
        rate = line.rate or Decimal(0)
        sums[key] = sums.get(key, Decimal(0)) + (rate if line.direction == DEBIT else -rate)
    if any(total != 0 for total in sums.values()):
        return "rates_differ"
    return None


def remaining_lines(
    target: Iterable[tuple[Key, Decimal, str]], posted: Mapping[Key, Decimal]
) -> list[TransferLine]:
    """What is left to post: the target amounts (debit positive, per account and customer, in
    order) less what earlier runs posted; a key posted before and no longer wanted is taken
    back. Nothing when the books already hold the target. Debits first (先借后贷)."""
    wanted: dict[Key, Decimal] = {}
    summaries: dict[Key, str] = {}
    for key, amount, summary in target:
        wanted[key] = wanted.get(key, ZERO) + amount
        summaries.setdefault(key, summary)
    for key in posted:
        wanted.setdefault(key, ZERO)
    lines = []
    for key, amount in wanted.items():
        line = line_of(key, amount - posted.get(key, ZERO), summaries.get(key, ""))
        if line is not None:
            lines.append(line)
    lines.sort(key=lambda line: line.debit == 0)
    return lines
