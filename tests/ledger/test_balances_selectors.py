"""dimension_balance: the one ledger figure other apps read (sales' credit check)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.db.models import F

from suanpan.core.sums import fen_sum, yuan
from suanpan.ledger import selectors, services
from suanpan.ledger.choices import AccountRole, DimensionKind, VoucherStatus
from suanpan.ledger.models import VoucherLine
from suanpan.ledger.services import LineInput
from suanpan.ledger.types import PostingEvent, RoleLine
from tests.ledger.builders import invoice_event, receipt_event

RECEIVABLE_ROLES = (AccountRole.RECEIVABLE, AccountRole.RECEIVABLE_UNBILLED)


def _old_credit_check_query(code: str) -> D:
    """The query sales ran itself before the ledger offered dimension_balance."""
    fen = VoucherLine.objects.filter(
        account__roles__role__in=RECEIVABLE_ROLES,
        dimension__kind=DimensionKind.CUSTOMER,
        dimension__code=code,
        voucher__status=VoucherStatus.POSTED,
    ).aggregate(total=fen_sum(F("debit_amount") - F("credit_amount")))["total"]
    return yuan(fen)


def _unbilled(number: str, amount: str, customer: str) -> PostingEvent:
    return PostingEvent(
        source_type="inventory.delivery",
        source_id=number,
        event="signed",
        date=date(2026, 1, 18),
        summary=f"发货 {number}",
        lines=(
            RoleLine(AccountRole.RECEIVABLE_UNBILLED, debit=D(amount), dimension_code=customer),
            RoleLine(AccountRole.REVENUE, credit=D(amount)),
        ),
    )


@pytest.fixture
def postings(books, accounts, accountant, finance_manager):
    """Two customers with invoices, a receipt, a delivery not yet invoiced and a draft."""
    for code, name in (("KH-000001", "北京小米科技有限公司"), ("KH-000002", "上海算盘有限公司")):
        services.dimension_upsert(kind=DimensionKind.CUSTOMER, code=code, name=name)
    services.posting_post_batch(
        events=[
            invoice_event("F1", "226.00"),
            invoice_event("F2", "113.00", customer="KH-000002"),
            receipt_event("R1", "100.00"),
            _unbilled("D1", "50.00", "KH-000001"),
        ],
        actor=accountant,
    )
    customer = selectors.dimension_by_code(code="KH-000001")
    # A draft on the receivable: not posted, so in no balance.
    services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 25),
        summary="草稿",
        lines=[
            LineInput(accounts["1122.01"], debit=D("999.00"), dimension=customer),
            LineInput(accounts["6001"], credit=D("999.00")),
        ],
    )


def test_dimension_balance_sums_posted_lines_on_the_roles_when_asked_for_a_customer(postings):
    balance = selectors.dimension_balance(
        kind=DimensionKind.CUSTOMER, code="KH-000001", roles=RECEIVABLE_ROLES
    )

    assert balance == D("176.00")  # 226 invoiced − 100 received + 50 delivered, not the draft


def test_dimension_balance_matches_the_old_credit_check_query_when_customers_differ(postings):
    for code in ("KH-000001", "KH-000002", "KH-404"):
        assert selectors.dimension_balance(
            kind=DimensionKind.CUSTOMER, code=code, roles=RECEIVABLE_ROLES
        ) == _old_credit_check_query(code)


def test_dimension_balance_reads_only_the_roles_given_when_one_role_is_asked(postings):
    balance = selectors.dimension_balance(
        kind=DimensionKind.CUSTOMER, code="KH-000001", roles=[AccountRole.RECEIVABLE]
    )

    assert balance == D("126.00")


def test_dimension_balance_is_zero_when_there_are_no_books(db):
    assert selectors.dimension_balance(
        kind=DimensionKind.CUSTOMER, code="KH-000001", roles=RECEIVABLE_ROLES
    ) == D("0.00")


def test_dimension_balance_costs_one_query(postings, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.dimension_balance(
            kind=DimensionKind.CUSTOMER, code="KH-000001", roles=RECEIVABLE_ROLES
        )
