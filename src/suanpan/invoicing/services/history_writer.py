"""Writing checked history invoices in batches: COPY on PostgreSQL (bulk_create elsewhere) and,
when asked, their postings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from suanpan.core.fields import ScaledIntegerField
from suanpan.core.tax import VAT_RATES
from suanpan.invoicing.calculations import postings
from suanpan.invoicing.calculations.lines import unit_price_net
from suanpan.invoicing.choices import (
    InvoiceKind,
    InvoiceSource,
    InvoiceStatus,
)
from suanpan.invoicing.errors import HistoryImportInvalid
from suanpan.invoicing.models import Invoice, InvoiceBatch, InvoiceLine
from suanpan.invoicing.services.history_copy import copy_available, ids_draw, rows_copy
from suanpan.invoicing.services.history_rows import (
    PERMISSION,
    ZERO,
    HistoryInvoice,
    HistoryOptions,
    HistoryReport,
    _count,
)
from suanpan.ledger.services import PostingEvent, posting_post_batch
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

Progress = Callable[[int], object]


@dataclass
class _Writer:
    actor: User
    options: HistoryOptions
    batch: InvoiceBatch
    report: HistoryReport
    created: dict[str, int] = field(default_factory=dict)

    def write(self, chunk: list[HistoryInvoice]) -> None:
        bad = [invoice for invoice in chunk if invoice.bad]
        if bad:
            # The file or the books changed since the dry run (a number recorded meanwhile).
            raise HistoryImportInvalid(count=self.report.error_count or len(bad))
        _count(self.report, chunk)
        heads = [self._invoice_values(item) for item in chunk]
        if copy_available():
            ids = ids_draw(Invoice, len(chunk))
            for head, pk in zip(heads, ids, strict=True):
                head["id"] = pk
            rows_copy(Invoice, [_db_values(Invoice, head) for head in heads])
            rows_copy(
                InvoiceLine,
                [
                    _db_values(InvoiceLine, values)
                    for item, pk in zip(chunk, ids, strict=True)
                    for values in self._line_values(item, pk)
                ],
            )
        else:
            invoices = Invoice.objects.bulk_create([Invoice(**head) for head in heads])
            ids = [invoice.pk for invoice in invoices]
            InvoiceLine.objects.bulk_create(
                InvoiceLine(**values)
                for item, pk in zip(chunk, ids, strict=True)
                for values in self._line_values(item, pk)
            )
        for item, pk in zip(chunk, ids, strict=True):
            self.created[item.label] = pk
        if self.options.post:
            posting_post_batch(
                events=[
                    self._event(item, head, pk)
                    for item, head, pk in zip(chunk, heads, ids, strict=True)
                ],
                actor=self.actor,
            )

    def _invoice_values(self, item: HistoryInvoice) -> dict[str, Any]:
        customer = item.customer
        net, tax = item.total("net"), item.total("tax")
        gross = net + tax
        issued_on = item.issued_on
        if issued_on is None:  # a bad date marks the invoice bad; never written
            raise HistoryImportInvalid(count=1)
        red = gross < 0
        return {
            "code": item.code,
            "number": item.number,
            "kind": InvoiceKind.RED.value if red else InvoiceKind.BLUE.value,
            "invoice_type": str(item.invoice_type),
            "status": InvoiceStatus.ISSUED.value,
            "source": InvoiceSource.HISTORY.value,
            "customer_id": customer.pk,
            "original_id": item.original_id,
            "issued_on": issued_on,
            "price_includes_tax": item.price_includes_tax,
            "net_amount": net,
            "tax_amount": tax,
            "gross_amount": gross,
            "posted": self.options.post,
            "first_due_on": issued_on if red else _due(issued_on, customer),
            "batch_id": self.batch.pk,
            "created_by_id": self.actor.pk,
            "buyer_name": (customer.invoice_title or customer.name)[:100],
            "buyer_tax_number": customer.invoice_tax_number or "",
        }

    def _line_values(self, item: HistoryInvoice, invoice_id: int) -> Iterator[dict[str, Any]]:
        for position, line in enumerate(item.lines, start=1):
            yield {
                "invoice_id": invoice_id,
                "position": position,
                "product_id": line.product_id,
                "item_name": line.item_name,
                "tax_code": line.tax_code,
                "quantity": line.quantity,
                "unit_price": unit_price_net(line.net, line.quantity),
                "net_amount": line.net,
                "vat_rate_key": line.rate_key,
                "vat_rate": VAT_RATES[line.rate_key].rate,
                "tax_amount": line.tax,
                "gross_amount": line.gross,
            }

    def _event(self, item: HistoryInvoice, head: dict[str, Any], pk: int) -> PostingEvent:
        red = head["kind"] == InvoiceKind.RED
        kind = _("Red invoice") if red else _("Invoice")
        summary = (
            _("%(kind)s %(number)s, %(customer)s")
            % {"kind": kind, "number": item.label, "customer": item.customer.name}
        )[:200]
        amounts = postings.InvoiceAmounts(
            net=head["net_amount"],
            tax=head["tax_amount"],
            cost=ZERO,
            customer_code=item.customer.number,
            due_parts=((head["first_due_on"], head["gross_amount"]),),
        )
        return PostingEvent(
            source_type=postings.SOURCE_INVOICE,
            source_id=str(pk),
            event=postings.EVENT_ISSUE,
            date=head["issued_on"],
            summary=summary,
            lines=postings.invoice_lines(amounts, on_invoice=True, summary=summary),
            red=red,
        )


_SCALED: dict[type[Any], dict[str, int]] = {
    model: {
        f.attname: f.places
        for f in model._meta.concrete_fields
        if isinstance(f, ScaledIntegerField)
    }
    for model in (Invoice, InvoiceLine)
}


def _db_values(model: type[Any], values: dict[str, Any]) -> dict[str, Any]:
    """Scaled fields as the integers they store; the rest as they are (psycopg adapts them)."""
    scaled = _SCALED[model]
    return {
        key: (int(value.scaleb(scaled[key])) if key in scaled and value is not None else value)
        for key, value in values.items()
    }


def history_invoices_write(
    *, actor: User, batch: InvoiceBatch, invoices: list[HistoryInvoice], post: bool
) -> list[int]:
    """The batch writer on its own: insert checked invoices (customer set, nothing bad) with
    their lines and, when `post`, post one voucher each. Inside the caller's transaction;
    returns the new invoices' ids in order."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("history_invoices_write() must run inside transaction.atomic()")
    permission_require(actor, PERMISSION)
    writer = _Writer(
        actor=actor,
        options=HistoryOptions(post=post),
        batch=batch,
        report=HistoryReport(filename=batch.file_name),
    )
    writer.write(invoices)
    return [writer.created[invoice.label] for invoice in invoices]


def _due(issued_on: date, customer: Any) -> date:
    return issued_on + timedelta(days=customer.payment_terms_days or 0)
