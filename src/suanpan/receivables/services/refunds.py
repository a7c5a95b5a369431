"""Refunds (退款单): paying back what a customer paid in advance or over, out of its open
credits oldest first, and cancelling a refund in red.

The customer row is locked first (docs/locking.md), so a refund and a settlement of one
customer run one after the other; the ledger's match refuses more than a credit has open, so
two refunds can never pay the same credit twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.limits import MAX_AMOUNT
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.core.templatetags.money import amount_text as money_text
from suanpan.ledger.errors import OpenItemMatchExceeds, OpenItemMatchInvalid
from suanpan.ledger.selectors import open_items_for_source, open_items_get
from suanpan.ledger.services import (
    PostingEvent,
    business_dates_require,
    open_item_match,
    open_item_unmatch,
    posting_post,
)
from suanpan.receivables.calculations import postings
from suanpan.receivables.calculations.pairing import Chosen, pairs_oldest_first
from suanpan.receivables.choices import ReceiptStatus, RefundMethod
from suanpan.receivables.errors import RefundExceeds, RefundInvalid, RefundNotInStatus
from suanpan.receivables.models import BankAccount, Refund, RefundLine
from suanpan.receivables.selectors.sides import customer_accounts, in_subtree, open_sides
from suanpan.receivables.services.reversals import red_twins_close
from suanpan.receivables.services.settlements import customer_for, item_label
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

ZERO = Decimal(0)
SERIES = "TK"


@dataclass(frozen=True)
class RefundInput:
    customer_id: int
    refunded_on: date
    amount: Decimal
    reason: str
    method: str = RefundMethod.BANK_TRANSFER
    bank_account_id: int | None = None
    payee_name: str = ""
    payee_account: str = ""


def _problems(data: RefundInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.amount <= 0:
        errors["amount"] = [_("The amount must be positive.")]
    elif data.amount > MAX_AMOUNT or data.amount != data.amount.quantize(Decimal("0.01")):
        errors["amount"] = [_("Enter an amount in yuan with at most two decimals.")]
    if data.method not in RefundMethod.values:
        errors["method"] = [_("Choose how the money went back.")]
    if not data.reason.strip():
        errors["reason"] = [_("Say why the money is paid back.")]
    if (
        data.bank_account_id is not None
        and not BankAccount.objects.filter(pk=data.bank_account_id, is_active=True).exists()
    ):
        errors["bank_account"] = [_("Choose one of the company's active bank accounts.")]
    return errors


def refund_summary(refund: Refund) -> str:
    return _("Refund %(number)s, %(customer)s") % {
        "number": refund.number,
        "customer": refund.customer.name,
    }


def _post(
    refund: Refund,
    *,
    from_advance: Decimal,
    from_receivable: Decimal,
    actor: User,
    cancel: bool = False,
) -> None:
    summary = refund_summary(refund)[:200]
    lines = postings.refund_lines(
        method=refund.method,
        from_advance=from_advance,
        from_receivable=from_receivable,
        customer_code=refund.customer.number,
        summary=summary,
    )
    posting_post(
        event=PostingEvent(
            source_type=postings.SOURCE_REFUND,
            source_id=str(refund.pk),
            event=postings.EVENT_CANCEL if cancel else postings.EVENT_REFUND,
            date=(refund.cancelled_on or refund.refunded_on) if cancel else refund.refunded_on,
            summary=summary,
            lines=postings.negated(lines) if cancel else lines,
            word="付",
            red=cancel,
        ),
        actor=actor,
    )


@audited
@transaction.atomic
def refund_create(*, data: RefundInput, actor: User) -> Refund:
    """Record and post a refund: it pays back the customer's open credits oldest first (its
    advances and any credit on the receivable account) and is matched against them, so what
    it paid back is no longer open. Refused when the customer has less open to pay back."""
    permission_require(actor, "receivables.add_refund")
    business_dates_require({"refunded_on": data.refunded_on})
    errors = _problems(data)
    if errors:
        raise RefundInvalid(fields=errors)
    _receivable, advance = customer_accounts()
    customer = customer_for(actor, data.customer_id)
    _debits, credits = open_sides(customer)
    # Only what was posted by the refund's day can be paid back on it.
    credits = [row for row in credits if row.posted_on <= data.refunded_on]
    available = -sum((row.open_amount for row in credits), ZERO)
    if data.amount > available:
        raise RefundExceeds(available=money_text(available), amount=money_text(data.amount))
    taken = pairs_oldest_first(
        [Chosen(0, data.amount)], [Chosen(row.pk, -row.open_amount) for row in credits]
    )
    items = open_items_get(pks=[pair.credit_item_id for pair in taken])
    from_advance = sum(
        (p.amount for p in taken if in_subtree(items[p.credit_item_id], advance)), ZERO
    )
    refund = Refund.objects.create(
        number=number_next(series=SERIES, period=data.refunded_on.strftime("%Y%m")),
        customer=customer,
        refunded_on=data.refunded_on,
        amount=data.amount,
        method=data.method,
        bank_account_id=data.bank_account_id if data.method != RefundMethod.CASH else None,
        payee_name=data.payee_name.strip()[:200],
        payee_account=data.payee_account.replace(" ", "")[:40],
        reason=data.reason.strip()[:300],
        created_by=actor,
    )
    _post(
        refund,
        from_advance=from_advance,
        from_receivable=data.amount - from_advance,
        actor=actor,
    )
    own = open_items_for_source(source_type=postings.SOURCE_REFUND, source_ids=[refund.pk])
    lines = []
    for pair in taken:
        credit = items[pair.credit_item_id]
        # The refund's debit on the same side (advance or receivable) as the credit it pays.
        debit = next(i for i in own if in_subtree(i, advance) == in_subtree(credit, advance))
        try:
            match = open_item_match(
                actor=actor,
                debit_item=debit,
                credit_item=credit,
                amount=pair.amount,
                on=data.refunded_on,
            )
        except OpenItemMatchExceeds as exc:
            # Another refund or settlement took the credit since it was read.
            raise RefundExceeds(
                available=exc.params.get("open", ""), amount=money_text(pair.amount)
            ) from exc
        except OpenItemMatchInvalid as exc:
            raise RefundInvalid(fields={"amount": [exc.message]}) from exc
        lines.append(
            RefundLine(
                refund=refund,
                match=match,
                amount=pair.amount,
                credit_source_type=credit.source_type,
                credit_source_id=credit.source_id,
                credit_label=item_label(credit),
            )
        )
    RefundLine.objects.bulk_create(lines)
    return refund


@audited
@transaction.atomic
def refund_cancel(*, refund: Refund, reason: str, actor: User, on: date | None = None) -> Refund:
    """Cancel a refund (the money came back, or it was never sent): its matches are undone, so
    the credits it paid back are open again, and its voucher is reversed in red on the day,
    the red items closing the refund's own."""
    permission_require(actor, "receivables.cancel_refund")
    reason = reason.strip()
    if not reason:
        raise RefundInvalid(fields={"reason": [_("Say why the refund is cancelled.")]})
    on = on or timezone.localdate()
    business_dates_require({"on": on})
    customer_for(actor, refund.customer_id)
    refund = for_update(Refund.objects.select_related("customer")).get(pk=refund.pk)
    if refund.status != ReceiptStatus.POSTED:
        raise RefundNotInStatus(number=refund.number, status=refund.get_status_display())
    if on < refund.refunded_on:
        raise RefundInvalid(fields={"on": [_("A refund cannot be cancelled before it was paid.")]})
    for line in refund.lines.select_related("match"):
        open_item_unmatch(actor=actor, match=line.match, on=on)
    _receivable, advance = customer_accounts()
    items = open_items_for_source(source_type=postings.SOURCE_REFUND, source_ids=[refund.pk])
    from_advance = sum((i.amount for i in items if in_subtree(i, advance)), ZERO)
    refund.status = ReceiptStatus.CANCELLED
    refund.cancelled_on = on
    refund.cancelled_by = actor
    refund.cancel_reason = reason[:300]
    refund.save(update_fields=["status", "cancelled_on", "cancelled_by", "cancel_reason"])
    _post(
        refund,
        from_advance=from_advance,
        from_receivable=refund.amount - from_advance,
        actor=actor,
        cancel=True,
    )
    red_twins_close(
        originals=items, source_type=postings.SOURCE_REFUND, source_id=refund.pk, actor=actor, on=on
    )
    return refund
