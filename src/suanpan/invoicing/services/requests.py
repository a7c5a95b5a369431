"""Invoice requests (开票申请): raised from an order, deliveries or a contract instalment, checked
against the platform's rules, approved or rejected by an accountant who did not raise them.

A request holds its order lines' quantities from the moment it is made: what a line may still
be requested is its quantity less what live requests hold and what invoices billed (goods: less
what has not shipped yet — goods are invoiced once they leave). The order and its lines are
locked while that is worked out, so two requests racing for the rest of a line serialise and
the second is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.catalog.choices import VatRateKey
from suanpan.core.audit import audited
from suanpan.core.errors import NotFound
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.customers.selectors import customer_is_visible
from suanpan.inventory.selectors import deliveries_for_invoicing
from suanpan.invoicing.choices import (
    REQUEST_EDITABLE_STATUSES,
    REQUEST_OPEN_STATUSES,
    RequestSource,
    RequestStatus,
)
from suanpan.invoicing.errors import (
    OwnRequestApproval,
    RequestExceedsInstalment,
    RequestInvalid,
    RequestNotInStatus,
)
from suanpan.invoicing.models import InvoiceRequest, InvoiceRequestLine
from suanpan.invoicing.selectors.held import (
    instalment_room,
)
from suanpan.invoicing.services.buyers import buyer_fields
from suanpan.invoicing.services.request_lines import (
    RequestInput,
    RequestLineInput,
    request_lines_from_order,
    request_lines_typed,
    request_problems,
)
from suanpan.ledger.services import business_dates_require
from suanpan.sales.selectors import (
    contract_instalments,
    contract_order_ids,
    instalment_for_invoicing,
    order_for_invoicing,
)
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.sales.models import SalesOrder

SERIES = "KP"
ZERO = Decimal(0)


_BILLING = (*REQUEST_OPEN_STATUSES, RequestStatus.ISSUED)


def _one_way_of_billing(request: InvoiceRequest) -> None:
    """A contract is billed by its payment plan or by its orders, never both: either way
    alone bills the contract amount once."""
    if request.instalment is not None:
        orders = contract_order_ids(contract_id=request.instalment.contract_id)
        if InvoiceRequest.objects.filter(order_id__in=orders, status__in=_BILLING).exists():
            raise RequestInvalid(
                _("Contract %(number)s is billed by its orders; invoice those instead.")
                % {"number": request.instalment.contract.number},
                fields={"instalment_id": [_("The contract's orders are being invoiced.")]},
            )
    elif request.order is not None and request.order.contract_id is not None:
        plan = contract_instalments(contract_id=request.order.contract_id)
        if InvoiceRequest.objects.filter(
            instalment_id__in=[instalment.pk for instalment in plan], status__in=_BILLING
        ).exists():
            raise RequestInvalid(
                _(
                    "The contract of order %(number)s is billed by its payment plan; invoice the instalments instead."
                )
                % {"number": request.order.number},
                fields={"order_id": [_("The contract's instalments are being invoiced.")]},
            )


def _visible_require(actor: User, customer_id: int) -> None:
    if not customer_is_visible(user=actor, customer_id=customer_id):
        raise NotFound()


def _write(
    request: InvoiceRequest, data: RequestInput, *, actor: User, exclude_request: int | None
) -> InvoiceRequest:
    """Build the lines, check them and the buyer, save; the caller holds the transaction."""
    errors: dict[str, list[str]] = {}
    wanted = list(data.lines) if data.lines is not None else None
    if data.lines is not None and not data.lines:
        errors["lines"] = [_("Request at least one line.")]
    if request.order is not None:
        lines = request_lines_from_order(
            request.order, wanted, exclude_request=exclude_request, errors=errors
        )
    elif request.instalment is not None:
        lines = request_lines_typed(
            wanted or [], price_includes_tax=request.price_includes_tax, errors=errors
        )
        asked = sum((line.gross_amount for line in lines), ZERO)
        room = instalment_room(request.instalment, exclude_request=exclude_request)
        if not errors and asked > room:
            raise RequestExceedsInstalment(
                position=request.instalment.position,
                number=request.instalment.contract.number,
                remaining=f"{room:,.2f}",
                amount=f"{asked:,.2f}",
            )
    if errors:
        raise RequestInvalid(fields=errors)
    problems = request_problems(request, lines)
    if problems:
        raise RequestInvalid(fields=problems)
    request.net_amount = sum((line.net_amount for line in lines), ZERO)
    request.tax_amount = sum((line.tax_amount for line in lines), ZERO)
    request.gross_amount = request.net_amount + request.tax_amount
    if not request.number:
        request.number = number_next(series=SERIES, period=request.requested_on.strftime("%Y%m"))
    request.save()
    request.lines.all().delete()
    for line in lines:
        line.request = request
    InvoiceRequestLine.objects.bulk_create(lines)
    return request


def _deliveries_order(
    actor: User, delivery_ids: Sequence[int]
) -> tuple[SalesOrder, str, list[RequestLineInput]]:
    """The one order the deliveries ship from, their numbers and their lines summed per order line."""
    if not delivery_ids:
        raise RequestInvalid(fields={"delivery_ids": [_("Choose the deliveries to invoice.")]})
    deliveries = list(deliveries_for_invoicing(user=actor, ids=delivery_ids))
    orders = {delivery.order_id for delivery in deliveries}
    if len(orders) != 1:
        raise RequestInvalid(
            fields={"delivery_ids": [_("Choose deliveries of one order.")]},
        )
    quantities: dict[int, Decimal] = {}
    for delivery in deliveries:
        for line in delivery.lines.all():
            quantities[line.order_line_id] = (
                quantities.get(line.order_line_id, ZERO) + line.quantity - line.returned_quantity
            )
    order = order_for_invoicing(user=actor, pk=deliveries[0].order_id)
    lines = [
        RequestLineInput(order_line_id=pk, quantity=quantity)
        for pk, quantity in sorted(quantities.items())
        if quantity > 0
    ]
    return order, ", ".join(delivery.number for delivery in deliveries), lines


@audited
@transaction.atomic
def request_create(*, data: RequestInput, actor: User) -> InvoiceRequest:
    """Raise a request from an order, deliveries or a contract instalment; it waits for an
    accountant's approval. Lines come from the order (all that remains by default) or, for an
    instalment, as typed; every line and the buyer are checked against the platform's rules."""
    permission_require(actor, "invoicing.add_invoicerequest")
    requested_on = data.requested_on or timezone.localdate()
    business_dates_require({"requested_on": requested_on})
    request = InvoiceRequest(
        source=data.source,
        invoice_type=data.invoice_type,
        remarks=data.remarks.strip()[:200],
        requested_by=actor,
        requested_on=requested_on,
        status=RequestStatus.PENDING,
    )
    if data.source == RequestSource.ORDER:
        if data.order_id is None:
            raise RequestInvalid(fields={"order_id": [_("Choose the order to invoice.")]})
        order = order_for_invoicing(user=actor, pk=data.order_id)
    elif data.source == RequestSource.DELIVERIES:
        order, numbers, lines = _deliveries_order(actor, data.delivery_ids)
        request.delivery_numbers = numbers[:300]
        if data.lines is None:
            data = replace(data, lines=tuple(lines))
    elif data.source == RequestSource.INSTALMENT:
        if data.instalment_id is None:
            raise RequestInvalid(fields={"instalment_id": [_("Choose the instalment to invoice.")]})
        instalment = instalment_for_invoicing(user=actor, pk=data.instalment_id)
        request.instalment = instalment
        request.customer = instalment.contract.customer
        request.price_includes_tax = True
        order = None
    else:
        raise RequestInvalid(fields={"source": [_("Choose what the request bills.")]})
    if order is not None:
        request.order = order
        request.customer = order.customer
        request.price_includes_tax = order.price_includes_tax
    _visible_require(actor, request.customer_id)
    _one_way_of_billing(request)
    for name, value in buyer_fields(request.customer, data.buyer).items():
        setattr(request, name, value)
    return _write(request, data, actor=actor, exclude_request=None)


def _locked(request: InvoiceRequest) -> InvoiceRequest:
    return (
        for_update(InvoiceRequest.objects.all())
        .select_related("customer", "order", "instalment__contract")
        .get(pk=request.pk)
    )


def _status_require(request: InvoiceRequest, *statuses: str) -> None:
    if request.status not in statuses:
        raise RequestNotInStatus(number=request.number, status=request.get_status_display())


@audited
@transaction.atomic
def request_update(*, request: InvoiceRequest, data: RequestInput, actor: User) -> InvoiceRequest:
    """Change a pending, rejected or failed request (buyer, type, remarks, lines); it goes back
    to pending approval. The source stays what it was."""
    permission_require(actor, "invoicing.change_invoicerequest")
    request = _locked(request)
    _visible_require(actor, request.customer_id)
    _status_require(request, *REQUEST_EDITABLE_STATUSES)
    if request.order_id is not None:
        request.order = order_for_invoicing(user=actor, pk=request.order_id)
    data = replace(data, source=request.source)
    request.invoice_type = data.invoice_type
    request.remarks = data.remarks.strip()[:200]
    for name, value in buyer_fields(request.customer, data.buyer).items():
        setattr(request, name, value)
    request.status = RequestStatus.PENDING
    request.reject_reason = ""
    request.reviewed_by = None
    request.reviewed_at = None
    return _write(request, data, actor=actor, exclude_request=request.pk)


@audited
@transaction.atomic
def request_approve(*, request: InvoiceRequest, actor: User) -> InvoiceRequest:
    """An accountant other than the maker approves; the request is checked once more."""
    permission_require(actor, "invoicing.approve_invoicerequest")
    request = _locked(request)
    _status_require(request, RequestStatus.PENDING)
    if request.requested_by_id == actor.pk:
        raise OwnRequestApproval(number=request.number)
    problems = request_problems(request, list(request.lines.all()))
    if problems:
        raise RequestInvalid(fields=problems)
    request.status = RequestStatus.APPROVED
    request.reviewed_by = actor
    request.reviewed_at = timezone.now()
    request.save()
    return request


@audited
@transaction.atomic
def request_reject(*, request: InvoiceRequest, reason: str, actor: User) -> InvoiceRequest:
    """Send a pending request back to its maker with a reason; it keeps its lines."""
    permission_require(actor, "invoicing.approve_invoicerequest")
    request = _locked(request)
    _status_require(request, RequestStatus.PENDING)
    if request.requested_by_id == actor.pk:
        raise OwnRequestApproval(number=request.number)
    reason = reason.strip()
    if not reason:
        raise RequestInvalid(fields={"reason": [_("Say why the request is rejected.")]})
    request.status = RequestStatus.REJECTED
    request.reject_reason = reason[:300]
    request.reviewed_by = actor
    request.reviewed_at = timezone.now()
    request.save()
    return request


@audited
@transaction.atomic
def request_cancel(*, request: InvoiceRequest, actor: User) -> InvoiceRequest:
    """Withdraw a request not yet issued; its order lines' quantities are free again."""
    permission_require(actor, "invoicing.change_invoicerequest")
    request = _locked(request)
    _visible_require(actor, request.customer_id)
    _status_require(request, *REQUEST_OPEN_STATUSES)
    request.status = RequestStatus.CANCELLED
    request.save()
    return request


def vat_rate_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in VatRateKey.choices]
