"""Posting events and vouchers for ledger tests, built the way business code posts them.

Shared by several test modules: keep the signatures stable.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from suanpan.ledger import services
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Account, Voucher
from suanpan.ledger.services import LineInput
from suanpan.ledger.types import PostingEvent, RoleLine
from suanpan.users.models import User

D = Decimal


def invoice_event(
    number: str,
    amount: str,
    *,
    on: date = date(2026, 1, 15),
    due: date | None = None,
    customer: str = "KH-000001",
) -> PostingEvent:
    """Dr receivable (an open item due `due`) / Cr revenue, Cr output VAT at 13 %."""
    gross = D(amount)
    net = (gross / D("1.13")).quantize(D("0.01"))
    return PostingEvent(
        source_type="invoicing.invoice",
        source_id=number,
        event="issued",
        date=on,
        summary=f"发票 {number}",
        lines=(
            RoleLine(
                AccountRole.RECEIVABLE,
                debit=gross,
                dimension_code=customer,
                due_on=due or date(2026, 2, 14),
            ),
            RoleLine(AccountRole.REVENUE, credit=net),
            RoleLine(AccountRole.VAT_OUTPUT, credit=gross - net),
        ),
    )


def receipt_event(
    number: str, amount: str, *, on: date = date(2026, 1, 20), customer: str = "KH-000001"
) -> PostingEvent:
    """Dr bank / Cr receivable (a negative open item)."""
    return PostingEvent(
        source_type="receivables.receipt",
        source_id=number,
        event="received",
        date=on,
        summary=f"收款 {number}",
        word="收",
        lines=(
            RoleLine(AccountRole.BANK, debit=D(amount)),
            RoleLine(AccountRole.RECEIVABLE, credit=D(amount), dimension_code=customer),
        ),
    )


def posted_voucher(
    *,
    maker: User,
    poster: User,
    lines: list[LineInput],
    on: date = date(2026, 1, 10),
    summary: str = "手工凭证",
) -> Voucher:
    """A manual voucher made by one user, reviewed and posted by another."""
    voucher = services.voucher_create(actor=maker, date=on, summary=summary, lines=lines)
    services.voucher_review(actor=poster, voucher=voucher)
    services.voucher_post(actor=poster, voucher=voucher)
    voucher.refresh_from_db()
    return voucher


def cash_sale(
    accounts: dict[str, Account], amount: str, *, maker: User, poster: User, on: date
) -> Voucher:
    """Dr bank / Cr revenue, entered by hand."""
    return posted_voucher(
        maker=maker,
        poster=poster,
        on=on,
        summary="现销",
        lines=[
            LineInput(accounts["1002"], debit=D(amount)),
            LineInput(accounts["6001"], credit=D(amount)),
        ],
    )
