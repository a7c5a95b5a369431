"""Automatic matching (自动核销): a customer's open invoices settled with its credits, oldest due
first or by the references receipts carry, one customer or every customer in chunks."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import DomainError
from suanpan.customers.selectors import (
    customer_groups_by_number,
    customers_locked,
)
from suanpan.ledger.selectors import (
    OpenItemRow,
    open_item_dimensions_settleable,
)
from suanpan.ledger.services import (
    business_dates_require,
)
from suanpan.receivables.calculations import postings
from suanpan.receivables.choices import AutoMatchRule, SettlementKind
from suanpan.receivables.models import Settlement
from suanpan.receivables.selectors.receipts import receipt_reference_texts
from suanpan.receivables.selectors.sides import (
    customer_accounts,
    open_sides,
    open_sides_many,
)
from suanpan.receivables.services.settlement_plans import (
    Pair,
    SettlementPlan,
    SideItem,
)
from suanpan.receivables.services.settlement_transfers import Made
from suanpan.receivables.services.settlements import (
    ZERO,
    customer_for,
    items_of_sides,
    settle_pairs,
    settle_plans,
    settlement_invalid,
)
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    pass


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
        raise settlement_invalid(_("choose how to match"))
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
) -> list[Made]:
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
    items: dict[int, SideItem] = {}
    for customer in customers:
        found = sides.get(customer.number)
        if found is None:
            continue
        pairs = _auto_pairs_of(found.debits, found.credits, references, rule=rule, on=on)
        if pairs:
            plans.append(SettlementPlan(customer, pairs))
            items.update(items_of_sides(found))
    if not plans:
        return []
    return settle_plans(plans, items, on=on, kind=SettlementKind.AUTOMATIC, actor=actor)


def document_reference(summary: str) -> str:
    """The document number in an item's summary ("Invoice 2644…, ACME" → "2644…"): what a
    receipt's remark may name."""
    head = summary.split(",", 1)[0].strip()
    return head.rsplit(" ", 1)[-1] if " " in head else head
