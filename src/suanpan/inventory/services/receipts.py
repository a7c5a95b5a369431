"""Goods receipts (入库单): draft → posted (stock in, Dr inventory / Cr payable) → cancelled.

A posted receipt is cancelled only while its goods are still on hand: they go out again
through the stock ledger and a red voucher reverses the posting (see `calculations.postings_stock`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.money import round_amount
from suanpan.inventory.calculations import postings_stock
from suanpan.inventory.choices import MoveKind, StockDocumentStatus
from suanpan.inventory.models import GoodsReceipt, GoodsReceiptLine
from suanpan.inventory.services import documents
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.catalog.models import Product

ZERO = Decimal(0)
SERIES = "RK"
HEADER_FIELDS = ("warehouse", "received_on", "supplier", "notes")


@dataclass(frozen=True)
class ReceiptLineInput:
    product: Product
    quantity: Decimal
    unit_cost: Decimal


def _header_required() -> dict[str, str]:
    return {"received_on": _("Enter the date the goods came in.")}


def _line_errors(line: ReceiptLineInput) -> dict[str, str]:
    """Goods in only: quantity > 0, unit cost ≥ 0."""
    errors = {}
    if line.quantity <= 0:
        errors["quantity"] = _("The quantity must be more than zero.")
    if line.unit_cost < 0:
        errors["unit_cost"] = _("The unit cost cannot be negative.")
    return errors


def _line_row(position: int, line: ReceiptLineInput) -> GoodsReceiptLine:
    return GoodsReceiptLine(
        position=position,
        product=line.product,
        quantity=line.quantity,
        unit_cost=line.unit_cost,
        amount=round_amount(line.quantity * line.unit_cost),
    )


def _total_save(receipt: GoodsReceipt, rows: list[GoodsReceiptLine]) -> None:
    receipt.total_amount = sum((row.amount for row in rows), ZERO)
    receipt.save(update_fields=["total_amount"])


RULES = documents.DocumentRules(
    series=SERIES,
    source_type=postings_stock.RECEIPT_SOURCE,
    move_kind=MoveKind.RECEIPT,
    date_field="received_on",
    header_fields=HEADER_FIELDS,
    header_required=_header_required,
    line_errors=_line_errors,
    line_row=_line_row,
    lines_saved=_total_save,
)


@audited
@transaction.atomic
def receipt_create(
    *, actor: User, data: Mapping[str, Any], lines: Sequence[ReceiptLineInput]
) -> GoodsReceipt:
    """A draft receipt, numbered RK-YYYYMM-nnnn by its receipt date (gapless)."""
    permission_require(actor, "inventory.add_goodsreceipt")
    return documents.document_draft_create(
        RULES, GoodsReceipt(created_by=actor), data=data, lines=lines
    )


@audited
@transaction.atomic
def receipt_update(
    *,
    actor: User,
    receipt: GoodsReceipt,
    data: Mapping[str, Any],
    lines: Sequence[ReceiptLineInput],
) -> GoodsReceipt:
    """Change a draft: header and all its lines. The number stays."""
    permission_require(actor, "inventory.change_goodsreceipt")
    return documents.document_draft_update(RULES, receipt, data=data, lines=lines)


@audited
@transaction.atomic
def receipt_post(*, actor: User, receipt: GoodsReceipt) -> GoodsReceipt:
    """Draft → posted: the goods come into stock at their line cost and the total is booked
    Dr inventory / Cr payable, in one transaction."""
    permission_require(actor, "inventory.change_goodsreceipt")
    receipt = documents.document_locked(receipt)
    documents.document_status_check(receipt, StockDocumentStatus.DRAFT)
    documents.document_moves_apply(
        RULES,
        receipt,
        receipt.lines.select_related("product"),
        actor=actor,
        moved_on=receipt.received_on,
        quantity=lambda line: line.quantity,
        value=lambda line: line.amount,
    )
    documents.document_book(
        RULES,
        receipt,
        actor=actor,
        event="post",
        on=receipt.received_on,
        summary=_receipt_summary(receipt),
        entry=postings_stock.receipt_lines(total=receipt.total_amount),
    )
    return documents.document_posted(receipt)


def _receipt_summary(receipt: GoodsReceipt) -> str:
    if receipt.supplier:
        text = _("Goods received from %(supplier)s, %(number)s") % {
            "supplier": receipt.supplier,
            "number": receipt.number,
        }
        return text[:180]  # room for the cancel prefix within the voucher's 200 characters
    return _("Goods received, %(number)s") % {"number": receipt.number}


@audited
@transaction.atomic
def receipt_cancel(*, actor: User, receipt: GoodsReceipt) -> GoodsReceipt:
    """Cancel a draft, or a posted receipt whose goods are all still on hand.

    The goods leave at the moving average of the day, which may differ from their receipt
    cost; the red voucher takes inventory down by that value and the payable by the receipt
    total, the difference going to stock gains and losses pending. `NegativeStock` (naming
    product, warehouse and shortfall) refuses the cancel when the goods have gone.
    """
    permission_require(actor, "inventory.change_goodsreceipt")
    receipt = documents.document_locked(receipt)
    documents.document_status_check(receipt, StockDocumentStatus.DRAFT, StockDocumentStatus.POSTED)
    if receipt.status == StockDocumentStatus.POSTED:
        # Never before the receipt itself, so the stock ledger shows the goods in, then out.
        today = max(timezone.localdate(), receipt.received_on)
        moved = documents.document_moves_apply(
            RULES,
            receipt,
            receipt.lines.select_related("product"),
            actor=actor,
            moved_on=today,
            quantity=lambda line: -line.quantity,
        )
        taken_out = -sum((move.value_amount for move in moved), ZERO)
        documents.document_book(
            RULES,
            receipt,
            actor=actor,
            event="cancel",
            on=today,
            summary=_("Cancelled: %(summary)s") % {"summary": _receipt_summary(receipt)},
            entry=postings_stock.receipt_cancel_lines(
                total=receipt.total_amount, taken_out=taken_out
            ),
            red=True,
        )
    return documents.document_draft_cancel(receipt)
