"""What receipts and settlements post, in account roles (DESIGN.md "What posts what").

Pure: the services hand in amounts and the customer's number and get voucher lines back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from suanpan.ledger.types import Role, RoleLine

SOURCE_RECEIPT = "receivables.receipt"
SOURCE_SETTLEMENT = "receivables.settlement"
# One transfer voucher for the advances a batch of settlements applies (自动核销).
SOURCE_SETTLEMENT_BATCH = "receivables.settlement_batch"
SOURCE_REFUND = "receivables.refund"
EVENT_REFUND = "refund"
EVENT_RECEIVE = "receive"
EVENT_CANCEL = "cancel"
EVENT_TRANSFER = "transfer"
EVENT_TRANSFER_UNDO = "transfer_undo"
ZERO = Decimal(0)

# Where the money is, by how it came: an acceptance bill is a note receivable until it is
# presented; cash is cash; transfers and the payment platforms land in the bank.
METHOD_ROLES = {
    "acceptance_bill": Role.NOTES_RECEIVABLE,
    "cash": Role.CASH,
}


def money_role(method: str) -> str:
    return METHOD_ROLES.get(method, Role.BANK)


def receipt_lines(
    *,
    method: str,
    amount: Decimal,
    settled: Decimal,
    customer_code: str,
    summary: str = "",
) -> tuple[RoleLine, ...]:
    """Dr money / Cr receivable for what the receipt settles now, Cr customer advance for the
    rest (预收). A cancelled receipt posts the same lines in red."""
    if amount <= 0 or settled < 0 or settled > amount:
        raise ValueError("a receipt settles between nothing and its whole amount")
    lines = [RoleLine(role=money_role(method), debit=amount, summary=summary)]
    if settled:
        lines.append(
            RoleLine(
                role=Role.RECEIVABLE, credit=settled, dimension_code=customer_code, summary=summary
            )
        )
    if amount - settled:
        lines.append(
            RoleLine(
                role=Role.CUSTOMER_ADVANCE,
                credit=amount - settled,
                dimension_code=customer_code,
                summary=summary,
            )
        )
    return tuple(lines)


def transfer_lines(
    *, amount: Decimal, customer_code: str, summary: str = ""
) -> tuple[RoleLine, ...]:
    """Applying an advance to what the customer owes: Dr customer advance / Cr receivable."""
    if amount <= 0:
        raise ValueError("a transfer moves a positive amount")
    return (
        RoleLine(
            role=Role.CUSTOMER_ADVANCE, debit=amount, dimension_code=customer_code, summary=summary
        ),
        RoleLine(
            role=Role.RECEIVABLE, credit=amount, dimension_code=customer_code, summary=summary
        ),
    )


@dataclass(frozen=True)
class TransferPart:
    """One settlement's share of a batch transfer: the advance it applies, its customer, the
    line summary naming it, and the settlement the lines' open items belong to."""

    amount: Decimal
    customer_code: str
    summary: str
    settlement_id: str


def batch_transfer_lines(parts: Sequence[TransferPart]) -> tuple[RoleLine, ...]:
    """Advances applied by many settlements in one voucher, as an accountant writes a batch
    预收冲应收: per settlement the same line pair as `transfer_lines` (Dr customer advance / Cr
    receivable, on its customer), each line's open item belonging to that settlement."""
    lines: list[RoleLine] = []
    for part in parts:
        if part.amount <= 0:
            raise ValueError("a transfer moves a positive amount")
        for role, debit, credit in (
            (Role.CUSTOMER_ADVANCE, part.amount, ZERO),
            (Role.RECEIVABLE, ZERO, part.amount),
        ):
            lines.append(
                RoleLine(
                    role=role,
                    debit=debit,
                    credit=credit,
                    dimension_code=part.customer_code,
                    summary=part.summary,
                    source_type=SOURCE_SETTLEMENT,
                    source_id=part.settlement_id,
                )
            )
    return tuple(lines)


def refund_lines(
    *,
    method: str,
    from_advance: Decimal,
    from_receivable: Decimal,
    customer_code: str,
    summary: str = "",
) -> tuple[RoleLine, ...]:
    """Money paid back (退款): Dr customer advance for what comes out of advances, Dr
    receivable for what comes out of credits on the receivable account (an overpayment, a red
    letter) / Cr bank, or cash when paid in cash."""
    if from_advance < 0 or from_receivable < 0 or not from_advance + from_receivable:
        raise ValueError("a refund pays back a positive amount")
    lines = [
        RoleLine(role=role, debit=amount, dimension_code=customer_code, summary=summary)
        for role, amount in (
            (Role.CUSTOMER_ADVANCE, from_advance),
            (Role.RECEIVABLE, from_receivable),
        )
        if amount
    ]
    lines.append(
        RoleLine(role=money_role(method), credit=from_advance + from_receivable, summary=summary)
    )
    return tuple(lines)


def negated(lines: tuple[RoleLine, ...]) -> tuple[RoleLine, ...]:
    """The same lines in red: what cancels a posted receipt or transfer."""
    return tuple(
        RoleLine(
            role=line.role,
            debit=-line.debit,
            credit=-line.credit,
            dimension_code=line.dimension_code,
            dimension_kind=line.dimension_kind,
            summary=line.summary,
            due_on=line.due_on,
        )
        for line in lines
    )
