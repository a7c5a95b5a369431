"""Reads of invoices, scoped by customer like the requests; any other id answers 404."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from suanpan.core.history import history_entries
from suanpan.core.listing import list_filtered
from suanpan.core.sums import fen_sum, yuan
from suanpan.customers.selectors import customer_scoped
from suanpan.invoicing.calculations import postings
from suanpan.invoicing.choices import InvoiceStatus
from suanpan.invoicing.filters.invoices import InvoiceFilter
from suanpan.invoicing.models import Invoice, InvoiceLine, InvoiceRequest
from suanpan.invoicing.selectors.requests import request_visible
from suanpan.ledger.selectors import SourceVouchers, vouchers_for_source
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

# The list's default order: the index (-issued_on, -id) reads the first page without sorting.
LIST_ORDER = ("-issued_on", "-id")


def invoice_visible(*, user: User) -> QuerySet[Invoice]:
    return customer_scoped(Invoice.objects.all(), user=user, perm="invoicing.view_invoice")


def invoice_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[Invoice], InvoiceFilter]:
    """The filtered, sorted invoices the user sees (newest first unless asked otherwise); the
    FilterSet comes back for the form and its errors. The page, the API and the export."""
    base = invoice_visible(user=user).select_related("customer", "original")
    filterset = InvoiceFilter(data=filters or {}, queryset=base)
    queryset = list_filtered(filterset, base=base, default_ordering=LIST_ORDER)
    chosen = [str(key) for key in queryset.query.order_by]
    if (filterset.data or {}).get("ordering") and chosen:
        # A unique last key, in the chosen direction, keeps pages stable when many invoices
        # share a value.
        queryset = queryset.order_by(*chosen, "-id" if chosen[-1].startswith("-") else "id")
    return queryset, filterset


def invoice_get(*, user: User, pk: int | str) -> Invoice:
    """One invoice with its customer, request (and its order), original (red) and lines; 404
    unless visible."""
    try:
        return (
            invoice_visible(user=user)
            .select_related("customer", "request__order", "original", "batch", "created_by")
            .prefetch_related(
                Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")),
                Prefetch("red_invoices", queryset=Invoice.objects.order_by("issued_on", "id")),
            )
            .get(pk=pk)
        )
    except (Invoice.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def invoice_lines(*, invoice: Invoice) -> list[InvoiceLine]:
    """The invoice's lines in print order (prefetched by `invoice_get`)."""
    return sorted(invoice.lines.all(), key=lambda line: line.position)


def invoice_vouchers(*, invoice: Invoice) -> SourceVouchers:
    """The vouchers the invoice posted (and any reversal of them), in date order."""
    return vouchers_for_source(source_type=postings.SOURCE_INVOICE, source_ids=[invoice.pk])


def invoice_history(*, invoice: Invoice, limit: int = 50) -> list[dict[str, Any]]:
    """Who changed what on the invoice (status, void, mailing flags): newest first."""
    records = invoice.history.select_related("history_user").order_by("-history_id")
    return history_entries(list(records[: limit + 1]), limit=limit)


def customer_invoices(*, user: User, customer: Customer, limit: int = 20) -> QuerySet[Invoice]:
    """The customer's latest invoices the user sees, for the customer page's tab."""
    return (
        invoice_visible(user=user)
        .filter(customer=customer)
        .select_related("original")
        .order_by(*LIST_ORDER)[:limit]
    )


def customer_requests(
    *, user: User, customer: Customer, limit: int = 20
) -> QuerySet[InvoiceRequest]:
    """The customer's latest invoice requests the user sees, for the customer page's tab."""
    return (
        request_visible(user=user)
        .filter(customer=customer)
        .select_related("order")
        .order_by("-requested_on", "-id")[:limit]
    )


@dataclass(frozen=True)
class CustomerInvoiceTotals:
    """What the customer was invoiced: blue and red netted, voided invoices left out."""

    count: int
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal


def customer_invoice_totals(*, user: User, customer: Customer) -> CustomerInvoiceTotals:
    """One aggregate over the customer's invoices the user sees."""
    row = (
        invoice_visible(user=user)
        .filter(customer=customer)
        .exclude(status=InvoiceStatus.VOIDED)
        .aggregate(
            count=Count("id"),
            net=fen_sum("net_amount"),
            tax=fen_sum("tax_amount"),
            gross=fen_sum("gross_amount"),
        )
    )
    return CustomerInvoiceTotals(
        count=row["count"],
        net_amount=yuan(row["net"]),
        tax_amount=yuan(row["tax"]),
        gross_amount=yuan(row["gross"]),
    )


@dataclass(frozen=True)
class InstalmentInvoice:
    """An invoice raised for a contract instalment (a red one through its blue invoice), with
    its signed amount including tax."""

    invoice_id: int
    instalment_id: int
    gross_amount: Decimal


def instalment_invoices(*, instalment_ids: Sequence[int]) -> list[InstalmentInvoice]:
    """The invoices of these instalments, blue and red, voided ones left out: one query. Their
    amounts add up to what the instalment has been invoiced net of red letters."""
    ids = list(instalment_ids)
    if not ids:
        return []
    rows = (
        Invoice.objects.filter(
            Q(request__instalment_id__in=ids) | Q(original__request__instalment_id__in=ids)
        )
        .exclude(status=InvoiceStatus.VOIDED)
        .annotate(
            plan_instalment=Coalesce("request__instalment_id", "original__request__instalment_id")
        )
        .order_by("pk")
        .values_list("pk", "plan_instalment", "gross_amount")
    )
    return [
        InstalmentInvoice(invoice_id=pk, instalment_id=instalment, gross_amount=amount)
        for pk, instalment, amount in rows
    ]
