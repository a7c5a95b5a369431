"""What requests and invoices already hold of order lines and contract instalments: the reads
the request services check against (under their locks) and the request pages show."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q

from suanpan.core.sums import fen_sum, yuan
from suanpan.invoicing.choices import REQUEST_OPEN_STATUSES, InvoiceStatus, RequestStatus
from suanpan.invoicing.models import Invoice, InvoiceLine, InvoiceRequest, InvoiceRequestLine

if TYPE_CHECKING:
    from suanpan.sales.models import PaymentInstalment, SalesOrderLine

ZERO = Decimal(0)


def order_lines_held(
    order_line_ids: Sequence[int], *, exclude_request: int | None = None
) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """Per order line: (quantity, net, tax) that live requests hold plus what invoices billed
    (blue less red, voided left out). Two grouped sums."""
    requested = InvoiceRequestLine.objects.filter(
        order_line_id__in=order_line_ids, request__status__in=REQUEST_OPEN_STATUSES
    )
    if exclude_request is not None:
        requested = requested.exclude(request_id=exclude_request)
    invoiced = InvoiceLine.objects.filter(order_line_id__in=order_line_ids).exclude(
        invoice__status=InvoiceStatus.VOIDED
    )
    held: dict[int, list[Decimal]] = {}
    for rows in (requested, invoiced):
        for row in rows.values("order_line_id").annotate(
            q=fen_sum("quantity"), n=fen_sum("net_amount"), t=fen_sum("tax_amount")
        ):
            sums = held.setdefault(row["order_line_id"], [ZERO, ZERO, ZERO])
            # Quantities are stored in 1/10,000 as amounts are in fen.
            sums[0] += Decimal(row["q"]) / 10000
            sums[1] += yuan(row["n"])
            sums[2] += yuan(row["t"])
    return {pk: (q, n, t) for pk, (q, n, t) in held.items()}


def order_line_requestable(line: SalesOrderLine, held_quantity: Decimal) -> Decimal:
    """What of an order line may still be requested: goods up to what shipped, services up to
    what was ordered, less what is held."""
    ceiling = line.shipped_quantity if line.product.is_stocked else line.quantity
    return max(ceiling - held_quantity, ZERO)


def instalment_room(instalment: PaymentInstalment, *, exclude_request: int | None) -> Decimal:
    requested = InvoiceRequest.objects.filter(instalment=instalment).filter(
        Q(status__in=REQUEST_OPEN_STATUSES) | Q(status=RequestStatus.ISSUED)
    )
    if exclude_request is not None:
        requested = requested.exclude(pk=exclude_request)
    total = requested.aggregate(fen=fen_sum("gross_amount"))["fen"]
    # Red invoices against an instalment's invoices give room back.
    red = Invoice.objects.filter(original__request__instalment=instalment).aggregate(
        fen=fen_sum("gross_amount")
    )["fen"]
    return instalment.amount - yuan(total + red)


def instalment_requestable(
    instalment: PaymentInstalment, *, exclude_request: int | None = None
) -> Decimal:
    """What of a contract instalment may still be requested, including tax: its amount less
    live and issued requests, red invoices giving room back."""
    return instalment_room(instalment, exclude_request=exclude_request)
