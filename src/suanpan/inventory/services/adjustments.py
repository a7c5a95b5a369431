"""Stock adjustments (盘盈/盘亏): counted differences booked against stock gains and losses
pending (待处理财产损溢). Draft → posted, or a draft cancelled; a posted adjustment is
corrected by another adjustment."""

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
from suanpan.inventory.models import StockAdjustment, StockAdjustmentLine, Warehouse
from suanpan.inventory.services.stock import MoveInput, stock_moves_apply
from suanpan.ledger.services import PostingEvent, posting_post
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

SERIES = "TZ"
HEADER_FIELDS = ("warehouse", "adjusted_on", "reason")


@dataclass(frozen=True)
class AdjustmentLineInput:
    """A counted difference: positive quantity a gain (盘盈), negative a loss (盘亏). A gain
    may carry the unit cost it comes in at; without one it comes in at the moving average
    (or the standard cost when none is on hand)."""

    product: Product
    quantity: Decimal
    unit_cost: Decimal | None = None


def _status_check(adjustment: StockAdjustment, *allowed: str) -> None:
    if adjustment.status not in allowed:
        raise DocumentNotInStatus(number=adjustment.number, status=adjustment.get_status_display())


def _header_assign(adjustment: StockAdjustment, data: Mapping[str, Any]) -> None:
    for name in HEADER_FIELDS:
        if name in data:
            value = data[name]
            setattr(adjustment, name, value.strip() if isinstance(value, str) else value)
    errors: dict[str, list[str]] = {}
    if not adjustment.adjusted_on:
        errors["adjusted_on"] = [_("Enter the date of the stock count.")]
    if not adjustment.reason:
        errors["reason"] = [_("Say why the stock is adjusted.")]
    warehouse: Warehouse | None = adjustment.warehouse if adjustment.warehouse_id else None
    if warehouse is None:
        errors["warehouse"] = [_("Choose a warehouse.")]
    elif not warehouse.is_active:
        errors["warehouse"] = [_("Warehouse %(warehouse)s is inactive.") % {"warehouse": warehouse}]
    if errors:
        raise ValidationFailed(fields=errors)


def _lines_build(lines: Sequence[AdjustmentLineInput]) -> list[StockAdjustmentLine]:
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
        if line.quantity == 0:
            errors[f"{prefix}.quantity"] = [
                _("Enter the difference: more than zero for a gain, less for a loss.")
            ]
        if line.unit_cost is not None:
            if line.unit_cost < 0:
                errors[f"{prefix}.unit_cost"] = [_("The unit cost cannot be negative.")]
            elif line.quantity < 0:
                errors[f"{prefix}.unit_cost"] = [
                    _("A loss leaves at the moving-average cost; leave its unit cost blank.")
                ]
        rows.append(
            StockAdjustmentLine(
                position=index + 1,
                product=line.product,
                quantity=line.quantity,
                unit_cost=line.unit_cost,
            )
        )
    if errors:
        raise ValidationFailed(fields=errors)
    return rows


def _lines_save(adjustment: StockAdjustment, rows: list[StockAdjustmentLine]) -> None:
    adjustment.lines.all().delete()
    for row in rows:
        row.adjustment = adjustment
    StockAdjustmentLine.objects.bulk_create(rows)


@audited
@transaction.atomic
def adjustment_create(
    *, actor: User, data: Mapping[str, Any], lines: Sequence[AdjustmentLineInput]
) -> StockAdjustment:
    """A draft adjustment, numbered TZ-YYYYMM-nnnn by its date (gapless)."""
    permission_require(actor, "inventory.add_stockadjustment")
    adjustment = StockAdjustment(created_by=actor, status=ReceiptStatus.DRAFT)
    _header_assign(adjustment, data)
    rows = _lines_build(lines)
    adjustment.number = number_next(series=SERIES, period=adjustment.adjusted_on.strftime("%Y%m"))
    adjustment.save()
    _lines_save(adjustment, rows)
    return adjustment


def _locked(adjustment: StockAdjustment) -> StockAdjustment:
    return (
        StockAdjustment.objects.select_for_update()
        .select_related("warehouse")
        .get(pk=adjustment.pk)
    )


@audited
@transaction.atomic
def adjustment_update(
    *,
    actor: User,
    adjustment: StockAdjustment,
    data: Mapping[str, Any],
    lines: Sequence[AdjustmentLineInput],
) -> StockAdjustment:
    permission_require(actor, "inventory.change_stockadjustment")
    adjustment = _locked(adjustment)
    _status_check(adjustment, ReceiptStatus.DRAFT)
    _header_assign(adjustment, data)
    rows = _lines_build(lines)
    adjustment.save()
    _lines_save(adjustment, rows)
    return adjustment


@audited
@transaction.atomic
def adjustment_post(*, actor: User, adjustment: StockAdjustment) -> StockAdjustment:
    """Draft → posted: gains in, losses out (refused with `NegativeStock` beyond what is on
    hand), each line's cost kept, and the voucher: losses Dr stock adjustment / Cr inventory,
    gains Dr inventory / Cr stock adjustment."""
    permission_require(actor, "inventory.change_stockadjustment")
    adjustment = _locked(adjustment)
    _status_check(adjustment, ReceiptStatus.DRAFT)
    lines = list(adjustment.lines.select_related("product"))
    moved = stock_moves_apply(
        moves=[
            MoveInput(
                product=line.product,
                warehouse=adjustment.warehouse,
                quantity=line.quantity,
                value=(
                    round_amount(line.quantity * line.unit_cost)
                    if line.quantity > 0 and line.unit_cost is not None
                    else None
                ),
                kind=MoveKind.ADJUSTMENT,
                moved_on=adjustment.adjusted_on,
                source_type=postings_stock.ADJUSTMENT_SOURCE,
                source_id=str(adjustment.pk),
                reference=adjustment.number,
            )
            for line in lines
        ],
        actor=actor,
    )
    for line, move in zip(lines, moved, strict=True):
        line.value_amount = move.value_amount
    StockAdjustmentLine.objects.bulk_update(lines, ["value_amount"])
    entry = postings_stock.adjustment_lines(values=[move.value_amount for move in moved])
    if entry:
        posting_post(
            event=PostingEvent(
                source_type=postings_stock.ADJUSTMENT_SOURCE,
                source_id=str(adjustment.pk),
                event="post",
                date=adjustment.adjusted_on,
                summary=(
                    _("Stock adjustment %(number)s: %(reason)s")
                    % {"number": adjustment.number, "reason": adjustment.reason}
                    # The voucher's summary holds 200 characters; the reason may be longer.
                )[:200],
                lines=entry,
            ),
            actor=actor,
        )
    adjustment.status = ReceiptStatus.POSTED
    adjustment.posted_at = timezone.now()
    adjustment.save(update_fields=["status", "posted_at"])
    return adjustment


@audited
@transaction.atomic
def adjustment_cancel(*, actor: User, adjustment: StockAdjustment) -> StockAdjustment:
    """Cancel a draft; a posted adjustment stays (count again and adjust the other way)."""
    permission_require(actor, "inventory.change_stockadjustment")
    adjustment = _locked(adjustment)
    _status_check(adjustment, ReceiptStatus.DRAFT)
    adjustment.status = ReceiptStatus.CANCELLED
    adjustment.save(update_fields=["status"])
    return adjustment
