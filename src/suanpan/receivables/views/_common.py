"""What the receivables pages share: breadcrumbs and subnavigation, the link to the document
behind an open item or a settlement line, the open items as the tables show them, and a
customer's open invoices with the amounts typed to settle them (receipts and bank lines)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from suanpan.ledger.selectors import OpenItemRow
from suanpan.receivables.calculations import postings
from suanpan.receivables.errors import SettlementInvalid
from suanpan.receivables.forms.receipts import SETTLE_PREFIX
from suanpan.receivables.selectors import customer_open_sides

# The documents whose pages an open item or a settlement line links to, by source type.
SOURCE_PAGES = {
    "invoicing.invoice": "invoicing:invoice_detail",
    postings.SOURCE_RECEIPT: "receivables:receipt_detail",
    postings.SOURCE_SETTLEMENT: "receivables:settlement_detail",
    postings.SOURCE_REFUND: "receivables:refund_detail",
}


def nav_context(subnav: str, *crumbs: tuple[str, str | None]) -> dict[str, Any]:
    return {
        "subnav": subnav,
        "breadcrumbs": [(_("Receivables"), reverse("receivables:home")), *crumbs],
    }


def source_url(source_type: str, source_id: str) -> str:
    """The page of the document an item came from; "" when it has none."""
    name = SOURCE_PAGES.get(source_type)
    if name is None or not source_id.isdigit():
        return ""
    try:
        return reverse(name, args=[int(source_id)])
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class ItemRow:
    """One open item on the 核销 screen or the customer's tab; amounts positive."""

    pk: int
    label: str
    voucher_number: str
    posted_on: Any
    due_on: Any
    amount: Decimal
    open_amount: Decimal
    url: str


def item_rows(rows: list[OpenItemRow], *, credit: bool = False) -> list[ItemRow]:
    sign = -1 if credit else 1
    return [
        ItemRow(
            pk=row.pk,
            label=row.summary or row.voucher_number,
            voucher_number=row.voucher_number,
            posted_on=row.posted_on,
            due_on=row.due_on,
            amount=row.amount * sign,
            open_amount=row.open_amount * sign,
            url=source_url(row.source_type, row.source_id),
        )
        for row in rows
    ]


def open_invoices_context(customer: Any, typed: dict[int, str]) -> dict[str, Any]:
    """The customer's open debits to settle with the receipt, with what was typed for each."""
    if customer is None:
        return {"open_customer": None, "open_debits": [], "open_error": ""}
    try:
        sides = customer_open_sides(customer=customer)
    except SettlementInvalid as exc:
        return {"open_customer": customer, "open_debits": [], "open_error": exc.message}
    rows = [
        {"row": row, "typed": typed.get(row.pk, ""), "name": f"{SETTLE_PREFIX}{row.pk}"}
        for row in item_rows(sides.debits)
    ]
    return {"open_customer": customer, "open_debits": rows, "open_error": ""}
