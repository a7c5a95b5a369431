"""Stock adjustments (盘盈/盘亏): counted differences booked against stock gains and losses
pending (待处理财产损溢). Draft → posted, or a draft cancelled; a posted adjustment is
corrected by another adjustment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.money import round_amount
from suanpan.inventory.calculations import postings_stock
from suanpan.inventory.choices import MoveKind, StockDocumentStatus
from suanpan.inventory.models import StockAdjustment, StockAdjustmentLine
from suanpan.inventory.services import documents
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.catalog.models import Product

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


def _header_required() -> dict[str, str]:
    return {
        "adjusted_on": _("Enter the date of the stock count."),
        "reason": _("Say why the stock is adjusted."),
    }


def _line_errors(line: AdjustmentLineInput) -> dict[str, str]:
    errors = {}
    if line.quantity == 0:
        errors["quantity"] = _("Enter the difference: more than zero for a gain, less for a loss.")
    if line.unit_cost is not None:
        if line.unit_cost < 0:
            errors["unit_cost"] = _("The unit cost cannot be negative.")
        elif line.quantity < 0:
            errors["unit_cost"] = _(
                "A loss leaves at the moving-average cost; leave its unit cost blank."
            )
    return errors


def _line_row(position: int, line: AdjustmentLineInput) -> StockAdjustmentLine:
    return StockAdjustmentLine(
        position=position, product=line.product, quantity=line.quantity, unit_cost=line.unit_cost
    )


RULES = documents.DocumentRules(
    series=SERIES,
    source_type=postings_stock.ADJUSTMENT_SOURCE,
    move_kind=MoveKind.ADJUSTMENT,
    date_field="adjusted_on",
    header_fields=HEADER_FIELDS,
    header_required=_header_required,
    line_errors=_line_errors,
    line_row=_line_row,
)


@audited
@transaction.atomic
def adjustment_create(
    *, actor: User, data: Mapping[str, Any], lines: Sequence[AdjustmentLineInput]
) -> StockAdjustment:
    """A draft adjustment, numbered TZ-YYYYMM-nnnn by its date (gapless)."""
    permission_require(actor, "inventory.add_stockadjustment")
    return documents.document_draft_create(
        RULES, StockAdjustment(created_by=actor), data=data, lines=lines
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
    return documents.document_draft_update(RULES, adjustment, data=data, lines=lines)


@audited
@transaction.atomic
def adjustment_post(*, actor: User, adjustment: StockAdjustment) -> StockAdjustment:
    """Draft → posted: gains in, losses out (refused with `NegativeStock` beyond what is on
    hand), each line's cost kept, and the voucher: losses Dr stock adjustment / Cr inventory,
    gains Dr inventory / Cr stock adjustment."""
    permission_require(actor, "inventory.change_stockadjustment")
    adjustment = documents.document_locked(adjustment)
    documents.document_status_check(adjustment, StockDocumentStatus.DRAFT)
    lines = list(adjustment.lines.select_related("product"))
    moved = documents.document_moves_apply(
        RULES,
        adjustment,
        lines,
        actor=actor,
        moved_on=adjustment.adjusted_on,
        quantity=lambda line: line.quantity,
        value=lambda line: (
            round_amount(line.quantity * line.unit_cost)
            if line.quantity > 0 and line.unit_cost is not None
            else None
        ),
    )
    for line, move in zip(lines, moved, strict=True):
        line.value_amount = move.value_amount
    StockAdjustmentLine.objects.bulk_update(lines, ["value_amount"])
    documents.document_book(
        RULES,
        adjustment,
        actor=actor,
        event="post",
        on=adjustment.adjusted_on,
        summary=(
            _("Stock adjustment %(number)s: %(reason)s")
            % {"number": adjustment.number, "reason": adjustment.reason}
            # The voucher's summary holds 200 characters; the reason may be longer.
        )[:200],
        entry=postings_stock.adjustment_lines(values=[move.value_amount for move in moved]),
    )
    return documents.document_posted(adjustment)


@audited
@transaction.atomic
def adjustment_cancel(*, actor: User, adjustment: StockAdjustment) -> StockAdjustment:
    """Cancel a draft; a posted adjustment stays (count again and adjust the other way)."""
    permission_require(actor, "inventory.change_stockadjustment")
    adjustment = documents.document_locked(adjustment)
    documents.document_status_check(adjustment, StockDocumentStatus.DRAFT)
    return documents.document_draft_cancel(adjustment)
