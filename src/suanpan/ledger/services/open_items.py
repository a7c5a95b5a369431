"""Matching open items (receivables) against each other, and undoing it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.locks import for_update
from suanpan.ledger.errors import (
    OpenItemMatchExceeds,
    OpenItemMatchInvalid,
)
from suanpan.ledger.models import (
    OpenItem,
    OpenItemMatch,
)
from suanpan.ledger.selectors import account_for_role
from suanpan.ledger.services.periods import business_dates_require
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
    permission_require(actor, "ledger.match_open_items")
    locked = {
        item.pk: item
        for item in for_update(OpenItem.objects.all())
        .filter(pk__in=[debit_item.pk, credit_item.pk])
        .order_by("pk")
    }
    debit_item, credit_item = locked[debit_item.pk], locked[credit_item.pk]
    if debit_item.pk == credit_item.pk:
        raise OpenItemMatchInvalid(reason=_("an item cannot settle itself"))
    if (debit_item.account_id, debit_item.dimension_id) != (
        credit_item.account_id,
        credit_item.dimension_id,
    ):
        raise OpenItemMatchInvalid(reason=_("the items belong to different accounts or customers"))
    if debit_item.amount <= 0 or credit_item.amount >= 0:
        raise OpenItemMatchInvalid(reason=_("a debit item settles against a credit item"))
    if amount <= 0:
        raise OpenItemMatchInvalid(reason=_("the amount must be positive"))
    on = on or timezone.localdate()
    business_dates_require({"on": on})
    # A match dated before the items exist, or before their last match or undo, would change
    # open amounts as of dates already reported on: history only moves forward.
    history = OpenItemMatch.objects.filter(
        Q(debit_item__in=[debit_item, credit_item]) | Q(credit_item__in=[debit_item, credit_item])
    ).aggregate(matched=Max("matched_on"), undone=Max("undone_on"))
    earliest = max(
        d
        for d in (
            debit_item.posted_on,
            credit_item.posted_on,
            history["matched"],
            history["undone"],
        )
        if d
    )
    if on < earliest:
        raise OpenItemMatchInvalid(
            reason=_("the match date must be on or after %(date)s") % {"date": earliest.isoformat()}
        )
    largest = min(debit_item.open_amount, -credit_item.open_amount)
    if amount > largest:
        raise OpenItemMatchExceeds(amount=f"{amount:,.2f}", open=f"{largest:,.2f}")
    return _match_write(debit_item, credit_item, amount=amount, on=on, actor=actor)


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
