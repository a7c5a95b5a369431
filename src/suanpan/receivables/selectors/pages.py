"""Reads only the receivables pages need: a document's vouchers and history, what a
customer's tab shows, and the home page's counts for the month."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet

from suanpan.core.history import history_entries
from suanpan.core.sums import fen_sum, yuan
from suanpan.ledger.selectors import SourceVouchers, vouchers_for_source
from suanpan.receivables.calculations import postings
from suanpan.receivables.choices import ReceiptStatus
from suanpan.receivables.models import Receipt, Settlement, SettlementLine
from suanpan.receivables.selectors.receipts import receipt_visible
from suanpan.receivables.selectors.settlements import settlement_visible
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer


def receipt_vouchers(*, receipt: Receipt) -> SourceVouchers:
    """The receipt's voucher and, once cancelled, its red reversal."""
    return vouchers_for_source(source_type=postings.SOURCE_RECEIPT, source_ids=[receipt.pk])


def settlement_vouchers(*, settlement: Settlement) -> SourceVouchers:
    """The transfer voucher of an advance applied — its own, or the batch voucher automatic
    matching posted with a line pair per settlement — and its red reversal once undone."""
    return vouchers_for_source(
        source_type=postings.SOURCE_SETTLEMENT, source_ids=[settlement.pk], with_shared=True
    )


def receipt_history(*, receipt: Receipt, limit: int = 50) -> list[dict[str, Any]]:
    records = receipt.history.select_related("history_user").order_by("-history_id")
    return history_entries(list(records[: limit + 1]), limit=limit)


def settlement_history(*, settlement: Settlement, limit: int = 50) -> list[dict[str, Any]]:
    records = settlement.history.select_related("history_user").order_by("-history_id")
    return history_entries(list(records[: limit + 1]), limit=limit)


def settlement_lines(settlement: Settlement) -> list[SettlementLine]:
    """The settlement's matches in the order made (prefetched by `settlement_get`)."""
    return sorted(settlement.lines.all(), key=lambda line: line.pk)


def customer_receipts(*, user: User, customer: Customer, limit: int = 10) -> QuerySet[Receipt]:
    """The customer's latest receipts the user sees, for the customer page's tab."""
    return (
        receipt_visible(user=user)
        .filter(customer=customer)
        .select_related("bank_account")
        .order_by("-received_on", "-id")[:limit]
    )


def customer_settlements(
    *, user: User, customer: Customer, limit: int = 10
) -> QuerySet[Settlement]:
    """The customer's latest settlements the user sees, for the customer page's tab."""
    if not user.has_perm("receivables.view_settlement"):
        return Settlement.objects.none()
    return (
        settlement_visible(user=user)
        .filter(customer=customer)
        .select_related("receipt")
        .order_by("-settled_on", "-id")[:limit]
    )


def month_figures(*, user: User, today: date) -> dict[str, Any]:
    """This month's receipts (how many, how much, cancelled ones left out) and settlements
    (undone ones left out), of the customers the user sees: two queries."""
    start = today.replace(day=1)
    receipts = (
        receipt_visible(user=user)
        .filter(received_on__gte=start, received_on__lte=today, status=ReceiptStatus.POSTED)
        .aggregate(count=Count("pk"), fen=fen_sum("amount"))
    )
    settlements = Settlement.objects.none()
    if user.has_perm("receivables.view_settlement"):
        settlements = settlement_visible(user=user)
    settled = settlements.filter(
        settled_on__gte=start, settled_on__lte=today, undone_on__isnull=True
    ).aggregate(count=Count("pk"), fen=fen_sum("amount"))
    return {
        "receipt_count": receipts["count"],
        "received": yuan(receipts["fen"]),
        "settlement_count": settled["count"],
        "settled": yuan(settled["fen"]),
    }
