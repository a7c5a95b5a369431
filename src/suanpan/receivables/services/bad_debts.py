"""Bad debts (坏账): write-offs with four-eyes approval and recoveries of what was written off
(the provision matrix, individual provisions and the period-end run are `provisions`).

企业会计准则 books provide (Dr credit loss / Cr bad-debt provision), write off against the
provision and reinstate a recovered debt before the cash settles it; 小企业会计准则 books keep no
provision, write off to non-operating expense and take a recovery to non-operating income.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.limits import MAX_AMOUNT
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.core.templatetags.money import amount_text as money_text
from suanpan.ledger.errors import OpenItemMatchExceeds, OpenItemMatchInvalid
from suanpan.ledger.selectors import dimension_by_code, open_items_for_source, open_items_get
from suanpan.ledger.services import (
    PostingEvent,
    business_dates_require,
    open_item_match,
    open_item_unmatch,
    posting_post,
)
from suanpan.receivables.calculations import postings, provisions
from suanpan.receivables.choices import WriteOffStatus
from suanpan.receivables.errors import (
    BadDebtInvalid,
    RecoveryExceeds,
    WriteOffExceeds,
    WriteOffNotInStatus,
    WriteOffOwnApproval,
)
from suanpan.receivables.models import (
    Recovery,
    WriteOff,
    WriteOffLine,
)
from suanpan.receivables.selectors.bad_debts import (
    books_keep_provision,
)
from suanpan.receivables.selectors.sides import customer_accounts, in_subtree
from suanpan.receivables.services.reversals import red_twins_close
from suanpan.receivables.services.settlements import customer_for, item_label
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.ledger.models import OpenItem

ZERO = Decimal(0)
FEN = Decimal("0.01")
# Red-letter forms number HZ-…: write-offs (坏账核销) keep their own series.
WRITEOFF_SERIES = "HZHX"
RECOVERY_SERIES = "HS"


def amount_problem(amount: Decimal | None) -> str | None:
    if amount is None or not amount.is_finite():
        return _("Enter an amount.")
    if amount <= 0:
        return _("The amount must be positive.")
    if amount > MAX_AMOUNT or amount != amount.quantize(FEN):
        return _("Enter an amount in yuan with at most two decimals.")
    return None


# --- Write-offs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WriteOffItem:
    """Write off `amount` of an open debit item (an invoice's instalment)."""

    item_id: int
    amount: Decimal


@dataclass(frozen=True)
class WriteOffInput:
    customer_id: int
    reason: str
    items: Sequence[WriteOffItem] = field(default_factory=tuple)
    written_off_on: date | None = None


def _items_checked(customer_number: str, items: Sequence[WriteOffItem]) -> dict[int, OpenItem]:
    """The items, each the customer's open debit on the receivable account, none taking more
    than it has open."""
    if not items:
        raise BadDebtInvalid(fields={"items": [_("Choose what to write off.")]})
    receivable, _advance = customer_accounts()
    dimension = dimension_by_code(code=customer_number)
    found = open_items_get(pks=[i.item_id for i in items])
    taken: dict[int, Decimal] = defaultdict(Decimal)
    for wanted in items:
        problem = amount_problem(wanted.amount)
        if problem:
            raise BadDebtInvalid(fields={"items": [problem]})
        item = found.get(wanted.item_id)
        if item is None or dimension is None or item.dimension_id != dimension.pk:
            raise BadDebtInvalid(fields={"items": [_("Choose the customer's open invoices.")]})
        if item.amount <= 0 or not in_subtree(item, receivable):
            raise BadDebtInvalid(
                fields={"items": [_("%(item)s is not an amount owed") % {"item": item_label(item)}]}
            )
        taken[item.pk] += wanted.amount
    for pk, amount in taken.items():
        item = found[pk]
        if amount > item.open_amount:
            raise WriteOffExceeds(
                document=item_label(item),
                open=money_text(item.open_amount),
                amount=money_text(amount),
            )
    return found


@audited
@transaction.atomic
def writeoff_create(*, data: WriteOffInput, actor: User) -> WriteOff:
    """Propose writing off invoices the customer will not pay: a draft another user approves."""
    permission_require(actor, "receivables.add_writeoff")
    on = data.written_off_on or timezone.localdate()
    business_dates_require({"written_off_on": on})
    if not data.reason.strip():
        raise BadDebtInvalid(fields={"reason": [_("Say why the debt is lost.")]})
    customer = customer_for(actor, data.customer_id)
    found = _items_checked(customer.number, data.items)
    writeoff = WriteOff.objects.create(
        number=number_next(series=WRITEOFF_SERIES, period=on.strftime("%Y%m")),
        customer=customer,
        written_off_on=on,
        amount=sum((i.amount for i in data.items), ZERO),
        reason=data.reason.strip()[:500],
        created_by=actor,
    )
    WriteOffLine.objects.bulk_create(
        WriteOffLine(
            writeoff=writeoff,
            item_id=wanted.item_id,
            amount=wanted.amount,
            label=item_label(found[wanted.item_id]),
            source_type=found[wanted.item_id].source_type,
            source_id=found[wanted.item_id].source_id,
        )
        for wanted in data.items
    )
    return writeoff


def _locked_draft(writeoff: WriteOff, actor: User) -> WriteOff:
    customer_for(actor, writeoff.customer_id)
    locked = for_update(WriteOff.objects.select_related("customer")).get(pk=writeoff.pk)
    if locked.status != WriteOffStatus.DRAFT:
        raise WriteOffNotInStatus(number=locked.number, status=locked.get_status_display())
    return locked


@audited
@transaction.atomic
def writeoff_approve(*, writeoff: WriteOff, actor: User, on: date | None = None) -> WriteOff:
    """Approve another user's write-off and post it on the day: the write-off's credit on the
    receivable closes the invoices it names (open-item matches). Two approvals racing: the
    second finds it posted."""
    permission_require(actor, "receivables.approve_writeoff")
    on = on or timezone.localdate()
    business_dates_require({"on": on})
    writeoff = _locked_draft(writeoff, actor)
    if writeoff.created_by_id == actor.pk:
        raise WriteOffOwnApproval(number=writeoff.number)
    lines = list(writeoff.lines.select_related("item").order_by("pk"))
    if on < writeoff.written_off_on:
        raise BadDebtInvalid(
            fields={"on": [_("A write-off cannot be approved before the day it was made.")]}
        )
    customer = writeoff.customer
    _items_checked(customer.number, [WriteOffItem(line.item_id, line.amount) for line in lines])
    writeoff.status = WriteOffStatus.POSTED
    writeoff.written_off_on = on
    writeoff.approved_by = actor
    writeoff.approved_at = timezone.now()
    writeoff.save(update_fields=["status", "written_off_on", "approved_by", "approved_at"])
    summary = (
        _("Bad debt written off, %(number)s, %(customer)s")
        % {"number": writeoff.number, "customer": customer.name}
    )[:200]
    posting_post(
        event=PostingEvent(
            source_type=provisions.SOURCE_WRITEOFF,
            source_id=str(writeoff.pk),
            event=provisions.EVENT_WRITE_OFF,
            date=on,
            summary=summary,
            lines=provisions.writeoff_lines(
                amount=writeoff.amount,
                customer_code=customer.number,
                with_provision=books_keep_provision(),
                summary=summary,
            ),
        ),
        actor=actor,
    )
    receivable, _advance = customer_accounts()
    credit = next(
        item
        for item in open_items_for_source(
            source_type=provisions.SOURCE_WRITEOFF, source_ids=[writeoff.pk]
        )
        if item.amount < 0 and in_subtree(item, receivable)
    )
    for line in lines:
        try:
            line.match = open_item_match(
                actor=actor, debit_item=line.item, credit_item=credit, amount=line.amount, on=on
            )
        except OpenItemMatchExceeds as exc:
            raise WriteOffExceeds(
                document=line.label, open=exc.params.get("open", ""), amount=money_text(line.amount)
            ) from exc
        except OpenItemMatchInvalid as exc:
            raise BadDebtInvalid(fields={"on": [exc.message]}) from exc
        line.save(update_fields=["match"])
    return writeoff


@audited
@transaction.atomic
def writeoff_cancel(*, writeoff: WriteOff, actor: User) -> WriteOff:
    """Drop a write-off awaiting approval; nothing was posted."""
    permission_require(actor, "receivables.add_writeoff")
    writeoff = _locked_draft(writeoff, actor)
    writeoff.status = WriteOffStatus.CANCELLED
    writeoff.cancelled_by = actor
    writeoff.cancelled_at = timezone.now()
    writeoff.save(update_fields=["status", "cancelled_by", "cancelled_at"])
    return writeoff


@audited
@transaction.atomic
def writeoff_reverse(
    *, writeoff: WriteOff, reason: str, actor: User, on: date | None = None
) -> WriteOff:
    """Reverse a posted write-off found wrong: its matches are undone, so the invoices are
    open again (and age as before), and its voucher is reversed in red on the day, the red
    credit closing the write-off's own. A write-off with money recovered is refused: the
    recovery reinstated part of the debt already."""
    permission_require(actor, "receivables.approve_writeoff")
    reason = reason.strip()
    if not reason:
        raise BadDebtInvalid(fields={"reason": [_("Say why the write-off is reversed.")]})
    on = on or timezone.localdate()
    business_dates_require({"on": on})
    customer_for(actor, writeoff.customer_id)
    writeoff = for_update(WriteOff.objects.select_related("customer")).get(pk=writeoff.pk)
    if writeoff.status != WriteOffStatus.POSTED:
        raise WriteOffNotInStatus(number=writeoff.number, status=writeoff.get_status_display())
    if writeoff.recovered_amount:
        raise BadDebtInvalid(
            fields={"reason": [_("Money was recovered on this write-off: it cannot be reversed.")]}
        )
    if on < writeoff.written_off_on:
        raise BadDebtInvalid(
            fields={"on": [_("A write-off cannot be reversed before it was posted.")]}
        )
    for line in writeoff.lines.select_related("match").order_by("pk"):
        if line.match is not None and line.match.undone_on is None:
            try:
                open_item_unmatch(actor=actor, match=line.match, on=on)
            except OpenItemMatchInvalid as exc:
                raise BadDebtInvalid(fields={"on": [exc.message]}) from exc
    receivable, _advance = customer_accounts()
    # The write-off's credit on the receivable, closed by the red one posted below.
    originals = [
        item
        for item in open_items_for_source(
            source_type=provisions.SOURCE_WRITEOFF, source_ids=[writeoff.pk]
        )
        if in_subtree(item, receivable)
    ]
    writeoff.status = WriteOffStatus.REVERSED
    writeoff.reversed_on = on
    writeoff.reversed_by = actor
    writeoff.reverse_reason = reason[:300]
    writeoff.save(update_fields=["status", "reversed_on", "reversed_by", "reverse_reason"])
    customer = writeoff.customer
    summary = (
        _("Write-off reversed, %(number)s, %(customer)s")
        % {"number": writeoff.number, "customer": customer.name}
    )[:200]
    posting_post(
        event=PostingEvent(
            source_type=provisions.SOURCE_WRITEOFF,
            source_id=str(writeoff.pk),
            event=provisions.EVENT_WRITE_OFF_REVERSE,
            date=on,
            summary=summary,
            lines=postings.negated(
                provisions.writeoff_lines(
                    amount=writeoff.amount,
                    customer_code=customer.number,
                    with_provision=books_keep_provision(),
                    summary=summary,
                )
            ),
            red=True,
        ),
        actor=actor,
    )
    red_twins_close(
        originals=originals,
        source_type=provisions.SOURCE_WRITEOFF,
        source_id=writeoff.pk,
        actor=actor,
        on=on,
    )
    return writeoff


# --- Recoveries -------------------------------------------------------------------------------


@audited
@transaction.atomic
def recovery_create(
    *,
    writeoff: WriteOff,
    amount: Decimal,
    actor: User,
    on: date | None = None,
    notes: str = "",
) -> Recovery:
    """Record money for a debt written off, at most what is left to recover. 企业会计准则:
    the receivable is reinstated against the provision (an open item the receipt then
    settles); 小企业会计准则: the money goes to non-operating income."""
    permission_require(actor, "receivables.add_recovery")
    on = on or timezone.localdate()
    business_dates_require({"on": on})
    problem = amount_problem(amount)
    if problem:
        raise BadDebtInvalid(fields={"amount": [problem]})
    customer_for(actor, writeoff.customer_id)
    writeoff = for_update(WriteOff.objects.select_related("customer")).get(pk=writeoff.pk)
    if writeoff.status != WriteOffStatus.POSTED:
        raise WriteOffNotInStatus(number=writeoff.number, status=writeoff.get_status_display())
    if on < writeoff.written_off_on:
        raise BadDebtInvalid(
            fields={"on": [_("A debt cannot be recovered before it was written off.")]}
        )
    left = writeoff.amount - writeoff.recovered_amount
    if amount > left:
        raise RecoveryExceeds(
            number=writeoff.number, left=money_text(left), amount=money_text(amount)
        )
    recovery = Recovery.objects.create(
        number=number_next(series=RECOVERY_SERIES, period=on.strftime("%Y%m")),
        writeoff=writeoff,
        recovered_on=on,
        amount=amount,
        notes=notes.strip()[:300],
        created_by=actor,
    )
    writeoff.recovered_amount = writeoff.recovered_amount + amount
    writeoff.save(update_fields=["recovered_amount"])
    with_provision = books_keep_provision()
    summary = (
        _("Bad debt recovered, %(number)s, %(customer)s")
        % {"number": writeoff.number, "customer": writeoff.customer.name}
    )[:200]
    posting_post(
        event=PostingEvent(
            source_type=provisions.SOURCE_RECOVERY,
            source_id=str(recovery.pk),
            event=provisions.EVENT_RECOVER,
            date=on,
            summary=summary,
            lines=provisions.recovery_lines(
                amount=amount,
                customer_code=writeoff.customer.number,
                with_provision=with_provision,
                summary=summary,
            ),
            word="转" if with_provision else "收",
        ),
        actor=actor,
    )
    return recovery
