"""Bad debts (坏账) in figures: the provision matrix by ageing bucket, individual provisions,
what a period-end run posts, and the vouchers of provisions, write-offs and recoveries.

Pure: the services hand in balances, rates and amounts and get figures and voucher lines back.
Each bucket's provision is rounded half up to the fen on its own, as annual reports print them;
the charge is the required provision less the existing balance of 坏账准备, whatever side that
balance is on (a debit balance, left by write-offs beyond the provision, raises the charge).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from suanpan.ledger.calculations import Bucket
from suanpan.ledger.types import Role, RoleLine

SOURCE_PROVISION = "receivables.provisionrun"
SOURCE_WRITEOFF = "receivables.writeoff"
SOURCE_RECOVERY = "receivables.recovery"
EVENT_PROVIDE = "provide"
EVENT_WRITE_OFF = "write_off"
EVENT_WRITE_OFF_REVERSE = "write_off_reverse"
EVENT_RECOVER = "recover"
ZERO = Decimal(0)
FEN = Decimal("0.01")
MAX_RATE = Decimal(1)

# The provision matrix's buckets by age from the posting date: 1年以内, 1–2年, 2–3年, 3–5年,
# 5年以上, the grouping annual reports disclose. The first bucket takes the items not a day old.
PROVISION_BUCKETS = (
    Bucket("within 1 year", -100_000, 365),
    Bucket("1-2 years", 366, 730),
    Bucket("2-3 years", 731, 1095),
    Bucket("3-5 years", 1096, 1825),
    Bucket("over 5 years", 1826, None),
)


def fen(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def bucket_provision(balance: Decimal, rate: Decimal) -> Decimal:
    """A bucket's provision, rounded half up to the fen. A credit balance (red invoices,
    overpayments left on the account) needs no allowance: nothing, not a negative one."""
    if rate < 0 or rate > MAX_RATE:
        raise ValueError("a provision rate lies between 0 and 1")
    if balance <= 0:
        return ZERO
    return fen(balance * rate)


def individual_provision(
    balance: Decimal, *, amount: Decimal | None = None, rate: Decimal | None = None
) -> Decimal:
    """A named customer's provision: a fixed amount, or a rate of what the customer owes,
    never more than it owes (nothing when it owes nothing)."""
    if (amount is None) == (rate is None):
        raise ValueError("an individual provision is an amount or a rate")
    if balance <= 0:
        return ZERO
    if rate is not None:
        return bucket_provision(balance, rate)
    if amount is None or amount < 0:
        raise ValueError("a provision is not negative")
    return min(amount, balance)


@dataclass(frozen=True)
class Cell:
    """One bucket of one rate group (the default rates, or a customer grade's own)."""

    grade: str
    bucket: int
    balance: Decimal
    rate: Decimal

    @property
    def provision(self) -> Decimal:
        return bucket_provision(self.balance, self.rate)


@dataclass(frozen=True)
class Required:
    """What the allowance should be: the matrix's cells plus the named customers'."""

    cells: tuple[Cell, ...]
    individual: tuple[Decimal, ...]

    @property
    def matrix_total(self) -> Decimal:
        return sum((cell.provision for cell in self.cells), ZERO)

    @property
    def matrix_balance(self) -> Decimal:
        return sum((cell.balance for cell in self.cells), ZERO)

    @property
    def individual_total(self) -> Decimal:
        return sum(self.individual, ZERO)

    @property
    def total(self) -> Decimal:
        return self.matrix_total + self.individual_total


def required_provision(cells: Sequence[Cell], individual: Sequence[Decimal] = ()) -> Required:
    return Required(cells=tuple(cells), individual=tuple(individual))


def provision_change(*, required: Decimal, existing: Decimal) -> Decimal:
    """What the run posts: positive charges credit loss, negative releases the provision.
    `existing` is the provision account's balance, credit positive (negative: a debit
    balance)."""
    return required - existing


def provision_lines(change: Decimal, *, summary: str = "") -> tuple[RoleLine, ...]:
    """Dr credit loss / Cr bad-debt provision for an increase; a release is the same event the
    other way round (Dr provision / Cr credit loss), in blue: it is a business event of its own,
    not the correction of an earlier voucher."""
    if change == 0:
        raise ValueError("nothing to post")
    amount = abs(change)
    if change > 0:
        debit, credit = Role.CREDIT_LOSS, Role.BAD_DEBT_PROVISION
    else:
        debit, credit = Role.BAD_DEBT_PROVISION, Role.CREDIT_LOSS
    return (
        RoleLine(role=debit, debit=amount, summary=summary),
        RoleLine(role=credit, credit=amount, summary=summary),
    )


def writeoff_lines(
    *, amount: Decimal, customer_code: str, with_provision: bool, summary: str = ""
) -> tuple[RoleLine, ...]:
    """A confirmed loss taken off the customer's receivable: against the provision under 企业会计
    准则; straight to non-operating expense under 小企业会计准则, which keeps no provision."""
    if amount <= 0:
        raise ValueError("a write-off takes off a positive amount")
    role = Role.BAD_DEBT_PROVISION if with_provision else Role.NON_OPERATING_EXPENSE
    return (
        RoleLine(role=role, debit=amount, summary=summary),
        RoleLine(
            role=Role.RECEIVABLE, credit=amount, dimension_code=customer_code, summary=summary
        ),
    )


def recovery_lines(
    *, amount: Decimal, customer_code: str, with_provision: bool, summary: str = ""
) -> tuple[RoleLine, ...]:
    """Money for a debt written off: 企业会计准则 reinstates the receivable against the provision
    (the cash then comes as an ordinary receipt settling it); 小企业会计准则 takes the money
    straight to non-operating income."""
    if amount <= 0:
        raise ValueError("a recovery brings back a positive amount")
    if with_provision:
        return (
            RoleLine(
                role=Role.RECEIVABLE, debit=amount, dimension_code=customer_code, summary=summary
            ),
            RoleLine(role=Role.BAD_DEBT_PROVISION, credit=amount, summary=summary),
        )
    return (
        RoleLine(role=Role.BANK, debit=amount, summary=summary),
        RoleLine(role=Role.NON_OPERATING_INCOME, credit=amount, summary=summary),
    )
