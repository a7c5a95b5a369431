"""The transfer vouchers of settlements (预收冲应收): Dr customer advance / Cr receivable for
what a settlement takes from advances, one voucher per chunk with a line pair per settlement,
posted with its items already settled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from suanpan.ledger.selectors import (
    open_items_for_source,
)
from suanpan.ledger.services import (
    PostingEvent,
)
from suanpan.receivables.calculations import postings
from suanpan.receivables.models import Settlement
from suanpan.receivables.selectors.sides import (
    customer_accounts,
    in_subtree,
)
from suanpan.receivables.services.settlement_plans import (
    ADVANCE,
    SettlementPlan,
    SideItem,
)

if TYPE_CHECKING:
    from suanpan.customers.models import Customer
    from suanpan.customers.types import CustomerRef
    from suanpan.ledger.models import OpenItem


ZERO = Decimal(0)


def transfer_items(settlement: Settlement, *, undo: bool = False) -> tuple[OpenItem, OpenItem]:
    """The items of the settlement's transfer voucher (its own or a batch's line pair), or of
    its red reversal: (on the advance account, on the receivable account). The transfer
    debits the advance and credits the receivable; the red reversal has the opposite signs."""
    receivable, advance = customer_accounts()
    sign = -1 if undo else 1
    own = open_items_for_source(source_type=postings.SOURCE_SETTLEMENT, source_ids=[settlement.pk])
    on_advance = next(i for i in own if in_subtree(i, advance) and i.amount * sign > 0)
    on_receivable = next(i for i in own if in_subtree(i, receivable) and i.amount * sign < 0)
    return on_advance, on_receivable


def _transfer_summary(number: str, customer: Customer | CustomerRef) -> str:
    return _("Advance applied, settlement %(number)s, %(customer)s") % {
        "number": number,
        "customer": customer.name,
    }


def transfer_event(
    settlement: Settlement, customer: Customer, amount: Decimal, *, undo: bool = False
) -> PostingEvent:
    """The red reversal of one settlement's transfer when the settlement is undone, whichever
    voucher moved the advance (its own or a batch's)."""
    summary = _transfer_summary(settlement.number, customer)
    lines = postings.transfer_lines(amount=amount, customer_code=customer.number, summary=summary)
    return PostingEvent(
        source_type=postings.SOURCE_SETTLEMENT,
        source_id=str(settlement.pk),
        event=postings.EVENT_TRANSFER_UNDO if undo else postings.EVENT_TRANSFER,
        date=settlement.undone_on if undo and settlement.undone_on else settlement.settled_on,
        summary=summary[:200],
        lines=postings.negated(lines) if undo else lines,
        red=undo,
    )


@dataclass(frozen=True)
class Made:
    """A settlement just recorded: its id and number, the plan it settled and its amounts."""

    pk: int
    number: str
    plan: SettlementPlan
    amount: Decimal
    advance_amount: Decimal


@dataclass(frozen=True)
class _Transfer:
    """Where a settlement's advance moves: the transfer event, the line numbers of its Dr
    customer advance and Cr receivable lines, and the advance line's item as the
    settlement's transfer line names it."""

    event_key: str
    advance_line: int
    receivable_line: int
    advance_item: SideItem


# Settlements per batch transfer voucher: two lines each, well inside a voucher's line
# numbers (a small integer).
TRANSFER_PARTS = 1_000


def transfers_post(
    made: Sequence[Made], *, on: date
) -> tuple[list[PostingEvent], dict[int, _Transfer]]:
    """The transfer events for the advances the settlements apply: a settlement alone gets
    a transfer voucher of its own; several share one voucher per 1,000 of them, a line pair
    per settlement on its customer (the same amounts on the same accounts and customers as
    one voucher each). Also, per settlement, where its lines are."""
    events: list[PostingEvent] = []
    found: dict[int, _Transfer] = {}
    for start in range(0, len(made), TRANSFER_PARTS):
        part = made[start : start + TRANSFER_PARTS]
        summaries = [_transfer_summary(one.number, one.plan.customer)[:200] for one in part]
        if len(made) == 1:
            (one,) = part
            event = PostingEvent(
                source_type=postings.SOURCE_SETTLEMENT,
                source_id=str(one.pk),
                event=postings.EVENT_TRANSFER,
                date=on,
                summary=summaries[0],
                lines=postings.transfer_lines(
                    amount=one.advance_amount,
                    customer_code=one.plan.customer.number,
                    summary=summaries[0],
                ),
            )
        else:
            event = PostingEvent(
                source_type=postings.SOURCE_SETTLEMENT_BATCH,
                source_id=str(part[0].pk),
                event=postings.EVENT_TRANSFER,
                date=on,
                summary=(
                    _("Advances applied, settlements %(first)s to %(last)s")
                    % {"first": part[0].number, "last": part[-1].number}
                )[:200],
                lines=postings.batch_transfer_lines(
                    [
                        postings.TransferPart(
                            amount=one.advance_amount,
                            customer_code=one.plan.customer.number,
                            summary=summary,
                            settlement_id=str(one.pk),
                        )
                        for one, summary in zip(part, summaries, strict=True)
                    ]
                ),
            )
        events.append(event)
        for index, (one, summary) in enumerate(zip(part, summaries, strict=True)):
            advance_item = SideItem(
                0,
                one.plan.customer.number,
                one.advance_amount,
                one.advance_amount,
                ADVANCE,
                postings.SOURCE_SETTLEMENT,
                str(one.pk),
                summary,
            )
            found[one.pk] = _Transfer(event.key, 2 * index + 1, 2 * index + 2, advance_item)
    return events, found
