"""Voiding paper invoices in their month (作废) and the buyer's deduction flag (用途确认): what
an issued invoice may still undergo besides a red letter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.locks import for_update
from suanpan.invoicing.calculations import postings
from suanpan.invoicing.choices import (
    DIGITAL_TYPES,
    InvoiceKind,
    InvoiceStatus,
    RequestStatus,
)
from suanpan.invoicing.errors import (
    InvoiceNotInStatus,
    InvoiceNotVoidable,
    RedLetterInvalid,
)
from suanpan.invoicing.models import (
    Invoice,
    InvoiceLine,
    InvoiceRequest,
)
from suanpan.invoicing.selectors.red_letters import RED_FORM_LIVE
from suanpan.invoicing.services.invoices import (
    MODE_REVENUE,
    invoice_mode,
    invoice_summary,
)
from suanpan.invoicing.services.red_invoices import receivable_items, settle
from suanpan.invoicing.services.red_letters import invoice_locked
from suanpan.ledger.services import (
    PostingEvent,
    business_dates_require,
    posting_post,
)
from suanpan.sales.selectors import order_with_customer
from suanpan.sales.services import order_lines_uninvoice
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.ledger.models import OpenItem
ZERO = Decimal(0)


def _not_voidable(invoice: Invoice, reason: str) -> InvoiceNotVoidable:
    return InvoiceNotVoidable(number=str(invoice), reason=reason)


@audited
@transaction.atomic
def invoice_void(*, invoice: Invoice, reason: str, actor: User, on: date | None = None) -> Invoice:
    """Void (作废) a paper invoice in the month it was issued, before the buyer used it and
    before anything settled it: its voucher reversed in red, its order lines and request free
    to invoice again. A digital invoice is reversed in red instead."""
    permission_require(actor, "invoicing.void_invoice")
    on = on or timezone.localdate()
    reason = reason.strip()
    if not reason:
        raise RedLetterInvalid(fields={"reason": [_("Say why the invoice is voided.")]})
    business_dates_require({"on": on})
    request = None
    if invoice.request_id is not None:
        # The request comes before the invoice in the lock order.
        request = for_update(InvoiceRequest.objects.all()).get(pk=invoice.request_id)
    invoice = invoice_locked(invoice)
    if invoice.kind != InvoiceKind.BLUE or invoice.status != InvoiceStatus.ISSUED:
        raise InvoiceNotInStatus(number=str(invoice), status=invoice.get_status_display())
    if invoice.invoice_type in DIGITAL_TYPES:
        raise _not_voidable(invoice, _("a digital (数电) invoice cannot be voided"))
    if (on.year, on.month) != (invoice.issued_on.year, invoice.issued_on.month):
        raise _not_voidable(invoice, _("it was issued in another month"))
    if on < invoice.issued_on:
        raise RedLetterInvalid(fields={"on": [_("Not before the invoice was issued.")]})
    if invoice.deducted:
        raise _not_voidable(invoice, _("the buyer has used it for input VAT"))
    if invoice.red_forms.filter(status__in=RED_FORM_LIVE).exists():
        raise _not_voidable(invoice, _("a red-letter form is entered for it"))
    items = receivable_items([invoice.pk]) if invoice.posted else []
    if any(item.open_amount != item.amount for item in items):
        raise _not_voidable(invoice, _("it has been paid or settled, in full or in part"))
    lines = list(invoice.lines.all())
    quantities: dict[int, Decimal] = {}
    for line in lines:
        if line.order_line_id is not None and line.quantity:
            quantities[line.order_line_id] = (
                quantities.get(line.order_line_id, ZERO) + line.quantity
            )
    # The order's lines before the ledger's rows, as LOCK_ORDER has them.
    if request is not None and request.order_id is not None and quantities:
        order_lines_uninvoice(
            order=order_with_customer(pk=request.order_id),
            quantities=quantities,
            actor=actor,
            reference=str(invoice),
        )
    if invoice.posted:
        _void_post(invoice, lines, items=items, on=on, actor=actor)
    invoice.status = InvoiceStatus.VOIDED
    invoice.voided_on = on
    invoice.void_reason = reason[:300]
    # The request may be issued again (one invoice per request): the voided one lets go of it;
    # its history keeps which request it was.
    invoice.request = None
    invoice.save(update_fields=["status", "voided_on", "void_reason", "request"])
    if request is not None:
        request.status = RequestStatus.APPROVED
        request.save(update_fields=["status"])
    if invoice.posted:
        void_items = [i for i in receivable_items([invoice.pk]) if i.amount < 0]
        settle(void_items, [i for i in items if i.amount > 0], on=on, actor=actor)
    return invoice


def _void_post(
    invoice: Invoice,
    lines: Sequence[InvoiceLine],
    *,
    items: Sequence[OpenItem],
    on: date,
    actor: User,
) -> None:
    """The invoice's voucher in red: the same roles, every amount negated."""
    parts = tuple((item.due_on, -item.amount) for item in items) or (
        (invoice.first_due_on or invoice.issued_on, -invoice.gross_amount),
    )
    amounts = postings.InvoiceAmounts(
        net=-invoice.net_amount,
        tax=-invoice.tax_amount,
        cost=-sum((line.cost_amount for line in lines), ZERO),
        customer_code=invoice.customer.number,
        due_parts=parts,
    )
    summary = (_("Void: %(summary)s") % {"summary": invoice_summary(invoice)})[:200]
    posting_post(
        event=PostingEvent(
            source_type=postings.SOURCE_INVOICE,
            source_id=str(invoice.pk),
            event=postings.EVENT_VOID,
            date=on,
            summary=summary,
            lines=postings.invoice_lines(
                amounts,
                on_invoice=invoice_mode(kind=InvoiceKind.BLUE) == MODE_REVENUE,
                summary=summary,
            ),
            red=True,
        ),
        actor=actor,
    )


@audited
@transaction.atomic
def invoice_mark_deducted(*, invoice: Invoice, actor: User, deducted: bool = True) -> Invoice:
    """The buyer confirmed using the invoice (用途确认), or that was recorded by mistake: from
    then on it is reversed only through a form the other party confirms."""
    permission_require(actor, "invoicing.change_invoice")
    invoice = invoice_locked(invoice)
    if invoice.kind != InvoiceKind.BLUE or invoice.status == InvoiceStatus.VOIDED:
        raise InvoiceNotInStatus(number=str(invoice), status=invoice.get_status_display())
    if not deducted and invoice.red_forms.filter(Q(status__in=RED_FORM_LIVE)).exists():
        raise InvoiceNotInStatus(
            _("Invoice %(number)s has red-letter forms entered; it stays deducted.")
            % {"number": str(invoice)}
        )
    invoice.deducted = deducted
    invoice.save(update_fields=["deducted"])
    return invoice


def invoice_unmark_deducted(*, invoice: Invoice, actor: User) -> Invoice:
    return invoice_mark_deducted(invoice=invoice, actor=actor, deducted=False)
