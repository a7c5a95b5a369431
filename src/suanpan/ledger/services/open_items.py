"""Matching open items (receivables) against each other, and undoing it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.bulk import ids_in, int_array, rows_insert, scaled_values
from suanpan.core.locks import for_update
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.errors import (
    OpenItemMatchExceeds,
    OpenItemMatchInvalid,
)
from suanpan.ledger.models import (
    OpenItem,
    OpenItemMatch,
    Voucher,
)
from suanpan.ledger.selectors import account_for_role
from suanpan.ledger.services.periods import business_dates_require
from suanpan.ledger.services.posting import _post
from suanpan.ledger.types import ItemMatch, LineMatch, PostingEvent
from suanpan.users.models import User
from suanpan.users.permissions import permission_require


def _match_write(
    debit_item: OpenItem, credit_item: OpenItem, *, amount: Decimal, on: date, actor: User
) -> OpenItemMatch:
    """Record a match and take it off both (locked) items' open amounts."""
    match = OpenItemMatch.objects.create(
        debit_item=debit_item,
        credit_item=credit_item,
        amount=amount,
        matched_on=on,
        created_by=actor,
    )
    _open_amounts_move([(debit_item, -amount), (credit_item, amount)])
    return match


def _open_amounts_move(changes: Sequence[tuple[OpenItem, Decimal]]) -> None:
    """Add signed changes to locked items' open amounts: one UPDATE for all of them.

    The database's CHECK refuses any result outside 0…amount, whatever the caller computed.
    """
    for item, change in changes:
        item.open_amount += change
    OpenItem.objects.bulk_update([item for item, _change in changes], ["open_amount"])


@transaction.atomic
def open_item_match(
    *,
    actor: User,
    debit_item: OpenItem,
    credit_item: OpenItem,
    amount: Decimal,
    on: date | None = None,
) -> OpenItemMatch:
    """Settle `amount` of a positive item against a negative one of the same account and customer.

    Both items are locked (in id order, so two matches never deadlock); a match never exceeds
    either item's open amount, also when requests race.
    """
    (pk,) = open_items_match_many(
        actor=actor,
        pairs=[ItemMatch(debit_item.pk, credit_item.pk, amount)],
        on=on,
    )
    return OpenItemMatch.objects.get(pk=pk)


def _latest_history(debit_ids: set[int], credit_ids: set[int]) -> dict[int, date]:
    """Per item, the last day a match of it was made or undone. A positive item is only ever
    the debit side of a match and a negative one the credit side: two grouped reads."""
    latest: dict[int, date] = {}
    for side, ids in (("debit_item_id", debit_ids), ("credit_item_id", credit_ids)):
        if not ids:
            continue
        rows = (
            OpenItemMatch.objects.filter(**{f"{side}__in": ids_in(ids)})
            .values(side)
            .annotate(matched=Max("matched_on"), undone=Max("undone_on"))
            .values_list(side, "matched", "undone")
        )
        for pk, matched, undone in rows:
            latest[pk] = max(d for d in (matched, undone) if d)
    return latest


@dataclass
class _Locked:
    """A locked item as matching reads it: no model instance, thousands are locked at once."""

    account_id: int
    dimension_id: int
    amount: Decimal
    open_amount: Decimal
    posted_on: date


@transaction.atomic
def open_items_match_many(
    *, actor: User, pairs: Sequence[ItemMatch], on: date | None = None
) -> list[int]:
    """Make many matches at once, all or none, in the order given, and return their ids in
    that order: what automatic settlement of thousands of customers runs. The same rules as
    one match: every item locked (in id order, so batches never deadlock), each pair's items
    of one account and customer, a debit against a credit, no match dated before its items or
    their last match or undo, and no item settled beyond what it has open, counting the
    earlier pairs of the batch. A constant number of queries whatever the number of pairs.
    """
    permission_require(actor, "ledger.match_open_items")
    on = on or timezone.localdate()
    business_dates_require({"on": on})
    return _matches_apply(pairs, on=on, actor=actor, fresh={})


@dataclass(frozen=True)
class PostedMatches:
    """What `posting_post_matched` did: the vouchers, in the order of the events, and the
    new matches' ids in the order of the line matches and of the pairs."""

    vouchers: list[Voucher]
    line_matches: list[int]
    matches: list[int]


@transaction.atomic
def posting_post_matched(
    *,
    actor: User,
    events: Sequence[PostingEvent],
    line_matches: Sequence[LineMatch],
    pairs: Sequence[ItemMatch] = (),
    on: date | None = None,
) -> PostedMatches:
    """Post new events whose lines' open items settle existing items at once (`line_matches`:
    applying advances, Dr customer advance against the receipt, Cr receivable against the
    invoices), and make other matches (`pairs`) with them: all or none, in a constant number
    of queries. The lines' items are written already settled rather than opened and updated;
    every match keeps the rules of `open_items_match_many` (the existing items locked in id
    order after the posting, as every posting service locks them; same account and customer;
    a debit against a credit; not before the items' dates or last match; never beyond what an
    item has open), checked before anything is written or, for what needs the locks, after,
    so that a refusal rolls the posting back with the rest."""
    permission_require(actor, "ledger.match_open_items")
    on = on or timezone.localdate()
    business_dates_require({"on": on})
    by_key = {event.key: event for event in events}
    settled: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for match in line_matches:
        event = by_key.get(match.event_key)
        if event is None or not 1 <= match.line_no <= len(event.lines):
            raise OpenItemMatchInvalid(reason=_("an item to match does not exist"))
        if match.amount <= 0:
            raise OpenItemMatchInvalid(reason=_("the amount must be positive"))
        settled[(match.event_key, match.line_no)] += match.amount
    for (key, line_no), amount in settled.items():
        line = by_key[key].lines[line_no - 1]
        if amount > abs(line.debit - line.credit):
            raise OpenItemMatchExceeds(
                amount=f"{amount:,.2f}",
                open=f"{abs(line.debit - line.credit):,.2f}",
                debit_item_id=None,
            )
    vouchers = _post(events, actor=actor, settled=settled) if events else []
    fresh: dict[tuple[str, int], tuple[int, _Locked]] = {}
    if settled:
        key_of = {voucher.pk: voucher.source_event for voucher in vouchers}
        rows = OpenItem.objects.filter(line__voucher_id__in=list(key_of)).values_list(
            "pk",
            "line__voucher_id",
            "line__line_no",
            "account_id",
            "dimension_id",
            "amount",
            "posted_on",
        )
        for pk, voucher_id, line_no, account, dimension, amount, posted_on in rows:
            # Opened at its whole amount here: the matches below take it to what was written.
            fresh[(key_of[voucher_id] or "", line_no)] = (
                pk,
                _Locked(account, dimension, amount, amount, posted_on),
            )
    made: list[ItemMatch] = []
    for match in line_matches:
        found = fresh.get((match.event_key, match.line_no))
        if found is None:
            raise OpenItemMatchInvalid(reason=_("an item to match does not exist"))
        pk, item = found
        made.append(
            ItemMatch(pk, match.item_id, match.amount)
            if item.amount > 0
            else ItemMatch(match.item_id, pk, match.amount)
        )
    ids = _matches_apply([*made, *pairs], on=on, actor=actor, fresh=dict(fresh.values()))
    for line_key, (_pk, item) in fresh.items():
        taken = settled.get(line_key, ZERO)
        if item.open_amount != (item.amount - taken if item.amount > 0 else item.amount + taken):
            # Only the line matches may settle the items posted here.
            raise OpenItemMatchInvalid(reason=_("an item to match does not exist"))
    return PostedMatches(vouchers, ids[: len(made)], ids[len(made) :])


def _matches_apply(
    pairs: Sequence[ItemMatch], *, on: date, actor: User, fresh: Mapping[int, _Locked]
) -> list[int]:
    """Lock the pairs' items but the `fresh` ones (written settled by this transaction's
    posting, seen by no other), check every pair, record the matches and write the locked
    items' open amounts; the fresh ones must come out at what was written."""
    ids = {pair.debit_item_id for pair in pairs} | {pair.credit_item_id for pair in pairs}
    found = (
        for_update(OpenItem.objects.filter(pk__in=ids_in(ids - fresh.keys())))
        .order_by("pk")
        .values_list("pk", "account_id", "dimension_id", "amount", "open_amount", "posted_on")
    )
    locked = {
        pk: _Locked(account, dimension, amount, open_amount, posted_on)
        for pk, account, dimension, amount, open_amount, posted_on in found
    }
    items = {**locked, **fresh}
    for pair in pairs:
        debit_item, credit_item = items.get(pair.debit_item_id), items.get(pair.credit_item_id)
        if debit_item is None or credit_item is None:
            raise OpenItemMatchInvalid(reason=_("an item to match does not exist"))
        if pair.debit_item_id == pair.credit_item_id:
            raise OpenItemMatchInvalid(reason=_("an item cannot settle itself"))
        if (debit_item.account_id, debit_item.dimension_id) != (
            credit_item.account_id,
            credit_item.dimension_id,
        ):
            raise OpenItemMatchInvalid(
                reason=_("the items belong to different accounts or customers")
            )
        if debit_item.amount <= 0 or credit_item.amount >= 0:
            raise OpenItemMatchInvalid(reason=_("a debit item settles against a credit item"))
        if pair.amount <= 0:
            raise OpenItemMatchInvalid(reason=_("the amount must be positive"))
    # A match dated before the items exist, or before their last match or undo, would change
    # open amounts as of dates already reported on: history only moves forward.
    latest = _latest_history(
        {pair.debit_item_id for pair in pairs} - fresh.keys(),
        {pair.credit_item_id for pair in pairs} - fresh.keys(),
    )
    for pk in ids:
        item = items[pk]
        earliest = max(d for d in (item.posted_on, latest.get(pk)) if d)
        if on < earliest:
            raise OpenItemMatchInvalid(
                reason=_("the match date must be on or after %(date)s")
                % {"date": earliest.isoformat()}
            )
    rows: list[tuple[Any, ...]] = []
    now = timezone.now()
    for pair in pairs:
        debit_item, credit_item = items[pair.debit_item_id], items[pair.credit_item_id]
        largest = min(debit_item.open_amount, -credit_item.open_amount)
        if pair.amount > largest:
            raise OpenItemMatchExceeds(
                amount=f"{pair.amount:,.2f}",
                open=f"{largest:,.2f}",
                debit_item_id=pair.debit_item_id,
            )
        debit_item.open_amount -= pair.amount
        credit_item.open_amount += pair.amount
        rows.append((pair.debit_item_id, pair.credit_item_id, pair.amount, on, actor.pk, now))
    created = rows_insert(
        OpenItemMatch,
        ["debit_item_id", "credit_item_id", "amount", "matched_on", "created_by_id", "created_at"],
        rows,
    )
    _open_amounts_write([(pk, locked[pk].open_amount) for pk in sorted(locked)])
    return created


# Rows per UPDATE elsewhere than on PostgreSQL: two parameters each, well inside SQLite's
# limit of 32,766.
WRITE_CHUNK = 5_000


def _open_amounts_write(amounts: Sequence[tuple[int, Decimal]]) -> None:
    """Write locked items' open amounts (id, amount): on PostgreSQL one UPDATE … FROM unnest
    of two arrays, elsewhere one UPDATE … FROM a VALUES list per 5,000 items — where
    `bulk_update` builds a CASE of one branch per item (quadratic in the batch). The
    database's CHECK refuses any open amount outside 0…amount, whatever was computed."""
    table = connection.ops.quote_name(OpenItem._meta.db_table)
    field = OpenItem._meta.get_field("open_amount")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET open_amount = v.amount"  # noqa: S608 - the model's table
                " FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, amount)"
                f" WHERE {table}.id = v.id",
                [
                    int_array([pk for pk, _a in amounts]),
                    int_array(scaled_values(OpenItem, "open_amount", [a for _pk, a in amounts])),
                ],
            )
            return
        for start in range(0, len(amounts), WRITE_CHUNK):
            chunk = amounts[start : start + WRITE_CHUNK]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            params: list[Any] = []
            for pk, amount in chunk:
                params += [pk, field.get_db_prep_value(amount, connection)]
            cursor.execute(
                f"WITH v(id, amount) AS (VALUES {values})"  # noqa: S608
                f" UPDATE {table} SET open_amount = v.amount FROM v WHERE {table}.id = v.id",
                params,
            )


@transaction.atomic
def open_item_unmatch(
    *, actor: User, match: OpenItemMatch, on: date | None = None
) -> OpenItemMatch:
    """Undo a match; the row stays, dated, so history as of earlier dates is unchanged."""
    permission_require(actor, "ledger.match_open_items")
    match = for_update(OpenItemMatch.objects.all()).get(pk=match.pk)
    if match.undone_on is not None:
        raise OpenItemMatchInvalid(reason=_("this match was undone already"))
    on = on or timezone.localdate()
    business_dates_require({"on": on})
    if on < match.matched_on:
        raise OpenItemMatchInvalid(
            reason=_("a match cannot be undone before %(date)s")
            % {"date": match.matched_on.isoformat()}
        )
    match.undone_on = on
    match.undone_by = actor
    match.save(update_fields=["undone_on", "undone_by"])
    items = {
        item.pk: item
        for item in for_update(OpenItem.objects.all())
        .filter(pk__in=[match.debit_item_id, match.credit_item_id])
        .order_by("pk")
    }
    _open_amounts_move(
        [(items[match.debit_item_id], match.amount), (items[match.credit_item_id], -match.amount)]
    )
    return match


@audited
def open_items_redate(
    *, source_type: str, source_id: str, due_on: date, actor: User, role: str | None = None
) -> int:
    """Move the due date of a document's open items that are still (partly) open: an invoice
    whose due dates count from the day the customer received it. With `role` (an account
    role, e.g. "receivable"), only the items on that role's account move: the same voucher may
    clear another open-item account (unbilled receivables). Returns how many moved.

    Runs inside the caller's transaction, like `posting_post`: the calling document service has
    checked its own permission and the date (business_dates_require); `actor` names who acted.

    Only the open-item table changes. The posted voucher line keeps its `due_on`: the line is
    part of the voucher hash chain (`effects.chain_line` hashes it, verification.chain
    recomputes it), so changing it would break the chain. The open-item table is the ledger's
    derived table for ageing and the customer's item list; its amounts, the only thing
    `open_items_check` compares with the accounts, stay as they were. Settled items keep their
    due date: they belong to history.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("open_items_redate() must run inside transaction.atomic()")
    items_of_source = OpenItem.objects.filter(source_type=source_type, source_id=str(source_id))
    if role is not None:
        account = account_for_role(role)
        if account is None:
            return 0
        items_of_source = items_of_source.filter(account=account)
    items = list(for_update(items_of_source).exclude(open_amount=0).order_by("pk"))
    moved = [item for item in items if item.due_on != due_on]
    for item in moved:
        item.due_on = due_on
    if moved:
        OpenItem.objects.bulk_update(moved, ["due_on"])
    return len(moved)
