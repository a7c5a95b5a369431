"""Reads of invoice requests, scoped like every sales document: a user sees a request iff they
see its customer; any other id answers 404."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.http import Http404

from suanpan.core.history import history_entries
from suanpan.core.listing import list_filtered
from suanpan.customers.selectors import customer_scoped
from suanpan.inventory.selectors import deliveries_for_invoicing
from suanpan.invoicing.choices import RequestStatus
from suanpan.invoicing.filters.requests import RequestFilter
from suanpan.invoicing.models import Invoice, InvoiceRequest
from suanpan.invoicing.selectors.held import (
    instalment_requestable,
    order_line_requestable,
    order_lines_held,
)
from suanpan.sales.selectors import contract_tax_category
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.catalog.models import TaxCategory
    from suanpan.inventory.models import Delivery
    from suanpan.sales.models import PaymentInstalment, SalesOrder, SalesOrderLine

ZERO = Decimal(0)


def request_visible(*, user: User) -> QuerySet[InvoiceRequest]:
    return customer_scoped(
        InvoiceRequest.objects.all(), user=user, perm="invoicing.view_invoicerequest"
    )


def request_get(*, user: User, pk: int | str) -> InvoiceRequest:
    """One request with its customer, source documents and lines; 404 unless the user sees it."""
    try:
        return (
            request_visible(user=user)
            .select_related(
                "customer", "order", "instalment__contract", "requested_by", "reviewed_by", "batch"
            )
            .prefetch_related("lines")
            .get(pk=pk)
        )
    except (InvoiceRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def request_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[InvoiceRequest], RequestFilter]:
    """The filtered, sorted list the user sees; the FilterSet comes back for forms and errors.
    Unless another sort is asked for, an approver sees the requests waiting for approval first."""
    base = request_visible(user=user).select_related("customer", "order", "requested_by")
    filterset = RequestFilter(data=filters or {}, queryset=base)
    ordering: tuple[Any, ...] = ("-requested_on", "-id")
    if user.has_perm("invoicing.approve_invoicerequest"):
        pending_first = Case(
            When(status=RequestStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        ordering = (pending_first.asc(), *ordering)
    return list_filtered(filterset, base=base, default_ordering=ordering), filterset


def request_counts(*, user: User) -> dict[str, int]:
    """How many requests the user sees in each status (every status present, zero or not)."""
    counts = dict.fromkeys(RequestStatus.values, 0)
    rows = request_visible(user=user).order_by().values("status").annotate(n=Count("pk"))
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def request_history(*, request: InvoiceRequest, limit: int = 50) -> list[dict[str, Any]]:
    """Who changed what on the request (status, buyer, amounts, review): newest first."""
    records = request.history.select_related("history_user").order_by("-history_id")
    return history_entries(list(records[: limit + 1]), limit=limit)


def request_invoice(*, request: InvoiceRequest) -> Invoice | None:
    """The invoice issued for the request, if any."""
    return Invoice.objects.filter(request=request).first()


@dataclass(frozen=True)
class OrderLineRow:
    """An order line as the request form shows it."""

    line: SalesOrderLine
    ordered: Decimal
    shipped: Decimal
    held: Decimal
    requestable: Decimal
    current: Decimal


def order_line_rows(
    *, order: SalesOrder, request: InvoiceRequest | None = None
) -> list[OrderLineRow]:
    """Each order line with what was ordered, shipped, already invoiced or held by live
    requests, and what may still be requested (another request being edited gives its own
    quantities back). Two grouped sums, whatever the number of lines."""
    lines = list(order.lines.all())
    exclude = request.pk if request is not None else None
    held = order_lines_held([line.pk for line in lines], exclude_request=exclude)
    current: dict[int, Decimal] = {}
    if request is not None:
        for requested in request.lines.all():
            if requested.order_line_id is not None and requested.quantity is not None:
                current[requested.order_line_id] = requested.quantity
    rows = []
    for line in lines:
        held_quantity = held.get(line.pk, (ZERO, ZERO, ZERO))[0]
        rows.append(
            OrderLineRow(
                line=line,
                ordered=line.quantity,
                shipped=line.shipped_quantity,
                held=held_quantity,
                requestable=order_line_requestable(line, held_quantity),
                current=current.get(line.pk, ZERO),
            )
        )
    return rows


def deliveries_for_request(*, user: User, ids: Sequence[int | str]) -> list[Delivery]:
    """Shipped or signed deliveries the user sees, with their lines; 404 if any is not one."""
    return list(deliveries_for_invoicing(user=user, ids=ids))


def instalment_remaining(
    *, instalment: PaymentInstalment, request: InvoiceRequest | None = None
) -> Decimal:
    """What of a contract instalment is left to request (incl. tax), the edited request's own
    amount given back."""
    return instalment_requestable(
        instalment, exclude_request=request.pk if request is not None else None
    )


def instalment_tax_category(*, instalment: PaymentInstalment) -> TaxCategory | None:
    """The tax category of the contract's products, where one has one: the instalment's line
    is invoiced under it."""
    return contract_tax_category(contract_id=instalment.contract_id)
