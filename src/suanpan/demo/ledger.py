"""Demo books: a company under 企业会计准则 with capital, invoices and receipts posted, some of
them matched, and a voucher waiting for review."""

# Demo data needs reproducible randomness, not secrecy.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from suanpan.core.tax import split_gross
from suanpan.demo.customers import active_customers, credit_code
from suanpan.ledger import selectors as ledger_selectors
from suanpan.ledger import services as ledger
from suanpan.ledger.choices import AccountingStandard, AccountRole, RevenuePolicy
from suanpan.ledger.errors import LedgerNotSetUp
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.ledger.models import Account, Company, OpenItem


def books_company() -> Company | None:
    """The company whose books the demo keeps, or None before they are set up."""
    try:
        return ledger.company_get()
    except LedgerNotSetUp:
        return None


def _account(code: str) -> Account:
    account = ledger_selectors.account_by_code(code=code)
    if account is None:
        raise LookupError(code)
    return account


def _open_item(pk: int) -> OpenItem:
    item = ledger_selectors.open_item_get(pk=pk)
    if item is None:
        raise LookupError(pk)
    return item


def _receivable_items() -> dict[tuple[str, str], int]:
    """Open item ids on the receivable account by their source (type, id)."""
    account = ledger_selectors.account_for_role(AccountRole.RECEIVABLE)
    if account is None:
        raise LookupError(AccountRole.RECEIVABLE)
    rows = ledger_selectors.open_items(account=account, only_open=False)
    return {(row.source_type, row.source_id): row.pk for row in rows}


def demo_books(*, users: dict[str, User], seed: int) -> None:
    """Books under 企业会计准则 from two months back: opening capital, invoices and receipts of
    twenty customers (some settled), and a manual voucher waiting for review.

    Invoices and receipts are posted as synthetic events (`demo.invoice`, `demo.receipt`) until
    the invoicing and receivables modules post the real ones.
    """
    if books_company() is not None:
        return
    rng = random.Random(seed)
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=40)).replace(day=1)
    admin, finance, accountant = users["admin"], users["finance"], users["accountant"]
    ledger.company_setup(
        actor=admin,
        name="算盘演示科技有限公司",
        tax_number=credit_code(rng, "110108"),
        standard=AccountingStandard.CAS,
        first_period=first,
        revenue_policy=RevenuePolicy.ON_INVOICE,
        voucher_words="记收付转",
    )
    accounts = {code: _account(code) for code in ("1002", "4001")}
    capital = ledger.voucher_create(
        actor=accountant,
        date=first,
        summary="收到股东投资款",
        word="收",
        lines=[
            ledger.LineInput(accounts["1002"], debit=Decimal("1000000.00")),
            ledger.LineInput(accounts["4001"], credit=Decimal("1000000.00")),
        ],
    )
    ledger.voucher_review(actor=finance, voucher=capital)
    ledger.voucher_post(actor=finance, voucher=capital)

    customers = list(active_customers(user=admin, limit=20))
    events = []
    receipts = []
    for index, customer in enumerate(customers):
        on = min(first + timedelta(days=rng.randint(0, 50)), today)
        gross = Decimal(rng.randint(5_000, 120_000)).quantize(Decimal("0.01"))
        net, tax = split_gross(gross, Decimal("0.13"))
        events.append(
            ledger.PostingEvent(
                source_type="demo.invoice",
                source_id=f"{index + 1:04d}",
                event="issued",
                date=on,
                summary=f"销售发票 {customer.name}",
                lines=(
                    ledger.RoleLine(
                        AccountRole.RECEIVABLE,
                        debit=gross,
                        dimension_code=customer.number,
                        due_on=on + timedelta(days=customer.payment_terms_days),
                    ),
                    ledger.RoleLine(AccountRole.REVENUE, credit=net),
                    ledger.RoleLine(AccountRole.VAT_OUTPUT, credit=tax),
                ),
            )
        )
        if index % 3 == 0:
            paid_on = min(on + timedelta(days=rng.randint(5, 30)), today)
            paid = gross if index % 2 == 0 else (gross / 2).quantize(Decimal("0.01"))
            receipts.append(
                ledger.PostingEvent(
                    source_type="demo.receipt",
                    source_id=f"{index + 1:04d}",
                    event="received",
                    date=paid_on,
                    summary=f"收到货款 {customer.name}",
                    word="收",
                    lines=(
                        ledger.RoleLine(AccountRole.BANK, debit=paid),
                        ledger.RoleLine(
                            AccountRole.RECEIVABLE, credit=paid, dimension_code=customer.number
                        ),
                    ),
                )
            )
    # Numbers follow posting order; posting in date order makes them read chronologically.
    ledger.posting_post_batch(events=sorted(events, key=lambda e: e.date), actor=accountant)
    ledger.posting_post_batch(events=sorted(receipts, key=lambda e: e.date), actor=accountant)
    items = _receivable_items()
    for receipt in receipts:
        credit = _open_item(items["demo.receipt", receipt.source_id])
        debit = _open_item(items["demo.invoice", receipt.source_id])
        ledger.open_item_match(
            actor=accountant,
            debit_item=debit,
            credit_item=credit,
            amount=-credit.amount,
            on=max(credit.posted_on, debit.posted_on),
        )
    ledger.voucher_create(
        actor=accountant,
        date=today,
        summary="支付本月办公用品费",
        word="付",
        lines=[
            ledger.LineInput(_account("6602"), debit=Decimal("1280.00")),
            ledger.LineInput(accounts["1002"], credit=Decimal("1280.00")),
        ],
    )
