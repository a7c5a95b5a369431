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
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.bulk import int_array, rows_insert
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
    open_item_dimensions_settleable,
    open_items_for_source,
    open_items_get,
)
from suanpan.ledger.services import (
    PostingEvent,
    business_dates_require,
    open_item_match,
    open_item_unmatch,
    posting_post,
    posting_post_matched,
)
from suanpan.ledger.types import ItemMatch, LineMatch
from suanpan.receivables.calculations import postings
from suanpan.receivables.choices import AutoMatchRule, SettlementKind
from suanpan.receivables.errors import SettlementExceeds, SettlementInvalid, SettlementUndone
from suanpan.receivables.models import Settlement, SettlementLine
from suanpan.receivables.selectors.receipts import receipt_reference_texts
from suanpan.receivables.selectors.sides import (
    Sides,
    customer_accounts,
    in_subtree,
    open_sides,
    open_sides_many,
)
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.customers.models import Customer
    from suanpan.ledger.models import OpenItem

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


# Which account an item is on, as settling reads it.
RECEIVABLE, ADVANCE = "receivable", "advance"


@dataclass(frozen=True)
class _Item:
    """An open item as a settlement takes it, read from a model or from a list row: its
    customer ("" for another kind of dimension), signed amounts, the account it is on
    (RECEIVABLE, ADVANCE or "" for neither) and the document a settlement line names."""

    pk: int
    customer: str
    amount: Decimal
    open_amount: Decimal
    side: str
    source_type: str
    source_id: str
    label: str


def _items_read(pks: Collection[int]) -> dict[int, _Item]:
    """The items the user chose, read again (any account, any customer) to be checked."""
    receivable, advance = customer_accounts()
    found = {}
    for pk, item in open_items_get(pks=list(pks)).items():
        side = (
            RECEIVABLE
            if in_subtree(item, receivable)
            else ADVANCE
            if in_subtree(item, advance)
            else ""
        )
        found[pk] = _Item(
            pk,
            item.dimension.code if item.dimension.kind == DimensionKind.CUSTOMER else "",
            item.amount,
            item.open_amount,
            side,
            item.source_type,
            item.source_id,
            item_label(item),
        )
    return found


def _items_of_sides(sides: Sides) -> dict[int, _Item]:
    """A customer's open items as automatic matching read them under the customer's lock."""
    return {
        row.pk: _Item(
            row.pk,
            row.dimension_code,
            row.amount,
            row.open_amount,
            ADVANCE if row.pk in sides.on_advance else RECEIVABLE,
            row.source_type,
            row.source_id,
            (row.summary or row.voucher_number)[:200],
        )
        for row in (*sides.debits, *sides.credits)
    }


def _pairs_check(plans: Sequence[SettlementPlan], items: Mapping[int, _Item]) -> None:
    """Each pair's items its plan's customer's, debits on the receivable account, credits on
    it or on the advance account; what the pairs take of an item within what it has open."""
    if not plans or any(not plan.pairs for plan in plans):
        raise _invalid(_("choose what to settle"))
    taken: dict[int, Decimal] = defaultdict(Decimal)
    for plan in plans:
        for pair in plan.pairs:
            debit, credit = items.get(pair.debit_item_id), items.get(pair.credit_item_id)
            if debit is None or credit is None:
                raise NotFound()
            if plan.customer.number != debit.customer or plan.customer.number != credit.customer:
                raise NotFound()
            if pair.amount <= 0:
                raise _invalid(_("every amount must be positive"))
            if debit.amount <= 0 or debit.side != RECEIVABLE:
                raise _invalid(_("%(item)s is not an amount owed") % {"item": debit.label})
            if credit.amount >= 0 or not credit.side:
                raise _invalid(_("%(item)s is not a credit") % {"item": credit.label})
            taken[debit.pk] += pair.amount
            taken[credit.pk] += pair.amount
    for pk, amount in taken.items():
        item = items[pk]
        if amount > abs(item.open_amount):
            raise SettlementExceeds(
                document=item.label,
                open=money_text(abs(item.open_amount)),
                amount=money_text(amount),
            )


@dataclass(frozen=True)
class _LineToMake:
    """A settlement line waiting for its match, and the documents it shows: the match is
    either a pair of existing items or, applying an advance, an existing item against a line
    of the transfer being posted."""

    settlement_id: int
    amount: Decimal
    debit: _Item
    credit: _Item
    pair: ItemMatch | None = None
    line_match: LineMatch | None = None
    is_transfer: bool = False


LINE_FIELDS = [
    "settlement_id",
    "match_id",
    "amount",
    "debit_source_type",
    "debit_source_id",
    "debit_label",
    "credit_source_type",
    "credit_source_id",
    "credit_label",
    "is_transfer",
]


def _matches_make(
    lines: Sequence[_LineToMake],
    events: Sequence[PostingEvent],
    *,
    on: date,
    actor: User,
) -> None:
    """Post the transfers, make every line's match at once and record the lines."""
    by_pair = [line for line in lines if line.pair is not None]
    by_line = [line for line in lines if line.line_match is not None]
    try:
        made = posting_post_matched(
            actor=actor,
            events=events,
            line_matches=[line.line_match for line in by_line if line.line_match is not None],
            pairs=[line.pair for line in by_pair if line.pair is not None],
            on=on,
        )
    except OpenItemMatchExceeds as exc:
        # Another settlement took an item's open amount since the checks.
        debit = next(
            (line.debit for line in lines if line.debit.pk == exc.params.get("debit_item_id")),
            lines[0].debit,
        )
        raise SettlementExceeds(
            document=debit.label,
            open=exc.params.get("open", ""),
            amount=exc.params.get("amount", ""),
        ) from exc
    except OpenItemMatchInvalid as exc:
        raise _invalid(exc.params.get("reason", exc.message)) from exc
    match_ids = dict(zip(map(id, by_line), made.line_matches, strict=True))
    match_ids.update(zip(map(id, by_pair), made.matches, strict=True))
    rows_insert(
        SettlementLine,
        LINE_FIELDS,
        [
            (
                line.settlement_id,
                match_ids[id(line)],
                line.amount,
                line.debit.source_type,
                line.debit.source_id,
                line.debit.label,
                line.credit.source_type,
                line.credit.source_id,
                line.credit.label,
                line.is_transfer,
            )
            for line in lines
        ],
        returning=False,
    )


def _transfer_items(settlement: Settlement, *, undo: bool = False) -> tuple[OpenItem, OpenItem]:
    """The items of the settlement's transfer voucher (its own or a batch's line pair), or of
    its red reversal: (on the advance account, on the receivable account). The transfer
    debits the advance and credits the receivable; the red reversal has the opposite signs."""
    receivable, advance = customer_accounts()
    sign = -1 if undo else 1
    own = open_items_for_source(source_type=postings.SOURCE_SETTLEMENT, source_ids=[settlement.pk])
    on_advance = next(i for i in own if in_subtree(i, advance) and i.amount * sign > 0)
    on_receivable = next(i for i in own if in_subtree(i, receivable) and i.amount * sign < 0)
    return on_advance, on_receivable


def _transfer_summary(number: str, customer: Customer) -> str:
    return _("Advance applied, settlement %(number)s, %(customer)s") % {
        "number": number,
        "customer": customer.name,
    }


def _transfer_event(
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
class _Made:
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
    advance_item: _Item


# Settlements per batch transfer voucher: two lines each, well inside a voucher's line
# numbers (a small integer).
TRANSFER_PARTS = 1_000


def _transfers(
    made: Sequence[_Made], *, on: date
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
            advance_item = _Item(
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


SETTLEMENT_FIELDS = [
    "number",
    "customer_id",
    "settled_on",
    "kind",
    "amount",
    "advance_amount",
    "receipt_id",
    "notes",
    "created_by_id",
    "created_at",
]


def _settle(
    plans: Sequence[SettlementPlan],
    items: Mapping[int, _Item],
    *,
    on: date,
    kind: str,
    actor: User,
) -> list[_Made]:
    """Check the plans' pairs against their items, then record a numbered settlement per plan
    (with its history row), post the advances they apply (`_transfers`) and make all their
    matches, inside the caller's transaction, which has locked the plans' customers: a
    constant number of queries whatever the number of plans."""
    _pairs_check(plans, items)
    period = on.strftime("%Y%m")
    first = sequence_reserve(series=SERIES, period=period, count=len(plans))
    now = timezone.now()
    made: list[_Made] = []
    rows = []
    for index, plan in enumerate(plans):
        number = number_format(series=SERIES, period=period, value=first + index)
        amount = sum((p.amount for p in plan.pairs), ZERO)
        advance = sum(
            (p.amount for p in plan.pairs if items[p.credit_item_id].side == ADVANCE), ZERO
        )
        made.append(_Made(0, number, plan, amount, advance))
        notes = plan.notes.strip()[:300]
        rows.append(
            (
                number,
                plan.customer.pk,
                on,
                kind,
                amount,
                advance,
                plan.receipt_id,
                notes,
                actor.pk,
                now,
            )
        )
    ids = rows_insert(Settlement, SETTLEMENT_FIELDS, rows)
    made = [replace(one, pk=pk) for one, pk in zip(made, ids, strict=True)]
    _history_created(ids, actor=actor, at=now)
    events, transfers = _transfers([one for one in made if one.advance_amount], on=on)
    lines: list[_LineToMake] = []
    for one in made:
        transfer = transfers.get(one.pk)
        if transfer is not None:
            # The advances move to the receivable account: the transfer's advance line
            # settles them (shown with the settlement, not as a settled invoice).
            taken: dict[int, Decimal] = defaultdict(Decimal)
            for pair in one.plan.pairs:
                if items[pair.credit_item_id].side == ADVANCE:
                    taken[pair.credit_item_id] += pair.amount
            for credit_id, amount in taken.items():
                lines.append(
                    _LineToMake(
                        one.pk,
                        amount,
                        transfer.advance_item,
                        items[credit_id],
                        line_match=LineMatch(
                            credit_id, transfer.event_key, transfer.advance_line, amount
                        ),
                        is_transfer=True,
                    )
                )
        for pair in one.plan.pairs:
            debit, credit = items[pair.debit_item_id], items[pair.credit_item_id]
            if transfer is not None and credit.side == ADVANCE:
                # The debit is settled by the advance the transfer moved: the line names the
                # advance's document, the match takes the transfer's receivable credit.
                line_match = LineMatch(
                    debit.pk, transfer.event_key, transfer.receivable_line, pair.amount
                )
                lines.append(_LineToMake(one.pk, pair.amount, debit, credit, line_match=line_match))
            else:
                lines.append(
                    _LineToMake(
                        one.pk,
                        pair.amount,
                        debit,
                        credit,
                        pair=ItemMatch(debit.pk, credit.pk, pair.amount),
                    )
                )
    _matches_make(lines, events, on=on, actor=actor)
    return made


def _history_created(ids: Sequence[int], *, actor: User, at: datetime) -> None:
    """The settlements' "created" history rows, copied from the rows just inserted by one
    INSERT … SELECT (per 5,000 on SQLite): what `bulk_create_with_history` writes, without an
    instance per row."""
    history = Settlement.history.model
    columns = [
        field.column
        for field in history._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    table, source = quote(history._meta.db_table), quote(Settlement._meta.db_table)
    date_value = history._meta.get_field("history_date").get_db_prep_save(at, connection)
    insert = (
        f"INSERT INTO {table} ({names}, history_date, history_change_reason, history_type,"  # noqa: S608 - names from the models
        f" history_user_id) SELECT {names}, %s, NULL, '+', %s FROM {source}"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"{insert} WHERE id = ANY(%s::bigint[]) ORDER BY id",
                [date_value, actor.pk, int_array(ids)],
            )
            return
        for start in range(0, len(ids), HISTORY_CHUNK):
            chunk = ids[start : start + HISTORY_CHUNK]
            cursor.execute(
                f"{insert} WHERE id IN ({', '.join(['%s'] * len(chunk))}) ORDER BY id",
                [date_value, actor.pk, *chunk],
            )


# Settlement ids per history INSERT on SQLite: inside its variable limit.
HISTORY_CHUNK = 5_000


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
    transaction, which has locked the customer. Credits on the advance account first move to
    the receivable account with one transfer voucher."""
    plan = SettlementPlan(customer, pairs, receipt_id=receipt_id, notes=notes)
    (made,) = _settle(
        [plan],
        _items_read({pk for p in pairs for pk in (p.debit_item_id, p.credit_item_id)}),
        on=on,
        kind=kind,
        actor=actor,
    )
    settlement = Settlement.objects.get(pk=made.pk)
    settlement.customer = customer
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
    owing = open_item_dimensions_settleable(
        account=receivable, credit_accounts=[advance] if advance is not None else []
    )
    visible = customer_groups_by_number(user=actor, numbers=owing.keys())
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
        settled += sum((one.amount for one in settlements), ZERO)
    return AutoMatchTotals(
        customers=len(candidates), settlements=made, amount=settled, refused=refused
    )


@transaction.atomic
def _auto_chunk(
    batch: Sequence[tuple[int, str, int]], *, rule: str, on: date, actor: User
) -> list[_Made]:
    """One chunk of automatic matching (customer id, number, ledger dimension id): its
    customers locked (in id order), their open sides read again under the lock, one
    settlement per customer with anything to settle. The pairs are made from the items just
    read, so they are checked against them rather than read a third time; the ledger locks
    the items and checks the open amounts again before matching."""
    customers = customers_locked(pks=[pk for pk, _number, _dimension in batch]).values()
    sides = open_sides_many({number: dimension for _pk, number, dimension in batch})
    references = (
        _receipt_references(row for found in sides.values() for row in found.credits)
        if rule == AutoMatchRule.REFERENCE
        else {}
    )
    plans = []
    items: dict[int, _Item] = {}
    for customer in customers:
        found = sides.get(customer.number)
        if found is None:
            continue
        pairs = _auto_pairs_of(found.debits, found.credits, references, rule=rule, on=on)
        if pairs:
            plans.append(SettlementPlan(customer, pairs))
            items.update(_items_of_sides(found))
    if not plans:
        return []
    return _settle(plans, items, on=on, kind=SettlementKind.AUTOMATIC, actor=actor)


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
