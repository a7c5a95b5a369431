"""Invoices (发票): recording what the tax platform issued, and posting it.

`invoice_record` is the one writer every path goes through — a request issued (number typed,
or matched from the platform's export or an XML file), a red invoice, a history import that
posts. It saves the invoice and its lines, moves the order lines' invoiced quantities, works
out the cost an invoice moves under revenue on invoice, spreads the receivable over due dates
(one open item each) and posts the voucher (calculations/postings.py) — all in the caller's
transaction, so a failure anywhere leaves nothing written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.locks import for_update
from suanpan.core.sums import fen_sum, yuan
from suanpan.inventory.selectors import order_lines_shipped_cost
from suanpan.invoicing.calculations import postings
from suanpan.invoicing.choices import (
    DIGITAL_TYPES,
    REQUEST_ISSUABLE_STATUSES,
    InvoiceKind,
    InvoiceSource,
    InvoiceStatus,
    RequestStatus,
)
from suanpan.invoicing.errors import (
    InvoiceNumberInvalid,
    InvoiceNumberTaken,
    RequestNotInStatus,
)
from suanpan.invoicing.models import Invoice, InvoiceBatch, InvoiceLine, InvoiceRequest
from suanpan.ledger.choices import RevenuePolicy
from suanpan.ledger.services import (
    PostingEvent,
    business_dates_require,
    company_get,
    posting_post,
)
from suanpan.sales.selectors import contract_instalments, order_with_customer
from suanpan.sales.services import (
    order_lines_invoice,
    order_lines_lock_for_invoicing,
    order_lines_uninvoice,
)
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

ZERO = Decimal(0)
_DIGITAL_NUMBER = re.compile(r"^\d{20}$")
_PAPER_CODE = re.compile(r"^\d{10}$|^\d{12}$")
_PAPER_NUMBER = re.compile(r"^\d{8}$")

# How the invoice posts: clearing what delivery recognised (revenue on delivery), or
# recognising revenue itself (revenue on invoice; allowances; history).
MODE_UNBILLED = "unbilled"
MODE_REVENUE = "revenue"


@dataclass(frozen=True)
class IssueInput:
    """What the platform gave for a request: the number, the date, who drew it."""

    number: str
    issued_on: date
    code: str = ""
    drawer: str = ""
    differences: str = ""
    source: str = InvoiceSource.REQUEST
    batch: InvoiceBatch | None = None


def invoice_number_normalize(*, number: str, code: str = "", invoice_type: str) -> tuple[str, str]:
    """(code, number) as stored: digits only; 20 digits for a digital invoice, a 10- or 12-digit
    code and an 8-digit number on paper. Numbers stay text: leading zeros are kept."""
    number = "".join(str(number).split())
    code = "".join(str(code).split())
    if invoice_type in DIGITAL_TYPES:
        if not _DIGITAL_NUMBER.match(number) or code:
            raise InvoiceNumberInvalid(fields={"number": [_("Twenty digits.")]}, number=number)
        return "", number
    if not _PAPER_NUMBER.match(number) or not _PAPER_CODE.match(code):
        raise InvoiceNumberInvalid(
            _("A paper invoice has a 10- or 12-digit code and an 8-digit number."),
            fields={"number": [_("Eight digits, with the invoice code.")]},
        )
    return code, number


def _number_free(code: str, number: str) -> None:
    if Invoice.objects.filter(code=code, number=number).exists():
        raise InvoiceNumberTaken(number=f"{code}{number}")


def due_parts(
    invoice: Invoice,
    *,
    terms_days: int,
    instalment_due_on: date | None,
    plan: Sequence[tuple[date, Decimal]] = (),
) -> tuple[tuple[date, Decimal], ...]:
    """The receivable's due dates, one open item each: the instalment's date for an instalment's
    invoice; the contract's plan, in proportion, for an order under a contract with one; else the
    issue date plus the customer's payment terms. A red invoice falls due at once (a credit)."""
    if invoice.gross_amount < 0:
        return ((invoice.issued_on, invoice.gross_amount),)
    if instalment_due_on is None and plan:
        return postings.due_parts_by_plan(invoice.gross_amount, plan)
    due = instalment_due_on or invoice.issued_on + timedelta(days=terms_days)
    return ((due, invoice.gross_amount),)


def _order_quantities(lines: Sequence[InvoiceLine]) -> dict[int, Decimal]:
    quantities: dict[int, Decimal] = {}
    for line in lines:
        if line.order_line_id is not None and line.quantity:
            quantities[line.order_line_id] = (
                quantities.get(line.order_line_id, ZERO) + line.quantity
            )
    return {pk: q for pk, q in quantities.items() if q != 0}


def _costs_moved(order_line_ids: list[int]) -> dict[int, Decimal]:
    rows = (
        InvoiceLine.objects.filter(order_line_id__in=order_line_ids)
        .exclude(invoice__status=InvoiceStatus.VOIDED)
        .values("order_line_id")
        .annotate(fen=fen_sum("cost_amount"))
    )
    return {row["order_line_id"]: yuan(row["fen"]) for row in rows}


def _blue_costs(lines: Sequence[InvoiceLine], order_id: int) -> None:
    """Set each blue goods line's cost: its share of what its order line still has in goods
    shipped (shipped cost less what invoices moved), before this invoice's quantities count."""
    quantities = _order_quantities(lines)
    if not quantities:
        return
    order = order_with_customer(pk=order_id)
    locked = order_lines_lock_for_invoicing(order=order, line_ids=sorted(quantities))
    shipped_cost = order_lines_shipped_cost(list(quantities))
    moved = _costs_moved(list(quantities))
    taken: dict[int, tuple[Decimal, Decimal]] = {}
    for line in lines:
        if line.order_line_id is None or not line.quantity:
            continue
        order_line = locked[line.order_line_id]
        cost_before, units_before = taken.get(line.order_line_id, (ZERO, ZERO))
        outstanding_cost = (
            shipped_cost.get(line.order_line_id, ZERO)
            - moved.get(line.order_line_id, ZERO)
            - cost_before
        )
        outstanding_units = (
            order_line.shipped_quantity - order_line.invoiced_quantity - units_before
        )
        line.cost_amount = postings.cost_share(
            outstanding_cost=outstanding_cost,
            outstanding_units=outstanding_units,
            units=line.quantity,
        )
        taken[line.order_line_id] = (cost_before + line.cost_amount, units_before + line.quantity)


def invoice_mode(*, kind: str, red_reason: str = "") -> str:
    """Whether an invoice clears unbilled receivables or recognises revenue itself."""
    if company_get().revenue_policy == RevenuePolicy.ON_INVOICE:
        return MODE_REVENUE
    # An allowance or a stopped service reduces revenue the delivery recognised; a red invoice
    # for an error or a return gives back the unbilled receivable (the return reversed revenue).
    if kind == InvoiceKind.RED and red_reason in ("3", "4"):
        return MODE_REVENUE
    return MODE_UNBILLED


def invoice_record(
    *,
    invoice: Invoice,
    lines: Sequence[InvoiceLine],
    actor: User,
    post: bool = True,
    mode: str | None = None,
    terms_days: int | None = None,
    instalment_due_on: date | None = None,
    order_id: int | None = None,
    plan: Sequence[tuple[date, Decimal]] = (),
) -> Invoice:
    """Save an (unsaved) invoice with its lines, move the order lines' invoiced quantities and
    post it. Amounts are signed: a red invoice hands in negative lines whose cost is already
    set (the share of the blue line's cost it reverses). Runs inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("invoice_record() must run inside transaction.atomic()")
    mode = mode or invoice_mode(kind=invoice.kind, red_reason=invoice.red_reason)
    quantities = _order_quantities(lines)
    if order_id is not None and quantities and invoice.kind == InvoiceKind.BLUE:
        if mode == MODE_REVENUE:
            _blue_costs(lines, order_id)
    elif mode != MODE_REVENUE:
        for line in lines:
            line.cost_amount = ZERO
    invoice.net_amount = sum((line.net_amount for line in lines), ZERO)
    invoice.tax_amount = sum((line.tax_amount for line in lines), ZERO)
    invoice.gross_amount = invoice.net_amount + invoice.tax_amount
    parts = due_parts(
        invoice,
        terms_days=terms_days if terms_days is not None else invoice.customer.payment_terms_days,
        instalment_due_on=instalment_due_on,
        plan=plan,
    )
    invoice.first_due_on = min(due for due, _part in parts)
    invoice.posted = post
    invoice.created_by = actor
    invoice.save()
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    if order_id is not None and quantities:
        order = order_with_customer(pk=order_id)
        reference = str(invoice)
        increase = {pk: q for pk, q in quantities.items() if q > 0}
        decrease = {pk: -q for pk, q in quantities.items() if q < 0}
        if increase:
            order_lines_invoice(order=order, quantities=increase, actor=actor, reference=reference)
        if decrease:
            order_lines_uninvoice(
                order=order, quantities=decrease, actor=actor, reference=reference
            )
    if post:
        _post(invoice, lines, parts=parts, mode=mode, actor=actor)
    return invoice


def invoice_summary(invoice: Invoice) -> str:
    kind = _("Red invoice") if invoice.kind == InvoiceKind.RED else _("Invoice")
    return _("%(kind)s %(number)s, %(customer)s") % {
        "kind": kind,
        "number": str(invoice),
        "customer": invoice.customer.name,
    }


def _post(
    invoice: Invoice,
    lines: Sequence[InvoiceLine],
    *,
    parts: tuple[tuple[date, Decimal], ...],
    mode: str,
    actor: User,
) -> None:
    amounts = postings.InvoiceAmounts(
        net=invoice.net_amount,
        tax=invoice.tax_amount,
        cost=sum((line.cost_amount for line in lines), ZERO),
        customer_code=invoice.customer.number,
        due_parts=parts,
    )
    summary = invoice_summary(invoice)
    posting_post(
        event=PostingEvent(
            source_type=postings.SOURCE_INVOICE,
            source_id=str(invoice.pk),
            event=postings.EVENT_ISSUE,
            date=invoice.issued_on,
            summary=summary[:200],
            lines=postings.invoice_lines(
                amounts, on_invoice=mode == MODE_REVENUE, summary=summary[:200]
            ),
            red=invoice.kind == InvoiceKind.RED,
        ),
        actor=actor,
    )


def _request_locked(request: InvoiceRequest) -> InvoiceRequest:
    return (
        for_update(InvoiceRequest.objects.all())
        .select_related("customer", "instalment", "order")
        .get(pk=request.pk)
    )


def _contract_plan(request: InvoiceRequest) -> list[tuple[date, Decimal]]:
    """The payment plan of the contract an order was placed under, as (due date, amount)."""
    if request.order is None or request.order.contract_id is None:
        return []
    return [
        (instalment.due_on, instalment.amount)
        for instalment in contract_instalments(contract_id=request.order.contract_id)
    ]


@audited
@transaction.atomic
def invoice_issue(*, request: InvoiceRequest, data: IssueInput, actor: User) -> Invoice:
    """Record the invoice the platform issued for an approved (or exported, or failed and
    re-issued) request: its number as text, the issue date, the request's buyer and lines.
    Posts it, bills the order lines and closes the request."""
    permission_require(actor, "invoicing.issue_invoice")
    request = _request_locked(request)
    if request.status not in REQUEST_ISSUABLE_STATUSES:
        raise RequestNotInStatus(number=request.number, status=request.get_status_display())
    business_dates_require({"issued_on": data.issued_on})
    code, number = invoice_number_normalize(
        number=data.number, code=data.code, invoice_type=request.invoice_type
    )
    _number_free(code, number)
    invoice = Invoice(
        code=code,
        number=number,
        kind=InvoiceKind.BLUE,
        invoice_type=request.invoice_type,
        status=InvoiceStatus.ISSUED,
        source=data.source,
        customer=request.customer,
        request=request,
        issued_on=data.issued_on,
        price_includes_tax=request.price_includes_tax,
        remarks=request.remarks,
        drawer=data.drawer[:40],
        differences=data.differences,
        batch=data.batch,
        **{
            name: getattr(request, name)
            for name in (
                "buyer_name",
                "buyer_tax_number",
                "buyer_is_person",
                "buyer_address",
                "buyer_phone",
                "buyer_bank",
                "buyer_account",
                "buyer_email",
            )
        },
    )
    lines = [
        InvoiceLine(
            position=line.position,
            request_line=line,
            product_id=line.product_id,
            order_line_id=line.order_line_id,
            item_name=line.item_name,
            tax_code=line.tax_code,
            specification=line.specification,
            unit=line.unit,
            quantity=line.quantity,
            unit_price=line.unit_price,
            net_amount=line.net_amount,
            discount_amount=line.discount_amount,
            vat_rate_key=line.vat_rate_key,
            vat_rate=line.vat_rate,
            tax_amount=line.tax_amount,
            gross_amount=line.gross_amount,
        )
        for line in request.lines.order_by("position")
    ]
    invoice_record(
        invoice=invoice,
        lines=lines,
        actor=actor,
        instalment_due_on=request.instalment.due_on if request.instalment else None,
        order_id=request.order_id,
        plan=_contract_plan(request),
    )
    request.status = RequestStatus.ISSUED
    request.failure_reason = ""
    request.save()
    return invoice


def issued_on_default() -> date:
    return timezone.localdate()
