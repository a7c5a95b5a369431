"""Settling (核销) a customer's debits against its credits, automatically or by hand, and
undoing it.

The ledger keeps the matches (`open_item_match`, which locks both items and refuses more than
either has open, also when requests race); a settlement records which matches one act made, so
it can be shown and undone as one. The customer row is locked first (docs/locking.md), so two
settlements of one customer run one after the other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.bulk import int_array, rows_insert
from suanpan.core.errors import NotFound
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_format, sequence_reserve
from suanpan.core.templatetags.money import amount_text as money_text
from suanpan.customers.selectors import (
    customer_is_visible,
    customer_locked,
)
from suanpan.ledger.choices import DimensionKind
from suanpan.ledger.errors import OpenItemMatchExceeds, OpenItemMatchInvalid
from suanpan.ledger.selectors import (
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
from suanpan.receivables.choices import SettlementKind
from suanpan.receivables.errors import SettlementExceeds, SettlementInvalid, SettlementUndone
from suanpan.receivables.models import Settlement, SettlementLine
from suanpan.receivables.selectors.sides import (
    Sides,
    customer_accounts,
    in_subtree,
)
from suanpan.receivables.services.settlement_plans import (
    ADVANCE,
    RECEIVABLE,
    Pair,
    SettlementPlan,
    SideItem,
)
from suanpan.receivables.services.settlement_transfers import (
    Made,
    transfer_event,
    transfer_items,
    transfers_post,
)
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.customers.models import Customer
    from suanpan.ledger.models import OpenItem

ZERO = Decimal(0)
SERIES = "HX"


def settlement_invalid(reason: str) -> SettlementInvalid:
    return SettlementInvalid(reason=reason)


def item_label(item: OpenItem) -> str:
    return (item.summary or item.voucher_number)[:200]


def customer_for(actor: User, customer_id: int) -> Customer:
    if not customer_is_visible(user=actor, customer_id=customer_id):
        raise NotFound()
    return customer_locked(pk=customer_id)


def _items_read(pks: Collection[int]) -> dict[int, SideItem]:
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
        found[pk] = SideItem(
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


def items_of_sides(sides: Sides) -> dict[int, SideItem]:
    """A customer's open items as automatic matching read them under the customer's lock."""
    return {
        row.pk: SideItem(
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


def _pairs_check(plans: Sequence[SettlementPlan], items: Mapping[int, SideItem]) -> None:
    """Each pair's items its plan's customer's, debits on the receivable account, credits on
    it or on the advance account; what the pairs take of an item within what it has open."""
    if not plans or any(not plan.pairs for plan in plans):
        raise settlement_invalid(_("choose what to settle"))
    taken: dict[int, Decimal] = defaultdict(Decimal)
    for plan in plans:
        for pair in plan.pairs:
            debit, credit = items.get(pair.debit_item_id), items.get(pair.credit_item_id)
            if debit is None or credit is None:
                raise NotFound()
            if plan.customer.number != debit.customer or plan.customer.number != credit.customer:
                raise NotFound()
            if pair.amount <= 0:
                raise settlement_invalid(_("every amount must be positive"))
            if debit.amount <= 0 or debit.side != RECEIVABLE:
                raise settlement_invalid(
                    _("%(item)s is not an amount owed") % {"item": debit.label}
                )
            if credit.amount >= 0 or not credit.side:
                raise settlement_invalid(_("%(item)s is not a credit") % {"item": credit.label})
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
    debit: SideItem
    credit: SideItem
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
        raise settlement_invalid(exc.params.get("reason", exc.message)) from exc
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


def settle_plans(
    plans: Sequence[SettlementPlan],
    items: Mapping[int, SideItem],
    *,
    on: date,
    kind: str,
    actor: User,
) -> list[Made]:
    """Check the plans' pairs against their items, then record a numbered settlement per plan
    (with its history row), post the advances they apply (`transfers_post`) and make all their
    matches, inside the caller's transaction, which has locked the plans' customers: a
    constant number of queries whatever the number of plans."""
    _pairs_check(plans, items)
    period = on.strftime("%Y%m")
    first = sequence_reserve(series=SERIES, period=period, count=len(plans))
    now = timezone.now()
    made: list[Made] = []
    rows = []
    for index, plan in enumerate(plans):
        number = number_format(series=SERIES, period=period, value=first + index)
        amount = sum((p.amount for p in plan.pairs), ZERO)
        advance = sum(
            (p.amount for p in plan.pairs if items[p.credit_item_id].side == ADVANCE), ZERO
        )
        made.append(Made(0, number, plan, amount, advance))
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
    events, transfers = transfers_post([one for one in made if one.advance_amount], on=on)
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
    (made,) = settle_plans(
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
        raise settlement_invalid(
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
            event=transfer_event(settlement, customer, settlement.advance_amount, undo=True),
            actor=actor,
        )
        advance_debit, transferred = transfer_items(settlement)
        red_advance, red_receivable = transfer_items(settlement, undo=True)
        amount = settlement.advance_amount
        # The red items cancel the transfer's: both sides of the transfer closed on the day.
        open_item_match(
            actor=actor, debit_item=advance_debit, credit_item=red_advance, amount=amount, on=on
        )
        open_item_match(
            actor=actor, debit_item=red_receivable, credit_item=transferred, amount=amount, on=on
        )
    return settlement
