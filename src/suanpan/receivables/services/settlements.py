"""Settling (核销) a customer's debits against its credits, automatically or by hand, and
undoing it.

The ledger keeps the matches (`open_item_match`, which locks both items and refuses more than
either has open, also when requests race); a settlement records which matches one act made, so
it can be shown and undone as one. The customer row is locked first (docs/locking.md), so two
settlements of one customer run one after the other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from suanpan.core.audit import audited
from suanpan.core.errors import DomainError, NotFound
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_format, sequence_reserve
from suanpan.core.templatetags.money import amount_text as money_text
from suanpan.customers.selectors import (
    customer_groups_by_number,
    customer_is_visible,
    customer_locked,
    customers_locked,
)
from suanpan.ledger.choices import DimensionKind
from suanpan.ledger.errors import OpenItemMatchExceeds, OpenItemMatchInvalid
from suanpan.ledger.selectors import (
    OpenItemRow,
    open_item_dimensions,
    open_items_for_source,
    open_items_get,
)
from suanpan.ledger.services import (
    PostingEvent,
    business_dates_require,
    open_item_match,
    open_item_unmatch,
    open_items_match_many,
    posting_post,
    posting_post_batch,
)
from suanpan.ledger.types import ItemMatch
from suanpan.receivables.calculations import postings
from suanpan.receivables.choices import AutoMatchRule, SettlementKind
from suanpan.receivables.errors import SettlementExceeds, SettlementInvalid, SettlementUndone
from suanpan.receivables.models import Settlement, SettlementLine
from suanpan.receivables.selectors.receipts import receipt_reference_texts
from suanpan.receivables.selectors.sides import (
    customer_accounts,
    in_subtree,
    open_sides,
    open_sides_many,
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


def customer_for(actor: User, customer_id: int) -> Customer:
    if not customer_is_visible(user=actor, customer_id=customer_id):
        raise NotFound()
    return customer_locked(pk=customer_id)


@dataclass(frozen=True)
class SettlementPlan:
    """One settlement to make: a customer (locked by the caller) and the pairs it settles."""

    customer: Customer
    pairs: Sequence[Pair]
    receipt_id: int | None = None
    notes: str = ""


def _items_checked(plans: Sequence[SettlementPlan]) -> tuple[dict[int, OpenItem], Account | None]:
    """The pairs' items, each its plan's customer's, debits on the receivable account, credits
    on it or on the advance account; what the pairs take of an item within what it has open."""
    if not plans or any(not plan.pairs for plan in plans):
        raise _invalid(_("choose what to settle"))
    receivable, advance = customer_accounts()
    items = open_items_get(
        pks=[pk for plan in plans for p in plan.pairs for pk in (p.debit_item_id, p.credit_item_id)]
    )
    taken: dict[int, Decimal] = defaultdict(Decimal)
    for plan in plans:
        for pair in plan.pairs:
            debit, credit = items.get(pair.debit_item_id), items.get(pair.credit_item_id)
            if debit is None or credit is None:
                raise NotFound()
            for item in (debit, credit):
                if (item.dimension.kind, item.dimension.code) != (
                    DimensionKind.CUSTOMER,
                    plan.customer.number,
                ):
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


@dataclass
class _LineToMake:
    """A settlement line waiting for its match: the match's pair and the documents shown."""

    settlement: Settlement
    pair: ItemMatch
    debit: OpenItem
    credit: OpenItem
    is_transfer: bool = False


def _matches_make(lines: Sequence[_LineToMake], *, on: date, actor: User) -> None:
    """Make every line's match at once and record the lines."""
    try:
        matches = open_items_match_many(actor=actor, pairs=[line.pair for line in lines], on=on)
    except OpenItemMatchExceeds as exc:
        # Another settlement took an item's open amount since the checks.
        debit = next(
            (line.debit for line in lines if line.debit.pk == exc.params.get("debit_item_id")),
            lines[0].debit,
        )
        raise SettlementExceeds(
            document=item_label(debit),
            open=exc.params.get("open", ""),
            amount=exc.params.get("amount", ""),
        ) from exc
    except OpenItemMatchInvalid as exc:
        raise _invalid(exc.params.get("reason", exc.message)) from exc
    SettlementLine.objects.bulk_create(
        [
            SettlementLine(
                settlement=line.settlement,
                match=match,
                amount=line.pair.amount,
                debit_source_type=line.debit.source_type,
                debit_source_id=line.debit.source_id,
                debit_label=item_label(line.debit),
                credit_source_type=line.credit.source_type,
                credit_source_id=line.credit.source_id,
                credit_label=item_label(line.credit),
                is_transfer=line.is_transfer,
            )
            for line, match in zip(lines, matches, strict=True)
        ]
    )


def _transfer_items(settlement: Settlement, *, undo: bool = False) -> tuple[OpenItem, OpenItem]:
    """The items of the settlement's transfer voucher, or of its red reversal: (on the advance
    account, on the receivable account)."""
    return _transfers_items([settlement], undo=undo)[settlement.pk]


def _transfers_items(
    settlements: Sequence[Settlement], *, undo: bool = False
) -> dict[int, tuple[OpenItem, OpenItem]]:
    """For each settlement, the items of its transfer voucher or of its red reversal: (on the
    advance account, on the receivable account), in one query. The transfer debits the
    advance and credits the receivable; the red reversal has the opposite signs."""
    receivable, advance = customer_accounts()
    sign = -1 if undo else 1
    items = open_items_for_source(
        source_type=postings.SOURCE_SETTLEMENT, source_ids=[s.pk for s in settlements]
    )
    by_settlement: dict[str, list[OpenItem]] = defaultdict(list)
    for item in items:
        by_settlement[item.source_id].append(item)
    found = {}
    for settlement in settlements:
        own = by_settlement[str(settlement.pk)]
        on_advance = next(i for i in own if in_subtree(i, advance) and i.amount * sign > 0)
        on_receivable = next(i for i in own if in_subtree(i, receivable) and i.amount * sign < 0)
        found[settlement.pk] = (on_advance, on_receivable)
    return found


def _transfer_event(
    settlement: Settlement, customer: Customer, amount: Decimal, *, undo: bool = False
) -> PostingEvent:
    summary = _("Advance applied, settlement %(number)s, %(customer)s") % {
        "number": settlement.number,
        "customer": customer.name,
    }
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
    (settlement,) = settle_many(
        [SettlementPlan(customer, pairs, receipt_id=receipt_id, notes=notes)],
        on=on,
        kind=kind,
        actor=actor,
    )
    return settlement


def settle_many(
    plans: Sequence[SettlementPlan], *, on: date, kind: str, actor: User
) -> list[Settlement]:
    """Record a numbered settlement per plan and make all their matches, inside the caller's
    transaction, which has locked the plans' customers: a constant number of queries whatever
    the number of plans. Each plan's credits on the advance account first move to the
    receivable account with one transfer voucher (posted together)."""
    items, advance = _items_checked(plans)
    period = on.strftime("%Y%m")
    first = sequence_reserve(series=SERIES, period=period, count=len(plans))
    settlements = [
        Settlement(
            number=number_format(series=SERIES, period=period, value=first + index),
            customer=plan.customer,
            settled_on=on,
            kind=kind,
            amount=sum((p.amount for p in plan.pairs), ZERO),
            advance_amount=sum(
                (p.amount for p in plan.pairs if in_subtree(items[p.credit_item_id], advance)),
                ZERO,
            ),
            receipt_id=plan.receipt_id,
            notes=plan.notes.strip()[:300],
            created_by=actor,
        )
        for index, plan in enumerate(plans)
    ]
    settlements = bulk_create_with_history(settlements, Settlement, default_user=actor)
    with_advance = [s for s in settlements if s.advance_amount]
    if with_advance:
        posting_post_batch(
            events=[_transfer_event(s, s.customer, s.advance_amount) for s in with_advance],
            actor=actor,
        )
    transfers = _transfers_items(with_advance) if with_advance else {}
    lines: list[_LineToMake] = []
    for settlement, plan in zip(settlements, plans, strict=True):
        transfer = transfers.get(settlement.pk)
        if transfer is not None:
            advance_debit, _transferred = transfer
            taken: dict[int, Decimal] = defaultdict(Decimal)
            for pair in plan.pairs:
                if in_subtree(items[pair.credit_item_id], advance):
                    taken[pair.credit_item_id] += pair.amount
            for credit_id, amount in taken.items():
                lines.append(
                    _LineToMake(
                        settlement,
                        ItemMatch(advance_debit.pk, credit_id, amount),
                        advance_debit,
                        items[credit_id],
                        is_transfer=True,
                    )
                )
        for pair in plan.pairs:
            debit, credit = items[pair.debit_item_id], items[pair.credit_item_id]
            if transfer is not None and in_subtree(credit, advance):
                # The debit is settled by the advance the transfer moved: the line names the
                # advance's document, the match takes the transfer's receivable credit.
                line = _LineToMake(
                    settlement, ItemMatch(debit.pk, transfer[1].pk, pair.amount), debit, credit
                )
            else:
                line = _LineToMake(
                    settlement, ItemMatch(debit.pk, credit.pk, pair.amount), debit, credit
                )
            lines.append(line)
    _matches_make(lines, on=on, actor=actor)
    return settlements


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


def _auto_check(actor: User, rule: str, on: date | None) -> date:
    permission_require(actor, "receivables.add_settlement")
    if rule not in AutoMatchRule.values:
        raise _invalid(_("choose how to match"))
    on = on or timezone.localdate()
    business_dates_require({"on": on})
    return on


def _auto_pairs_of(
    debits: Sequence[OpenItemRow],
    credits: Sequence[OpenItemRow],
    references: Mapping[str, str],
    *,
    rule: str,
    on: date,
) -> list[Pair]:
    """What automatic matching settles of one customer's open sides on a day: items posted
    after the day cannot be settled on it; a receipt's reference may name the invoice."""
    debit_rows = [
        (row.pk, row.open_amount, document_reference(row.summary))
        for row in debits
        if row.posted_on <= on
    ]
    credit_rows = [
        (
            row.pk,
            -row.open_amount,
            references.get(row.source_id, "") if row.source_type == postings.SOURCE_RECEIPT else "",
        )
        for row in credits
        if row.posted_on <= on
    ]
    return auto_pairs(debit_rows, credit_rows, rule=rule)


def _receipt_references(credits: Iterable[OpenItemRow]) -> dict[str, str]:
    return receipt_reference_texts(
        [row.source_id for row in credits if row.source_type == postings.SOURCE_RECEIPT]
    )


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
    on = _auto_check(actor, rule, on)
    customer = customer_for(actor, customer_id)
    debits, credits = open_sides(customer)
    pairs = _auto_pairs_of(debits, credits, _receipt_references(credits), rule=rule, on=on)
    if not pairs:
        return None
    return settle_pairs(customer, pairs, on=on, kind=SettlementKind.AUTOMATIC, actor=actor)


@dataclass(frozen=True)
class AutoMatchTotals:
    """What a batch of automatic matching did: customers with both debits and credits open
    that it looked at, settlements made and the amount they settled, and the customers whose
    settlement was refused (named with the reason)."""

    customers: int
    settlements: int
    amount: Decimal
    refused: list[tuple[str, str]]


# Customers per transaction: their rows, items and matches are locked until it commits.
AUTO_CHUNK = 500


@audited
def settlement_auto_many(
    *,
    actor: User,
    rule: str = AutoMatchRule.OLDEST_DUE,
    on: date | None = None,
    customer_ids: Collection[int] | None = None,
    chunk: int = AUTO_CHUNK,
) -> AutoMatchTotals:
    """Automatic matching of every customer the user sees that has both something owed and
    a credit open (or only of `customer_ids`), `chunk` customers per transaction, each chunk
    in a constant number of queries. A chunk refused as a whole (a customer whose items were
    matched or undone after the day) is retried customer by customer, so one customer never
    holds up the others."""
    on = _auto_check(actor, rule, on)
    receivable, advance = customer_accounts()
    owing = open_item_dimensions(account=receivable, debit=True)
    crediting = set(open_item_dimensions(account=receivable, debit=False))
    if advance is not None:
        crediting |= set(open_item_dimensions(account=advance, debit=False))
    visible = customer_groups_by_number(user=actor, numbers=owing.keys() & crediting)
    wanted = set(customer_ids) if customer_ids is not None else None
    candidates = sorted(
        (pk, number)
        for number, (pk, _owner, _region) in visible.items()
        if wanted is None or pk in wanted
    )
    made, settled, refused = 0, ZERO, []
    for start in range(0, len(candidates), chunk):
        batch = [(pk, number, owing[number]) for pk, number in candidates[start : start + chunk]]
        try:
            settlements = _auto_chunk(batch, rule=rule, on=on, actor=actor)
        except DomainError:
            settlements = []
            for one in batch:
                try:
                    settlements += _auto_chunk([one], rule=rule, on=on, actor=actor)
                except DomainError as exc:
                    refused.append((one[1], exc.message))
        made += len(settlements)
        settled += sum((s.amount for s in settlements), ZERO)
    return AutoMatchTotals(
        customers=len(candidates), settlements=made, amount=settled, refused=refused
    )


@transaction.atomic
def _auto_chunk(
    batch: Sequence[tuple[int, str, int]], *, rule: str, on: date, actor: User
) -> list[Settlement]:
    """One chunk of automatic matching (customer id, number, ledger dimension id): its
    customers locked (in id order), their open sides read again under the lock, one
    settlement per customer with anything to settle."""
    customers = customers_locked(pks=[pk for pk, _number, _dimension in batch]).values()
    sides = open_sides_many({number: dimension for _pk, number, dimension in batch})
    references = _receipt_references(row for _debits, credits in sides.values() for row in credits)
    plans = []
    for customer in customers:
        debits, credits = sides.get(customer.number, ([], []))
        pairs = _auto_pairs_of(debits, credits, references, rule=rule, on=on)
        if pairs:
            plans.append(SettlementPlan(customer, pairs))
    if not plans:
        return []
    return settle_many(plans, on=on, kind=SettlementKind.AUTOMATIC, actor=actor)


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
        posting_post(
            event=_transfer_event(settlement, customer, settlement.advance_amount, undo=True),
            actor=actor,
        )
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
