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
from dataclasses import dataclass, field, replace
from datetime import date
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
from suanpan.core.tax import VAT_RATES
from suanpan.customers.selectors import customer_is_visible
from suanpan.inventory.selectors import deliveries_for_invoicing
from suanpan.invoicing.calculations.lines import (
    LINE_LIMIT,
    FapiaoLineInput,
    fapiao_line_amounts,
    line_problems,
    taxpayer_number_valid,
    unit_price_net,
)
from suanpan.invoicing.choices import (
    REQUEST_EDITABLE_STATUSES,
    REQUEST_OPEN_STATUSES,
    REQUESTABLE_TYPES,
    SPECIAL_TYPES,
    RequestSource,
    RequestStatus,
)
from suanpan.invoicing.errors import (
    OwnRequestApproval,
    RequestExceedsInstalment,
    RequestExceedsOrder,
    RequestInvalid,
    RequestNotInStatus,
)
from suanpan.invoicing.models import InvoiceRequest, InvoiceRequestLine
from suanpan.invoicing.selectors.held import (
    instalment_room,
    order_line_requestable,
    order_lines_held,
)
from suanpan.invoicing.services.buyers import BuyerInput, buyer_fields
from suanpan.ledger.services import business_dates_require
from suanpan.sales.calculations import share_of_line
from suanpan.sales.selectors import (
    contract_instalments,
    contract_order_ids,
    instalment_for_invoicing,
    order_for_invoicing,
)
from suanpan.sales.services import order_lines_lock_for_invoicing
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.sales.models import SalesOrder

SERIES = "KP"
ZERO = Decimal(0)
QUANTUM = Decimal("0.0001")


@dataclass(frozen=True)
class RequestLineInput:
    """A line to request: an order line and a quantity, or a typed line (instalments) with its
    amount in the request's basis (including tax when prices include tax)."""

    order_line_id: int | None = None
    quantity: Decimal | None = None
    item_name: str = ""
    tax_code: str = ""
    specification: str = ""
    unit: str = ""
    vat_rate_key: str = ""
    amount: Decimal | None = None
    discount: Decimal = ZERO


@dataclass(frozen=True)
class RequestInput:
    """What a request is raised from and asks for. `lines=None` requests all that remains."""

    source: str
    invoice_type: str
    order_id: int | None = None
    delivery_ids: tuple[int, ...] = ()
    instalment_id: int | None = None
    lines: tuple[RequestLineInput, ...] | None = None
    buyer: BuyerInput = field(default_factory=BuyerInput)
    remarks: str = ""
    requested_on: date | None = None


@dataclass(frozen=True)
class OrderLineRoom:
    """What an order line may still be requested: quantity, and the net and tax already held."""

    quantity: Decimal
    held_quantity: Decimal
    held_net: Decimal
    held_tax: Decimal


def _plain(quantity: Decimal) -> str:
    """A quantity for a message as a person writes it: 10, 2.5 (never 1E+1)."""
    return format(quantity.normalize(), "f")


# --- reading what is held -------------------------------------------------------------------


# --- building lines -------------------------------------------------------------------------


def _order_lines(
    order: SalesOrder,
    wanted: Sequence[RequestLineInput] | None,
    *,
    exclude_request: int | None,
    errors: dict[str, list[str]],
) -> list[InvoiceRequestLine]:
    """Request lines for the wanted order lines (all that remains when None), under the lock."""
    order_lines = {line.pk: line for line in order.lines.all()}
    if wanted is None:
        wanted = [
            RequestLineInput(order_line_id=pk)
            for pk in sorted(order_lines, key=lambda pk: order_lines[pk].position)
        ]
        fill = True
    else:
        fill = False
    ids = [entry.order_line_id for entry in wanted if entry.order_line_id in order_lines]
    locked = order_lines_lock_for_invoicing(order=order, line_ids=sorted(set(ids)))
    held = order_lines_held(list(locked), exclude_request=exclude_request)
    built: list[InvoiceRequestLine] = []
    seen: set[int] = set()
    for index, entry in enumerate(wanted):
        key = f"lines.{index}"
        line = order_lines.get(entry.order_line_id or 0)
        if line is None:
            errors[f"{key}.order_line_id"] = [
                _("Line %(id)s is not a line of order %(number)s.")
                % {"id": entry.order_line_id, "number": order.number}
            ]
            continue
        if line.pk in seen:
            errors[f"{key}.order_line_id"] = [
                _("Line %(position)s appears twice.") % {"position": line.position}
            ]
            continue
        seen.add(line.pk)
        line = locked[line.pk]
        held_q, held_net, held_tax = held.get(line.pk, (ZERO, ZERO, ZERO))
        room = order_line_requestable(order_lines[line.pk], held_q)
        quantity = entry.quantity if entry.quantity is not None else room
        if fill and quantity <= 0:
            continue
        if quantity <= 0:
            errors[f"{key}.quantity"] = [_("Enter a quantity above zero.")]
            continue
        if quantity != quantity.quantize(QUANTUM):
            errors[f"{key}.quantity"] = [_("Quantities have at most four decimals.")]
            continue
        if quantity > room:
            raise RequestExceedsOrder(
                fields={f"{key}.quantity": [_("At most %(room)s.") % {"room": _plain(room)}]},
                position=line.position,
                number=order.number,
                product=line.product_name,
                quantity=_plain(quantity),
                remaining=_plain(room),
            )
        if held_q + quantity == line.quantity:
            # The last of the line takes what the earlier shares rounded away.
            net = line.net_amount - held_net
            tax = line.tax_amount - held_tax
        else:
            upto = {"ordered": line.quantity, "before": held_q, "quantity": quantity}
            net = share_of_line(line.net_amount, **upto)
            tax = share_of_line(line.tax_amount, **upto)
        product = order_lines[line.pk].product
        built.append(
            InvoiceRequestLine(
                position=len(built) + 1,
                product=product,
                order_line=line,
                item_name=line.product_name[:100],
                tax_code=product.tax_category.code if product.tax_category_id else "",
                specification=line.specification[:100],
                unit=line.unit,
                quantity=quantity,
                unit_price=unit_price_net(net, quantity),
                net_amount=net,
                discount_amount=ZERO,
                vat_rate_key=line.vat_rate_key,
                vat_rate=line.vat_rate,
                tax_amount=tax,
                gross_amount=net + tax,
            )
        )
    if fill and not built and not errors:
        errors["lines"] = [
            _("Nothing on order %(number)s remains to invoice.") % {"number": order.number}
        ]
    return built


def _typed_lines(
    wanted: Sequence[RequestLineInput], *, price_includes_tax: bool, errors: dict[str, list[str]]
) -> list[InvoiceRequestLine]:
    built: list[InvoiceRequestLine] = []
    for index, entry in enumerate(wanted):
        key = f"lines.{index}"
        if not entry.item_name.strip():
            errors[f"{key}.item_name"] = [_("Enter what is invoiced.")]
        if entry.vat_rate_key not in VAT_RATES:
            errors[f"{key}.vat_rate_key"] = [_("Choose a VAT rate.")]
            continue
        amount, discount = entry.amount, entry.discount
        if amount is None or amount <= 0:
            errors[f"{key}.amount"] = [_("Enter an amount above zero.")]
            continue
        if amount != amount.quantize(Decimal("0.01")) or discount != discount.quantize(
            Decimal("0.01")
        ):
            errors[f"{key}.amount"] = [_("Amounts are in yuan and fen: at most two decimals.")]
            continue
        if discount < 0 or discount >= amount:
            errors[f"{key}.discount"] = [_("A discount is at least zero and below the amount.")]
            continue
        if entry.quantity is not None and (
            entry.quantity <= 0 or entry.quantity != entry.quantity.quantize(QUANTUM)
        ):
            errors[f"{key}.quantity"] = [_("A quantity is above zero with at most four decimals.")]
            continue
        amounts = fapiao_line_amounts(
            FapiaoLineInput(amount=amount, vat_rate_key=entry.vat_rate_key, discount=discount),
            price_includes_tax=price_includes_tax,
        )
        built.append(
            InvoiceRequestLine(
                position=len(built) + 1,
                item_name=entry.item_name.strip()[:100],
                tax_code=entry.tax_code.strip(),
                specification=entry.specification.strip()[:100],
                unit=entry.unit.strip()[:20],
                quantity=entry.quantity,
                unit_price=unit_price_net(
                    amounts.net_amount + (discount if not price_includes_tax else ZERO),
                    entry.quantity,
                ),
                net_amount=amounts.net_amount,
                discount_amount=discount,
                vat_rate_key=entry.vat_rate_key,
                vat_rate=VAT_RATES[entry.vat_rate_key].rate,
                tax_amount=amounts.tax_amount,
                gross_amount=amounts.gross_amount,
            )
        )
    return built


def request_problems(
    request: InvoiceRequest, lines: Sequence[InvoiceRequestLine]
) -> dict[str, list[str]]:
    """What the platform would refuse, by field: buyer, types, line count, codes, rates, tax."""
    errors: dict[str, list[str]] = {}
    if request.invoice_type not in REQUESTABLE_TYPES:
        errors["invoice_type"] = [_("The tax platform issues digital (数电) invoices only.")]
    if not request.buyer_name.strip():
        errors["buyer_name"] = [_("Enter the buyer's name.")]
    elif request.buyer_is_person and len(request.buyer_name.strip()) < 2:
        errors["buyer_name"] = [_("A natural person's name has at least two characters.")]
    needs_number = request.invoice_type in SPECIAL_TYPES or not request.buyer_is_person
    if request.buyer_tax_number and not taxpayer_number_valid(request.buyer_tax_number):
        errors["buyer_tax_number"] = [
            _("“%(number)s” is not a valid taxpayer number.") % {"number": request.buyer_tax_number}
        ]
    elif needs_number and not request.buyer_tax_number:
        errors["buyer_tax_number"] = [
            _(
                "A special invoice, and any invoice to an enterprise, needs the buyer's taxpayer number."
            )
        ]
    if request.invoice_type in SPECIAL_TYPES and request.buyer_is_person:
        errors.setdefault("buyer_is_person", []).append(
            _("A special VAT invoice cannot be issued to a natural person.")
        )
    if not lines:
        errors.setdefault("lines", []).append(_("Request at least one line."))
    if len(lines) > LINE_LIMIT:
        errors.setdefault("lines", []).append(
            _("An invoice carries at most %(limit)s lines.") % {"limit": LINE_LIMIT}
        )
    messages = {
        "tax_code": _(
            "The tax classification code must be 19 digits (the product's tax category)."
        ),
        "rate": _("The tax platform does not take this rate."),
        "tax": _("The tax is too far from amount × rate."),
    }
    for index, line in enumerate(lines):
        for problem in line_problems(
            tax_code=line.tax_code,
            vat_rate_key=line.vat_rate_key,
            net_amount=line.net_amount,
            tax_amount=line.tax_amount,
        ):
            errors.setdefault(f"lines.{index}.{problem}", []).append(str(messages[problem]))
    return errors


# --- services -------------------------------------------------------------------------------


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
        lines = _order_lines(request.order, wanted, exclude_request=exclude_request, errors=errors)
    elif request.instalment is not None:
        lines = _typed_lines(
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
