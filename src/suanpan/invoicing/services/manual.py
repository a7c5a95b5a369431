"""Invoices issued elsewhere (at the tax platform's own pages, or on paper before 数电) and
entered by hand, without a request: the buyer from the customer, lines typed with their rate
and amount. They recognise revenue themselves (Dr receivable / Cr revenue, Cr output VAT):
nothing delivered them, so there is no unbilled receivable to clear.

Everything goes through `invoice_record`, the one writer of invoices and their postings, inside
this service's transaction: a refusal anywhere leaves nothing written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import NotFound
from suanpan.core.tax import VAT_RATES
from suanpan.customers.selectors import customer_is_visible, customer_locked
from suanpan.invoicing.calculations.lines import (
    LINE_LIMIT,
    FapiaoLineInput,
    fapiao_line_amounts,
    tax_code_valid,
    taxpayer_number_valid,
    unit_price_net,
)
from suanpan.invoicing.choices import (
    SPECIAL_TYPES,
    InvoiceKind,
    InvoiceSource,
    InvoiceStatus,
    InvoiceType,
)
from suanpan.invoicing.errors import InvoiceInvalid, InvoiceNumberTaken
from suanpan.invoicing.models import Invoice, InvoiceLine
from suanpan.invoicing.services.buyers import BuyerInput, buyer_fields
from suanpan.invoicing.services.invoices import (
    MODE_REVENUE,
    invoice_number_normalize,
    invoice_record,
)
from suanpan.ledger.services import business_dates_require
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

ZERO = Decimal(0)
CENT = Decimal("0.01")
QUANTUM = Decimal("0.0001")
MAX_AMOUNT = Decimal("9999999999.99")


@dataclass(frozen=True)
class ManualLineInput:
    """A line as printed on the invoice: the amount in the invoice's basis (including tax when
    prices include tax); quantity and unit may be left out (services billed as one sum)."""

    item_name: str
    tax_code: str
    vat_rate_key: str
    amount: Decimal | None
    quantity: Decimal | None = None
    unit: str = ""
    specification: str = ""


@dataclass(frozen=True)
class ManualInvoiceInput:
    customer_id: int
    invoice_type: str
    number: str
    issued_on: date
    lines: tuple[ManualLineInput, ...]
    code: str = ""
    price_includes_tax: bool = True
    buyer: BuyerInput = field(default_factory=BuyerInput)
    remarks: str = ""
    drawer: str = ""


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _lines(
    wanted: Sequence[ManualLineInput], *, price_includes_tax: bool, errors: dict[str, list[str]]
) -> list[InvoiceLine]:
    """Invoice lines from what was typed; every problem is named by its field."""
    built: list[InvoiceLine] = []
    for index, entry in enumerate(wanted):
        key = f"lines.{index}"
        problems = len(errors)
        name = entry.item_name.strip()
        if not name:
            errors[f"{key}.item_name"] = [_("Enter what was invoiced.")]
        tax_code = entry.tax_code.strip()
        if not tax_code_valid(tax_code):
            errors[f"{key}.tax_code"] = [
                _("The tax classification code is 19 digits, as printed on the invoice.")
            ]
        if entry.vat_rate_key not in VAT_RATES:
            errors[f"{key}.vat_rate_key"] = [_("Choose a VAT rate.")]
        amount = _decimal(entry.amount)
        if amount is None or amount <= 0:
            errors[f"{key}.amount"] = [_("Enter an amount above zero.")]
        elif amount != amount.quantize(CENT):
            errors[f"{key}.amount"] = [_("Amounts are in yuan and fen: at most two decimals.")]
        elif amount > MAX_AMOUNT:
            errors[f"{key}.amount"] = [_("The amount is too large.")]
        quantity = _decimal(entry.quantity)
        if entry.quantity not in (None, "") and (
            quantity is None or quantity <= 0 or quantity != quantity.quantize(QUANTUM)
        ):
            errors[f"{key}.quantity"] = [_("A quantity is above zero with at most four decimals.")]
        if len(errors) > problems or amount is None:
            continue
        amounts = fapiao_line_amounts(
            FapiaoLineInput(amount=amount, vat_rate_key=entry.vat_rate_key),
            price_includes_tax=price_includes_tax,
        )
        built.append(
            InvoiceLine(
                position=len(built) + 1,
                item_name=name[:100],
                tax_code=tax_code,
                specification=entry.specification.strip()[:100],
                unit=entry.unit.strip()[:20],
                quantity=quantity,
                unit_price=unit_price_net(amounts.net_amount, quantity),
                net_amount=amounts.net_amount,
                discount_amount=ZERO,
                vat_rate_key=entry.vat_rate_key,
                vat_rate=VAT_RATES[entry.vat_rate_key].rate,
                tax_amount=amounts.tax_amount,
                gross_amount=amounts.gross_amount,
            )
        )
    return built


def _buyer_problems(invoice: Invoice, errors: dict[str, list[str]]) -> None:
    if not invoice.buyer_name.strip():
        errors["buyer_name"] = [_("Enter the buyer's name.")]
    if invoice.buyer_tax_number and not taxpayer_number_valid(invoice.buyer_tax_number):
        errors["buyer_tax_number"] = [
            _("“%(number)s” is not a valid taxpayer number.") % {"number": invoice.buyer_tax_number}
        ]
    elif invoice.invoice_type in SPECIAL_TYPES and not invoice.buyer_tax_number:
        errors["buyer_tax_number"] = [_("A special VAT invoice needs the buyer's taxpayer number.")]
    if invoice.invoice_type in SPECIAL_TYPES and invoice.buyer_is_person:
        errors.setdefault("buyer_is_person", []).append(
            _("A special VAT invoice cannot be issued to a natural person.")
        )


@audited
@transaction.atomic
def invoice_enter(*, data: ManualInvoiceInput, actor: User) -> Invoice:
    """Record a blue invoice issued outside Suanpan for a customer, and post it: revenue and
    output VAT against the customer's receivable, due after the customer's payment terms.
    The number is kept as text (20 digits under 数电; code and 8 digits on paper) and may be
    recorded once only."""
    permission_require(actor, "invoicing.issue_invoice")
    if not customer_is_visible(user=actor, customer_id=data.customer_id):
        raise NotFound()
    business_dates_require({"issued_on": data.issued_on})
    errors: dict[str, list[str]] = {}
    if data.invoice_type not in InvoiceType.values:
        raise InvoiceInvalid(fields={"invoice_type": [_("Choose the invoice type.")]})
    code, number = invoice_number_normalize(
        number=data.number, code=data.code, invoice_type=data.invoice_type
    )
    # Customer before its documents (docs/locking.md): its details are copied as they are now.
    customer = customer_locked(pk=data.customer_id)
    invoice = Invoice(
        code=code,
        number=number,
        kind=InvoiceKind.BLUE,
        invoice_type=data.invoice_type,
        status=InvoiceStatus.ISSUED,
        source=InvoiceSource.MANUAL,
        customer=customer,
        issued_on=data.issued_on,
        price_includes_tax=data.price_includes_tax,
        remarks=data.remarks.strip()[:300],
        drawer=data.drawer.strip()[:40],
        **buyer_fields(customer, data.buyer),
    )
    _buyer_problems(invoice, errors)
    if not data.lines:
        errors["lines"] = [_("Enter at least one line.")]
    elif len(data.lines) > LINE_LIMIT:
        errors["lines"] = [_("An invoice carries at most %(limit)s lines.") % {"limit": LINE_LIMIT}]
    lines = _lines(
        data.lines[:LINE_LIMIT], price_includes_tax=data.price_includes_tax, errors=errors
    )
    if errors:
        raise InvoiceInvalid(fields=errors)
    if Invoice.objects.filter(code=code, number=number).exists():
        raise InvoiceNumberTaken(number=f"{code}{number}")
    try:
        # A savepoint: the same number recorded at this moment by someone else ends as the
        # domain error, not as a broken transaction.
        with transaction.atomic():
            return invoice_record(invoice=invoice, lines=lines, actor=actor, mode=MODE_REVENUE)
    except IntegrityError as exc:
        if Invoice.objects.filter(code=code, number=number).exists():
            raise InvoiceNumberTaken(number=f"{code}{number}") from exc
        raise
