"""Receipts (收款单): recording money a customer paid, settling invoices with it at once, and
cancelling it in red."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.limits import MAX_AMOUNT
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.ledger.selectors import open_items_for_source
from suanpan.ledger.services import (
    PostingEvent,
    business_dates_require,
    posting_post,
)
from suanpan.receivables.calculations import postings
from suanpan.receivables.choices import ReceiptMethod, ReceiptStatus, SettlementKind
from suanpan.receivables.errors import ReceiptInvalid, ReceiptNotInStatus
from suanpan.receivables.models import BankAccount, Receipt, Settlement
from suanpan.receivables.selectors.sides import customer_accounts, in_subtree
from suanpan.receivables.services.reversals import red_twins_close
from suanpan.receivables.services.settlement_plans import Pair
from suanpan.receivables.services.settlements import (
    customer_for,
    settle_pairs,
    settlement_undo,
)
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

ZERO = Decimal(0)
SERIES = "SK"


@dataclass(frozen=True)
class Allocation:
    """Settle `amount` of a debit item (an invoice instalment) with the receipt."""

    item_id: int
    amount: Decimal


@dataclass(frozen=True)
class ReceiptInput:
    customer_id: int
    received_on: date
    amount: Decimal
    method: str = ReceiptMethod.BANK_TRANSFER
    bank_account_id: int | None = None
    bill_number: str = ""
    bill_matures_on: date | None = None
    payer_name: str = ""
    payer_account: str = ""
    reference: str = ""
    notes: str = ""
    allocations: Sequence[Allocation] = field(default_factory=tuple)


def _problems(data: ReceiptInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.amount <= 0:
        errors["amount"] = [_("The amount must be positive.")]
    elif data.amount > MAX_AMOUNT or data.amount != data.amount.quantize(Decimal("0.01")):
        errors["amount"] = [_("Enter an amount in yuan with at most two decimals.")]
    if data.method not in ReceiptMethod.values:
        errors["method"] = [_("Choose how the money came.")]
    if data.method == ReceiptMethod.ACCEPTANCE_BILL:
        if not data.bill_number.strip():
            errors["bill_number"] = [_("An acceptance bill needs its number.")]
        if data.bill_matures_on is None:
            errors["bill_matures_on"] = [_("An acceptance bill needs its maturity date.")]
        elif data.bill_matures_on < data.received_on:
            errors["bill_matures_on"] = [_("The bill cannot mature before it was received.")]
    if (
        data.bank_account_id is not None
        and not BankAccount.objects.filter(pk=data.bank_account_id, is_active=True).exists()
    ):
        errors["bank_account"] = [_("Choose one of the company's active bank accounts.")]
    allocated = sum((a.amount for a in data.allocations), ZERO)
    if any(a.amount <= 0 for a in data.allocations):
        errors["allocations"] = [_("Every amount settled must be positive.")]
    elif "amount" not in errors and allocated > data.amount:
        errors["allocations"] = [
            _("The receipt settles %(allocated)s but is only %(amount)s.")
            % {"allocated": f"{allocated:,.2f}", "amount": f"{data.amount:,.2f}"}
        ]
    return errors


def receipt_summary(receipt: Receipt) -> str:
    return _("Receipt %(number)s, %(customer)s") % {
        "number": receipt.number,
        "customer": receipt.customer.name,
    }


def _post(receipt: Receipt, *, settled: Decimal, actor: User, cancel: bool = False) -> None:
    summary = receipt_summary(receipt)[:200]
    lines = postings.receipt_lines(
        method=receipt.method,
        amount=receipt.amount,
        settled=settled,
        customer_code=receipt.customer.number,
        summary=summary,
    )
    posting_post(
        event=PostingEvent(
            source_type=postings.SOURCE_RECEIPT,
            source_id=str(receipt.pk),
            event=postings.EVENT_CANCEL if cancel else postings.EVENT_RECEIVE,
            date=(receipt.cancelled_on or receipt.received_on) if cancel else receipt.received_on,
            summary=summary,
            lines=postings.negated(lines) if cancel else lines,
            word="收",
            red=cancel,
        ),
        actor=actor,
    )


@audited
@transaction.atomic
def receipt_create(*, data: ReceiptInput, actor: User) -> Receipt:
    """Record and post a receipt; the allocations settle invoices with it at once (one
    settlement), what they leave is the customer's advance (预收)."""
    permission_require(actor, "receivables.add_receipt")
    business_dates_require(
        {"received_on": data.received_on}, {"bill_matures_on": data.bill_matures_on}
    )
    errors = _problems(data)
    if errors:
        raise ReceiptInvalid(fields=errors)
    customer_accounts()
    customer = customer_for(actor, data.customer_id)
    receipt = Receipt.objects.create(
        number=number_next(series=SERIES, period=data.received_on.strftime("%Y%m")),
        customer=customer,
        received_on=data.received_on,
        amount=data.amount,
        method=data.method,
        bank_account_id=data.bank_account_id,
        bill_number=data.bill_number.strip()[:40],
        bill_matures_on=data.bill_matures_on
        if data.method == ReceiptMethod.ACCEPTANCE_BILL
        else None,
        payer_name=data.payer_name.strip()[:200],
        payer_account=data.payer_account.replace(" ", "")[:40],
        reference=data.reference.strip()[:200],
        notes=data.notes.strip()[:500],
        created_by=actor,
    )
    settled = sum((a.amount for a in data.allocations), ZERO)
    _post(receipt, settled=settled, actor=actor)
    if settled:
        receivable, _advance = customer_accounts()
        credit = next(
            item
            for item in open_items_for_source(
                source_type=postings.SOURCE_RECEIPT, source_ids=[receipt.pk]
            )
            if in_subtree(item, receivable)
        )
        settle_pairs(
            customer,
            [Pair(a.item_id, credit.pk, a.amount) for a in data.allocations],
            on=receipt.received_on,
            kind=SettlementKind.RECEIPT,
            actor=actor,
            receipt_id=receipt.pk,
        )
    return receipt


def receipt_settlements(receipt: Receipt) -> list[Settlement]:
    """Live settlements that used the receipt: made with it, or applying its advance."""
    return list(
        Settlement.objects.filter(
            undone_on__isnull=True,
            lines__credit_source_type=postings.SOURCE_RECEIPT,
            lines__credit_source_id=str(receipt.pk),
        )
        .distinct()
        .order_by("-settled_on", "-pk")
    )


@audited
@transaction.atomic
def receipt_cancel(
    *, receipt: Receipt, reason: str, actor: User, on: date | None = None
) -> Receipt:
    """Cancel a receipt: what it settled is undone first, then its voucher is reversed in red
    on the day and the red items close the receipt's own."""
    permission_require(actor, "receivables.cancel_receipt")
    reason = reason.strip()
    if not reason:
        raise ReceiptInvalid(fields={"reason": [_("Say why the receipt is cancelled.")]})
    on = on or timezone.localdate()
    business_dates_require({"on": on})
    customer_for(actor, receipt.customer_id)
    receipt = for_update(Receipt.objects.select_related("customer")).get(pk=receipt.pk)
    if receipt.status != ReceiptStatus.POSTED:
        raise ReceiptNotInStatus(number=receipt.number, status=receipt.get_status_display())
    if on < receipt.received_on:
        raise ReceiptInvalid(
            fields={"on": [_("A receipt cannot be cancelled before it was received.")]}
        )
    for settlement in receipt_settlements(receipt):
        settlement_undo(settlement=settlement, actor=actor, on=on)
    items = open_items_for_source(source_type=postings.SOURCE_RECEIPT, source_ids=[receipt.pk])
    receivable, _advance = customer_accounts()
    settled = -sum(
        (item.amount for item in items if item.amount < 0 and in_subtree(item, receivable)), ZERO
    )
    receipt.status = ReceiptStatus.CANCELLED
    receipt.cancelled_on = on
    receipt.cancelled_by = actor
    receipt.cancel_reason = reason[:300]
    receipt.save(update_fields=["status", "cancelled_on", "cancelled_by", "cancel_reason"])
    _post(receipt, settled=settled, actor=actor, cancel=True)
    red_twins_close(
        originals=items,
        source_type=postings.SOURCE_RECEIPT,
        source_id=receipt.pk,
        actor=actor,
        on=on,
    )
    return receipt
