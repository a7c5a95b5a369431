"""Posting rules of invoices (DESIGN.md "What posts what"): amounts in, role lines out.

Revenue on delivery (the default): the delivery already recognised revenue against
receivable_unbilled and vat_output_pending, so the invoice moves them to the customer's
receivable (one open item per due date) and to output VAT:
Dr receivable / Cr receivable_unbilled; Dr vat_output_pending / Cr vat_output.
Invoicing ahead of signing leaves receivable_unbilled in credit for the customer (billed, not
yet delivered) until the delivery is signed for.

Revenue on invoice: Dr receivable / Cr revenue, Cr vat_output; and Dr cogs / Cr goods_shipped
for the cost of the invoiced share of what was shipped.

A red invoice posts the same lines with negative amounts (a red voucher).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from suanpan.core.money import allocate_largest_remainder, divide
from suanpan.ledger.types import Role, RoleLine

SOURCE_INVOICE = "invoicing.invoice"
EVENT_ISSUE = "issue"
EVENT_VOID = "void"
ZERO = Decimal(0)


@dataclass(frozen=True)
class InvoiceAmounts:
    """What an invoice posts: net, tax, the cost it moves (revenue on invoice), and its gross
    spread over due dates (one receivable open item each; the parts sum to net + tax)."""

    net: Decimal
    tax: Decimal
    cost: Decimal
    customer_code: str
    due_parts: tuple[tuple[date, Decimal], ...]

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


def _nonzero(lines: list[RoleLine]) -> tuple[RoleLine, ...]:
    return tuple(line for line in lines if line.debit != 0 or line.credit != 0)


def _receivable(amounts: InvoiceAmounts, summary: str) -> list[RoleLine]:
    if sum((part for _due, part in amounts.due_parts), ZERO) != amounts.gross:
        raise ValueError("the due-date parts must add up to the invoice's gross amount")
    return [
        RoleLine(
            role=Role.RECEIVABLE,
            debit=part,
            dimension_code=amounts.customer_code,
            due_on=due_on,
            summary=summary,
        )
        for due_on, part in amounts.due_parts
    ]


def invoice_lines_on_delivery(
    amounts: InvoiceAmounts, *, summary: str = ""
) -> tuple[RoleLine, ...]:
    """Revenue on delivery: billed receivable replaces unbilled; pending output VAT becomes due."""
    return _nonzero(
        [
            *_receivable(amounts, summary),
            RoleLine(
                role=Role.RECEIVABLE_UNBILLED,
                credit=amounts.gross,
                dimension_code=amounts.customer_code,
            ),
            RoleLine(role=Role.VAT_OUTPUT_PENDING, debit=amounts.tax),
            RoleLine(role=Role.VAT_OUTPUT, credit=amounts.tax),
        ]
    )


def invoice_lines_on_invoice(amounts: InvoiceAmounts, *, summary: str = "") -> tuple[RoleLine, ...]:
    """Revenue on invoice: receivable, revenue and output VAT; cost of the invoiced goods."""
    return _nonzero(
        [
            *_receivable(amounts, summary),
            RoleLine(role=Role.REVENUE, credit=amounts.net),
            RoleLine(role=Role.VAT_OUTPUT, credit=amounts.tax),
            RoleLine(role=Role.COGS, debit=amounts.cost),
            RoleLine(role=Role.GOODS_SHIPPED, credit=amounts.cost),
        ]
    )


def invoice_lines(
    amounts: InvoiceAmounts, *, on_invoice: bool, summary: str = ""
) -> tuple[RoleLine, ...]:
    """The voucher lines of an invoice under the company's revenue policy. A red invoice hands
    in negative amounts and gets the same lines negated (posted as a red voucher)."""
    if on_invoice:
        return invoice_lines_on_invoice(amounts, summary=summary)
    if amounts.cost:
        raise ValueError("revenue on delivery moves no cost at invoicing")
    return invoice_lines_on_delivery(amounts, summary=summary)


def cost_share(*, outstanding_cost: Decimal, outstanding_units: Decimal, units: Decimal) -> Decimal:
    """The cost `units` of a line take out of goods shipped: the whole outstanding cost when they
    are all that is outstanding, else the proportional share rounded half up to the fen."""
    if units <= 0 or outstanding_units <= 0:
        return ZERO
    if units >= outstanding_units:
        return outstanding_cost
    return divide(outstanding_cost * units, outstanding_units)


def due_parts_by_plan(
    gross: Decimal, plan: Sequence[tuple[date, Decimal]]
) -> tuple[tuple[date, Decimal], ...]:
    """Spread an invoice's gross over a contract's payment plan: each instalment's share in
    proportion to its amount (a 30/60/10 plan makes every invoice payable 30% at the first
    date, 60% at the second, 10% — the retention — at the last), by the largest remainder so the
    parts add up to the fen. Instalments on one date are one part; zero parts are left out."""
    if not plan or gross == 0:
        raise ValueError("a plan needs at least one instalment and a non-zero amount")
    shares = allocate_largest_remainder(gross, [weight for _due, weight in plan])
    parts: dict[date, Decimal] = {}
    for (due_on, _weight), share in zip(plan, shares, strict=True):
        parts[due_on] = parts.get(due_on, ZERO) + share
    return tuple((due_on, part) for due_on, part in sorted(parts.items()) if part != 0)
