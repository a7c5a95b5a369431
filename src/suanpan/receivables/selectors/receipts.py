"""Reads of receipts and bank accounts, scoped by the customers the user sees."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from suanpan.core.listing import list_filtered
from suanpan.customers.selectors import customer_scoped
from suanpan.ledger.selectors import open_items_for_source
from suanpan.receivables.calculations import postings
from suanpan.receivables.filters.receipts import ReceiptFilter
from suanpan.receivables.models import BankAccount, Receipt, SettlementLine
from suanpan.users.models import User


def receipt_visible(*, user: User) -> QuerySet[Receipt]:
    return customer_scoped(Receipt.objects.all(), user=user, perm="receivables.view_receipt")


def receipt_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[Receipt], ReceiptFilter]:
    """Receipts, filtered and sorted (newest first unless asked otherwise)."""
    base = receipt_visible(user=user).select_related("customer", "bank_account")
    filterset = ReceiptFilter(data=filters or {}, queryset=base)
    rows = list_filtered(filterset, base=base, default_ordering=("-received_on", "-id"))
    return rows, filterset


def receipt_get(*, user: User, pk: int | str) -> Receipt:
    """One receipt the user may see; any other id answers 404."""
    try:
        return (
            receipt_visible(user=user)
            .select_related("customer", "bank_account", "created_by", "cancelled_by")
            .get(pk=pk)
        )
    except (Receipt.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def receipt_open(receipt: Receipt) -> dict[str, Any]:
    """What of the receipt is still open: on the receivable account (received, not yet
    settled) and as the customer's advance, as positive amounts."""
    items = open_items_for_source(source_type=postings.SOURCE_RECEIPT, source_ids=[receipt.pk])
    originals = [item for item in items if item.amount < 0]
    return {
        "open": -sum((item.open_amount for item in originals), start=0),
        "items": originals,
    }


def receipt_lines(receipt: Receipt) -> QuerySet[SettlementLine]:
    """What the receipt settled, settlement by settlement (undone ones too)."""
    return (
        SettlementLine.objects.filter(
            credit_source_type=postings.SOURCE_RECEIPT,
            credit_source_id=str(receipt.pk),
            is_transfer=False,
        )
        .select_related("settlement")
        .order_by("settlement__settled_on", "pk")
    )


def receipt_reference_texts(source_ids: Sequence[str]) -> dict[str, str]:
    """The words receipts' credit items may name documents in (reference and notes), by the
    items' source id: one query for all of a customer's credits."""
    ids = [int(pk) for pk in source_ids if pk.isdigit()]
    return {
        str(pk): f"{reference} {notes}"
        for pk, reference, notes in Receipt.objects.filter(pk__in=ids).values_list(
            "pk", "reference", "notes"
        )
    }


def bank_accounts(*, active_only: bool = True) -> QuerySet[BankAccount]:
    accounts = BankAccount.objects.all()
    return accounts.filter(is_active=True) if active_only else accounts
