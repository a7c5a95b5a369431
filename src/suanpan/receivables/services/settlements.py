"""Settling (核销) a customer's debits against its credits, automatically or by hand, and
undoing it.

The ledger keeps the matches (`open_item_match`, which locks both items and refuses more than
either has open, also when requests race); a settlement records which matches one act made, so
it can be shown and undone as one. The customer row is locked first (docs/locking.md), so two
settlements of one customer run one after the other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import NotFound
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.core.templatetags.money import amount_text as money_text
from suanpan.customers.selectors import customer_is_visible, customer_locked
from suanpan.ledger.errors import OpenItemMatchExceeds, OpenItemMatchInvalid
from suanpan.ledger.selectors import (
    dimension_by_code,
    open_items_for_source,
    open_items_get,
)
from suanpan.ledger.services import (
    PostingEvent,
    business_dates_require,
    open_item_match,
    open_item_unmatch,
    posting_post,
)
from suanpan.receivables.calculations import postings
from suanpan.receivables.choices import AutoMatchRule, SettlementKind
from suanpan.receivables.errors import SettlementExceeds, SettlementInvalid, SettlementUndone
from suanpan.receivables.models import Settlement, SettlementLine
from suanpan.receivables.selectors.receipts import receipt_reference_texts
from suanpan.receivables.selectors.sides import (
    customer_accounts,
    in_subtree,
    open_sides,
)
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.customers.models import Customer
    from suanpan.ledger.models import Account, OpenItem

ZERO = Decimal(0)
SERIES = "HX"


@dataclass(frozen=True)
class Pair:
    """Settle `amount` of the debit item (an invoice's instalment, a refund) with the credit
    item (a receipt, an advance, a red invoice)."""

    debit_item_id: int
    credit_item_id: int
    amount: Decimal


def _invalid(reason: str) -> SettlementInvalid:
    return SettlementInvalid(reason=reason)


def item_label(item: OpenItem) -> str:
    return (item.summary or item.voucher_number)[:200]


def _number(on: date) -> str:
    return number_next(series=SERIES, period=on.strftime("%Y%m"))


def customer_for(actor: User, customer_id: int) -> Customer:
    if not customer_is_visible(user=actor, customer_id=customer_id):
        raise NotFound()
    return customer_locked(pk=customer_id)


def _items_checked(
    customer: Customer, pairs: Sequence[Pair]
) -> tuple[dict[int, OpenItem], Account | None]:
    """The pairs' items, each the customer's, debits on the receivable account, credits on it
    or on the advance account; what the pairs take of an item within what it has open."""
    if not pairs:
        raise _invalid(_("choose what to settle"))
    receivable, advance = customer_accounts()
    dimension = dimension_by_code(code=customer.number)
    items = open_items_get(pks=[p.debit_item_id for p in pairs] + [p.credit_item_id for p in pairs])
    taken: dict[int, Decimal] = defaultdict(Decimal)
    for pair in pairs:
        debit, credit = items.get(pair.debit_item_id), items.get(pair.credit_item_id)
        if debit is None or credit is None or dimension is None:
            raise NotFound()
        if debit.dimension_id != dimension.pk or credit.dimension_id != dimension.pk:
            raise NotFound()
        if pair.amount <= 0:
            raise _invalid(_("every amount must be positive"))
        if debit.amount <= 0 or not in_subtree(debit, receivable):
            raise _invalid(_("%(item)s is not an amount owed") % {"item": item_label(debit)})
        if credit.amount >= 0 or not (
            in_subtree(credit, receivable) or in_subtree(credit, advance)
        ):
            raise _invalid(_("%(item)s is not a credit") % {"item": item_label(credit)})
        taken[debit.pk] += pair.amount
        taken[credit.pk] += pair.amount
    for pk, amount in taken.items():
        item = items[pk]
        if amount > abs(item.open_amount):
            raise SettlementExceeds(
                document=item_label(item),
                open=money_text(abs(item.open_amount)),
                amount=money_text(amount),
            )
    return items, advance


def _match(
    settlement: Settlement,
    debit: OpenItem,
    credit: OpenItem,
    amount: Decimal,
    *,
    actor: User,
    is_transfer: bool = False,
) -> SettlementLine:
    try:
        match = open_item_match(
            actor=actor,
            debit_item=debit,
            credit_item=credit,
            amount=amount,
            on=settlement.settled_on,
        )
    except OpenItemMatchExceeds as exc:
        # Another settlement took the item's open amount since the checks above.
        raise SettlementExceeds(
            document=item_label(debit), open=exc.params.get("open", ""), amount=money_text(amount)
        ) from exc
    except OpenItemMatchInvalid as exc:
        raise _invalid(exc.params.get("reason", exc.message)) from exc
    return SettlementLine(
        settlement=settlement,
        match=match,
        amount=amount,
        debit_source_type=debit.source_type,
        debit_source_id=debit.source_id,
        debit_label=item_label(debit),
        credit_source_type=credit.source_type,
        credit_source_id=credit.source_id,
        credit_label=item_label(credit),
        is_transfer=is_transfer,
    )


def _transfer_items(settlement: Settlement, *, undo: bool = False) -> tuple[OpenItem, OpenItem]:
    """The items of the settlement's transfer voucher, or of its red reversal: (on the advance
    account, on the receivable account). The transfer debits the advance and credits the
    receivable; the red reversal has the opposite signs."""
    receivable, advance = customer_accounts()
    sign = -1 if undo else 1
    items = open_items_for_source(
        source_type=postings.SOURCE_SETTLEMENT, source_ids=[settlement.pk]
    )
    on_advance = next(i for i in items if in_subtree(i, advance) and i.amount * sign > 0)
    on_receivable = next(i for i in items if in_subtree(i, receivable) and i.amount * sign < 0)
    return on_advance, on_receivable


def _transfer_post(
    settlement: Settlement, customer: Customer, amount: Decimal, *, actor: User, undo: bool = False
) -> None:
    summary = _("Advance applied, settlement %(number)s, %(customer)s") % {
        "number": settlement.number,
        "customer": customer.name,
    }
    lines = postings.transfer_lines(amount=amount, customer_code=customer.number, summary=summary)
    posting_post(
        event=PostingEvent(
            source_type=postings.SOURCE_SETTLEMENT,
            source_id=str(settlement.pk),
            event=postings.EVENT_TRANSFER_UNDO if undo else postings.EVENT_TRANSFER,
            date=settlement.undone_on if undo and settlement.undone_on else settlement.settled_on,
            summary=summary[:200],
            lines=postings.negated(lines) if undo else lines,
            red=undo,
        ),
        actor=actor,
    )


def settle_pairs(
    customer: Customer,
    pairs: Sequence[Pair],
    *,
    on: date,
    kind: str,
    actor: User,
    notes: str = "",
    receipt_id: int | None = None,
) -> Settlement:
    """Record a numbered settlement of the pairs and make their matches, inside the caller's
    transaction. Credits on the advance account first move to the receivable account with one
    transfer voucher."""
    items, advance = _items_checked(customer, pairs)
    from_advance = [p for p in pairs if in_subtree(items[p.credit_item_id], advance)]
    advance_total = sum((p.amount for p in from_advance), ZERO)
    settlement = Settlement.objects.create(
        number=_number(on),
        customer=customer,
        settled_on=on,
        kind=kind,
        amount=sum((p.amount for p in pairs), ZERO),
        advance_amount=advance_total,
        receipt_id=receipt_id,
        notes=notes.strip()[:300],
        created_by=actor,
    )
    lines: list[SettlementLine] = []
    transferred: OpenItem | None = None
    if advance_total:
        _transfer_post(settlement, customer, advance_total, actor=actor)
        advance_debit, transferred = _transfer_items(settlement)
        taken: dict[int, Decimal] = defaultdict(Decimal)
        for pair in from_advance:
            taken[pair.credit_item_id] += pair.amount
        for credit_id, amount in taken.items():
            lines.append(
                _match(
                    settlement,
                    advance_debit,
                    items[credit_id],
                    amount,
                    actor=actor,
                    is_transfer=True,
                )
            )
    for pair in pairs:
        credit = items[pair.credit_item_id]
        if transferred is not None and in_subtree(credit, advance):
            line = _match(
                settlement, items[pair.debit_item_id], transferred, pair.amount, actor=actor
            )
            # The debit was settled by the advance the transfer moved: say so.
            line.credit_source_type = credit.source_type
            line.credit_source_id = credit.source_id
            line.credit_label = item_label(credit)
        else:
            line = _match(settlement, items[pair.debit_item_id], credit, pair.amount, actor=actor)
        lines.append(line)
    SettlementLine.objects.bulk_create(lines)
    return settlement


@audited
@transaction.atomic
def settlement_make(
    *,
    customer_id: int,
    pairs: Sequence[Pair],
    actor: User,
    on: date | None = None,
    notes: str = "",
) -> Settlement:
    """Settle what the user chose, with partial amounts: all of it or nothing."""
    permission_require(actor, "receivables.add_settlement")
    on = on or timezone.localdate()
    business_dates_require({"on": on})
    customer = customer_for(actor, customer_id)
    return settle_pairs(
        customer, pairs, on=on, kind=SettlementKind.MANUAL, actor=actor, notes=notes
    )


def auto_pairs(
    debits: Sequence[tuple[int, Decimal, str]],
    credits: Sequence[tuple[int, Decimal, str]],
    *,
    rule: str,
) -> list[Pair]:
    """Pairs that settle open debits (id, open amount, text naming it) with open credits (id,
    open amount as a positive number, its reference text), the debits in the order given
    (oldest due first). By reference, a credit first settles the debits its reference names
    (an invoice or order number in a receipt's remark), then the rest oldest first."""
    left_debit = {pk: amount for pk, amount, _text in debits}
    pairs: list[Pair] = []

    def take(credit_id: int, room: Decimal, debit_ids: Sequence[int]) -> Decimal:
        for debit_id in debit_ids:
            if room <= 0:
                break
            amount = min(room, left_debit[debit_id])
            if amount > 0:
                pairs.append(Pair(debit_id, credit_id, amount))
                left_debit[debit_id] -= amount
                room -= amount
        return room

    order = [pk for pk, _amount, _text in debits]
    for credit_id, amount, reference in credits:
        room = amount
        if rule == AutoMatchRule.REFERENCE and reference.strip():
            named = [pk for pk, _a, text in debits if text and text in reference]
            room = take(credit_id, room, named)
        take(credit_id, room, order)
    return pairs


@audited
@transaction.atomic
def settlement_auto(
    *,
    customer_id: int,
    actor: User,
    rule: str = AutoMatchRule.OLDEST_DUE,
    on: date | None = None,
) -> Settlement | None:
    """Settle a customer's open debits with its open credits (receipts, advances, red
    invoices), oldest due first or by reference. None when nothing could be settled."""
    permission_require(actor, "receivables.add_settlement")
    if rule not in AutoMatchRule.values:
        raise _invalid(_("choose how to match"))
    on = on or timezone.localdate()
    business_dates_require({"on": on})
    customer = customer_for(actor, customer_id)
    debits, credits = open_sides(customer)
    # Items posted after the settlement date cannot be settled on it.
    debit_rows = [
        (row.pk, row.open_amount, document_reference(row.summary))
        for row in debits
        if row.posted_on <= on
    ]
    references = receipt_reference_texts(
        [row.source_id for row in credits if row.source_type == postings.SOURCE_RECEIPT]
    )
    credit_rows = [
        (row.pk, -row.open_amount, references.get(row.source_id, ""))
        for row in credits
        if row.posted_on <= on
    ]
    pairs = auto_pairs(debit_rows, credit_rows, rule=rule)
    if not pairs:
        return None
    return settle_pairs(customer, pairs, on=on, kind=SettlementKind.AUTOMATIC, actor=actor)


def document_reference(summary: str) -> str:
    """The document number in an item's summary ("Invoice 2644…, ACME" → "2644…"): what a
    receipt's remark may name."""
    head = summary.split(",", 1)[0].strip()
    return head.rsplit(" ", 1)[-1] if " " in head else head


@audited
@transaction.atomic
def settlement_undo(*, settlement: Settlement, actor: User, on: date | None = None) -> Settlement:
    """Undo a settlement: its matches undone (dated, so history as of earlier dates stays),
    its advance transfer reversed in red and matched off, so everything it settled is open
    again."""
    permission_require(actor, "receivables.undo_settlement")
    on = on or timezone.localdate()
    business_dates_require({"on": on})
    customer = customer_for(actor, settlement.customer_id)
    settlement = for_update(Settlement.objects.all()).get(pk=settlement.pk)
    if settlement.undone_on is not None:
        raise SettlementUndone(number=settlement.number)
    if on < settlement.settled_on:
        raise _invalid(
            _("a settlement cannot be undone before %(date)s")
            % {"date": settlement.settled_on.isoformat()}
        )
    for line in settlement.lines.select_related("match").order_by("pk"):
        if line.match.undone_on is None:
            open_item_unmatch(actor=actor, match=line.match, on=on)
    settlement.undone_on = on
    settlement.undone_by = actor
    settlement.save(update_fields=["undone_on", "undone_by"])
    if settlement.advance_amount:
        _transfer_post(settlement, customer, settlement.advance_amount, actor=actor, undo=True)
        advance_debit, transferred = _transfer_items(settlement)
        red_advance, red_receivable = _transfer_items(settlement, undo=True)
        amount = settlement.advance_amount
        # The red items cancel the transfer's: both sides of the transfer closed on the day.
        open_item_match(
            actor=actor, debit_item=advance_debit, credit_item=red_advance, amount=amount, on=on
        )
        open_item_match(
            actor=actor, debit_item=red_receivable, credit_item=transferred, amount=amount, on=on
        )
    return settlement
