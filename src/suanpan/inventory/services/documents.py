"""The steps goods receipts and stock adjustments share.

Both are drafts numbered by their date, with a warehouse and lines of stocked goods; a draft
is changed whole (header and every line), then posted or cancelled. What differs — the header
fields and their messages, the checks of a line, what posting moves and books — each document
says in its own module (`receipts`, `adjustments`) through its `DocumentRules`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.errors import ValidationFailed
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.inventory.choices import StockDocumentStatus
from suanpan.inventory.errors import DocumentNotInStatus
from suanpan.inventory.models import GoodsReceipt, StockAdjustment, StockMove, Warehouse
from suanpan.inventory.services.stock import MoveInput, stock_moves_apply, voucher_book
from suanpan.ledger.services import RoleLine, business_dates_require
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.catalog.models import Product

Document = TypeVar("Document", GoodsReceipt, StockAdjustment)


def _no_more(document: Any, rows: list[Any]) -> None:
    return None


@dataclass(frozen=True)
class DocumentRules:
    """What tells one stock document from the other in the shared steps."""

    series: str  # the number series: RK-YYYYMM-nnnn, TZ-YYYYMM-nnnn
    source_type: str  # what its stock moves and vouchers name as their source
    move_kind: str  # MoveKind of its stock moves
    date_field: str  # the date that numbers the document and dates its moves
    header_fields: tuple[str, ...]
    # Field → message for each header field that must not be blank, in the order shown.
    header_required: Callable[[], dict[str, str]]
    # A line input's own errors (field → message), beyond stocked goods.
    line_errors: Callable[[Any], dict[str, str]]
    # The unsaved line row for a line input at a position.
    line_row: Callable[[int, Any], Any]
    # What a document keeps from its saved lines (a receipt its total).
    lines_saved: Callable[[Any, list[Any]], None] = _no_more


def document_status_check(document: GoodsReceipt | StockAdjustment, *allowed: str) -> None:
    if document.status not in allowed:
        raise DocumentNotInStatus(number=document.number, status=document.get_status_display())


def document_locked(document: Document) -> Document:
    """The document again, its row locked for the rest of the transaction."""
    model: Any = type(document)
    # Its own row only: the warehouse comes along unlocked (docs/locking.md), or a receipt
    # would hold the warehouse while a delivery that holds the stock needs it for its moves.
    locked: Document = for_update(model.objects.select_related("warehouse")).get(pk=document.pk)
    return locked


def _header_assign(
    rules: DocumentRules, document: GoodsReceipt | StockAdjustment, data: Mapping[str, Any]
) -> None:
    was = {rules.date_field: getattr(document, rules.date_field)} if document.pk else None
    for name in rules.header_fields:
        if name in data:
            value = data[name]
            setattr(document, name, value.strip() if isinstance(value, str) else value)
    errors: dict[str, list[str]] = {
        name: [message]
        for name, message in rules.header_required().items()
        if not getattr(document, name)
    }
    warehouse: Warehouse | None = document.warehouse if document.warehouse_id else None
    if warehouse is None:
        errors["warehouse"] = [_("Choose a warehouse.")]
    elif not warehouse.is_active:
        errors["warehouse"] = [_("Warehouse %(warehouse)s is inactive.") % {"warehouse": warehouse}]
    if errors:
        raise ValidationFailed(fields=errors)
    # The document's date within the window; a draft's unchanged date is not checked again.
    business_dates_require({rules.date_field: getattr(document, rules.date_field)}, was=was)


def _lines_build(rules: DocumentRules, lines: Sequence[Any]) -> list[Any]:
    """Checked line rows (unsaved); ValidationFailed names every bad line at once."""
    errors: dict[str, list[str]] = {}
    if not lines:
        errors["lines"] = [_("Add at least one line.")]
    rows = []
    for index, line in enumerate(lines):
        prefix = f"lines.{index}"
        product: Product = line.product
        if not product.is_stocked:
            errors[f"{prefix}.product"] = [
                _("%(product)s is a service and has no stock.") % {"product": product.name}
            ]
        for name, message in rules.line_errors(line).items():
            errors[f"{prefix}.{name}"] = [message]
        rows.append(rules.line_row(index + 1, line))
    if errors:
        raise ValidationFailed(fields=errors)
    return rows


def _lines_save(rules: DocumentRules, document: Model, rows: list[Any]) -> None:
    lines: Any = document.lines  # type: ignore[attr-defined]
    lines.all().delete()
    for row in rows:
        setattr(row, lines.field.name, document)
    lines.model.objects.bulk_create(rows)
    rules.lines_saved(document, rows)


def document_draft_create(
    rules: DocumentRules, document: Document, *, data: Mapping[str, Any], lines: Sequence[Any]
) -> Document:
    """Save a new draft with its lines, numbered by its date (gapless)."""
    document.status = StockDocumentStatus.DRAFT
    _header_assign(rules, document, data)
    rows = _lines_build(rules, lines)
    document.number = number_next(
        series=rules.series, period=getattr(document, rules.date_field).strftime("%Y%m")
    )
    document.save()
    _lines_save(rules, document, rows)
    return document


def document_draft_update(
    rules: DocumentRules, document: Document, *, data: Mapping[str, Any], lines: Sequence[Any]
) -> Document:
    """Change a draft: header and all its lines. The number stays."""
    document = document_locked(document)
    document_status_check(document, StockDocumentStatus.DRAFT)
    _header_assign(rules, document, data)
    rows = _lines_build(rules, lines)
    document.save()
    _lines_save(rules, document, rows)
    return document


def document_draft_cancel(document: Document) -> Document:
    """Mark a locked document cancelled."""
    document.status = StockDocumentStatus.CANCELLED
    document.save(update_fields=["status"])
    return document


def document_moves_apply(
    rules: DocumentRules,
    document: GoodsReceipt | StockAdjustment,
    lines: Iterable[Any],
    *,
    actor: User,
    moved_on: date,
    quantity: Callable[[Any], Decimal],
    value: Callable[[Any], Decimal | None] = lambda line: None,
) -> list[StockMove]:
    """Move each line's goods in (`quantity` positive) or out of the document's warehouse, at
    `value` for goods in (None: at the moving average)."""
    return stock_moves_apply(
        moves=[
            MoveInput(
                product=line.product,
                warehouse=document.warehouse,
                quantity=quantity(line),
                value=value(line),
                kind=rules.move_kind,
                moved_on=moved_on,
                source_type=rules.source_type,
                source_id=str(document.pk),
                reference=document.number,
            )
            for line in lines
        ],
        actor=actor,
    )


def document_book(
    rules: DocumentRules,
    document: GoodsReceipt | StockAdjustment,
    *,
    actor: User,
    event: str,
    on: date,
    summary: str,
    entry: tuple[RoleLine, ...],
    red: bool = False,
) -> None:
    """Post the document's voucher for `event`, unless the posting rule gave no lines."""
    voucher_book(
        source_type=rules.source_type,
        source_id=document.pk,
        event=event,
        on=on,
        summary=summary,
        lines=entry,
        red=red,
        actor=actor,
    )


def document_posted(document: Document) -> Document:
    """Mark a locked document posted, now."""
    document.status = StockDocumentStatus.POSTED
    document.posted_at = timezone.now()
    document.save(update_fields=["status", "posted_at"])
    return document
