"""Goods receipts (入库单): draft → posted (stock in, Dr inventory / Cr payable) → cancelled.

A posted receipt is cancelled only while its goods are still on hand: they go out again
through the stock ledger and a red voucher reverses the posting (see `calculations.postings_stock`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.catalog.models import Product
from suanpan.core.audit import audited
from suanpan.core.errors import ValidationFailed
from suanpan.core.money import round_amount
from suanpan.core.numbering import number_next
from suanpan.inventory.calculations import postings_stock
from suanpan.inventory.choices import MoveKind, ReceiptStatus
from suanpan.inventory.errors import DocumentNotInStatus
from suanpan.inventory.models import GoodsReceipt, GoodsReceiptLine, Warehouse
from suanpan.inventory.services.stock import MoveInput, stock_moves_apply
from suanpan.ledger.services import PostingEvent, posting_post
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

ZERO = Decimal(0)
SERIES = "RK"
HEADER_FIELDS = ("warehouse", "received_on", "supplier", "notes")


@dataclass(frozen=True)
class ReceiptLineInput:
    product: Product
    quantity: Decimal
    unit_cost: Decimal


def _status_check(receipt: GoodsReceipt, *allowed: str) -> None:
    if receipt.status not in allowed:
        raise DocumentNotInStatus(number=receipt.number, status=receipt.get_status_display())


def _header_assign(receipt: GoodsReceipt, data: Mapping[str, Any]) -> None:
    for name in HEADER_FIELDS:
        if name in data:
            value = data[name]
            setattr(receipt, name, value.strip() if isinstance(value, str) else value)
    errors: dict[str, list[str]] = {}
    if not receipt.received_on:
        errors["received_on"] = [_("Enter the date the goods came in.")]
    warehouse: Warehouse | None = receipt.warehouse if receipt.warehouse_id else None
    if warehouse is None:
        errors["warehouse"] = [_("Choose a warehouse.")]
    elif not warehouse.is_active:
        errors["warehouse"] = [_("Warehouse %(warehouse)s is inactive.") % {"warehouse": warehouse}]
    if errors:
        raise ValidationFailed(fields=errors)


def _lines_build(lines: Sequence[ReceiptLineInput]) -> list[GoodsReceiptLine]:
    """Checked line rows (unsaved): goods only, quantity > 0, unit cost ≥ 0; amount rounded."""
    errors: dict[str, list[str]] = {}
    if not lines:
        errors["lines"] = [_("Add at least one line.")]
    rows = []
    for index, line in enumerate(lines):
        prefix = f"lines.{index}"
        if not line.product.is_stocked:
            errors[f"{prefix}.product"] = [
                _("%(product)s is a service and has no stock.") % {"product": line.product.name}
            ]
        if line.quantity <= 0:
            errors[f"{prefix}.quantity"] = [_("The quantity must be more than zero.")]
        if line.unit_cost < 0:
            errors[f"{prefix}.unit_cost"] = [_("The unit cost cannot be negative.")]
        rows.append(
            GoodsReceiptLine(
                position=index + 1,
                product=line.product,
                quantity=line.quantity,
                unit_cost=line.unit_cost,
                amount=round_amount(line.quantity * line.unit_cost),
            )
        )
    if errors:
        raise ValidationFailed(fields=errors)
    return rows


def _lines_save(receipt: GoodsReceipt, rows: list[GoodsReceiptLine]) -> None:
    receipt.lines.all().delete()
    for row in rows:
        row.receipt = receipt
    GoodsReceiptLine.objects.bulk_create(rows)
    receipt.total_amount = sum((row.amount for row in rows), ZERO)
    receipt.save(update_fields=["total_amount"])


@audited
@transaction.atomic
def receipt_create(
    *, actor: User, data: Mapping[str, Any], lines: Sequence[ReceiptLineInput]
) -> GoodsReceipt:
    """A draft receipt, numbered RK-YYYYMM-nnnn by its receipt date (gapless)."""
    permission_require(actor, "inventory.add_goodsreceipt")
    receipt = GoodsReceipt(created_by=actor, status=ReceiptStatus.DRAFT)
    _header_assign(receipt, data)
    rows = _lines_build(lines)
    receipt.number = number_next(series=SERIES, period=receipt.received_on.strftime("%Y%m"))
    receipt.save()
    _lines_save(receipt, rows)
    return receipt


def _locked(receipt: GoodsReceipt) -> GoodsReceipt:
    return GoodsReceipt.objects.select_for_update().select_related("warehouse").get(pk=receipt.pk)


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
    receipt = _locked(receipt)
    _status_check(receipt, ReceiptStatus.DRAFT)
    _header_assign(receipt, data)
    rows = _lines_build(lines)
    receipt.save()
    _lines_save(receipt, rows)
    return receipt


@audited
@transaction.atomic
def receipt_post(*, actor: User, receipt: GoodsReceipt) -> GoodsReceipt:
    """Draft → posted: the goods come into stock at their line cost and the total is booked
    Dr inventory / Cr payable, in one transaction."""
    permission_require(actor, "inventory.change_goodsreceipt")
    receipt = _locked(receipt)
    _status_check(receipt, ReceiptStatus.DRAFT)
    lines = list(receipt.lines.select_related("product"))
    stock_moves_apply(
        moves=[
            MoveInput(
                product=line.product,
                warehouse=receipt.warehouse,
                quantity=line.quantity,
                value=line.amount,
                kind=MoveKind.RECEIPT,
                moved_on=receipt.received_on,
                source_type=postings_stock.RECEIPT_SOURCE,
                source_id=str(receipt.pk),
                reference=receipt.number,
            )
            for line in lines
        ],
        actor=actor,
    )
    entry = postings_stock.receipt_lines(total=receipt.total_amount)
    if entry:
        posting_post(
            event=PostingEvent(
                source_type=postings_stock.RECEIPT_SOURCE,
                source_id=str(receipt.pk),
                event="post",
                date=receipt.received_on,
                summary=_receipt_summary(receipt),
                lines=entry,
            ),
            actor=actor,
        )
    receipt.status = ReceiptStatus.POSTED
    receipt.posted_at = timezone.now()
    receipt.save(update_fields=["status", "posted_at"])
    return receipt


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
    receipt = _locked(receipt)
    _status_check(receipt, ReceiptStatus.DRAFT, ReceiptStatus.POSTED)
    if receipt.status == ReceiptStatus.POSTED:
        # Never before the receipt itself, so the stock ledger shows the goods in, then out.
        today = max(timezone.localdate(), receipt.received_on)
        moved = stock_moves_apply(
            moves=[
                MoveInput(
                    product=line.product,
                    warehouse=receipt.warehouse,
                    quantity=-line.quantity,
                    kind=MoveKind.RECEIPT,
                    moved_on=today,
                    source_type=postings_stock.RECEIPT_SOURCE,
                    source_id=str(receipt.pk),
                    reference=receipt.number,
                )
                for line in receipt.lines.select_related("product")
            ],
            actor=actor,
        )
        taken_out = -sum((move.value_amount for move in moved), ZERO)
        entry = postings_stock.receipt_cancel_lines(total=receipt.total_amount, taken_out=taken_out)
        if entry:
            posting_post(
                event=PostingEvent(
                    source_type=postings_stock.RECEIPT_SOURCE,
                    source_id=str(receipt.pk),
                    event="cancel",
                    date=today,
                    summary=_("Cancelled: %(summary)s") % {"summary": _receipt_summary(receipt)},
                    lines=entry,
                    red=True,
                ),
                actor=actor,
            )
    receipt.status = ReceiptStatus.CANCELLED
    receipt.save(update_fields=["status"])
    return receipt
