"""Where a payment plan's instalment stands, from its figures: pure, no Django.

Received in full comes first; an instalment past its due date with money still to come is
overdue whether or not it was invoiced (the customer is late either way); otherwise invoiced in
full, else due within the reminder window, else not due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO = Decimal(0)

NOT_DUE = "not_due"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
INVOICED = "invoiced"
RECEIVED = "received"


@dataclass(frozen=True)
class PlanFigures:
    """An instalment's planned, invoiced (net of red letters) and received amounts, what is
    still to come, its status and how many days it is overdue (0 when it is not)."""

    planned: Decimal
    invoiced: Decimal
    received: Decimal
    open: Decimal
    status: str
    days_overdue: int


def plan_figures(
    *,
    planned: Decimal,
    invoiced: Decimal,
    received: Decimal,
    due_on: date,
    today: date,
    remind_days: int,
) -> PlanFigures:
    # A red letter matched against another instalment's invoice cannot make money go back.
    received = max(received, ZERO)
    invoiced = max(invoiced, ZERO)
    open_amount = max(planned - received, ZERO)
    days_overdue = 0
    if open_amount == 0:
        status = RECEIVED
    elif due_on < today:
        status = OVERDUE
        days_overdue = (today - due_on).days
    elif invoiced >= planned:
        status = INVOICED
    elif (due_on - today).days <= remind_days:
        status = DUE_SOON
    else:
        status = NOT_DUE
    return PlanFigures(
        planned=planned,
        invoiced=invoiced,
        received=received,
        open=open_amount,
        status=status,
        days_overdue=days_overdue,
    )
