"""What an invoice request is made of and checked against: its lines typed or taken from an
order's lines (what each may still be requested), and the platform's rules the request must
keep (request_problems)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from suanpan.core.tax import VAT_RATES
from suanpan.invoicing.calculations.lines import (
    LINE_LIMIT,
    FapiaoLineInput,
    fapiao_line_amounts,
    line_problems,
    taxpayer_number_valid,
    unit_price_net,
)
from suanpan.invoicing.choices import (
    REQUESTABLE_TYPES,
    SPECIAL_TYPES,
)
from suanpan.invoicing.errors import (
    RequestExceedsOrder,
)
from suanpan.invoicing.models import InvoiceRequest, InvoiceRequestLine
from suanpan.invoicing.selectors.held import (
    order_line_requestable,
    order_lines_held,
)
from suanpan.invoicing.services.buyers import BuyerInput
from suanpan.sales.calculations import share_of_line
from suanpan.sales.services import order_lines_lock_for_invoicing

if TYPE_CHECKING:
    from suanpan.sales.models import SalesOrder

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


def request_lines_from_order(
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


def request_lines_typed(
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
