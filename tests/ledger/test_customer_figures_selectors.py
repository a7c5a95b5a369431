"""Customer figures from open items: balance, overdue and average days to pay, for a page of
customers in one query."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from suanpan.ledger import selectors, services
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Account, Dimension, OpenItem
from suanpan.ledger.services import LineInput
from suanpan.ledger.types import PostingEvent, RoleLine
from tests.ledger.builders import invoice_event, posted_voucher, receipt_event

pytestmark = pytest.mark.django_db
D = Decimal
CUSTOMER = "KH-000001"


def _post(*events, actor):
    return [services.posting_post(event=e, actor=actor) for e in events]


def _item(source_id: str) -> OpenItem:
    return OpenItem.objects.get(source_id=source_id)


def _match(actor, invoice: str, receipt: str, amount: str, on: date):
    return services.open_item_match(
        actor=actor,
        debit_item=_item(invoice),
        credit_item=_item(receipt),
        amount=D(amount),
        on=on,
    )


def _figures(today: date, code: str = CUSTOMER) -> selectors.CustomerFigures:
    return selectors.customer_figures(codes=[code], today=today)[code]


def test_customer_figures_net_credits_and_weigh_days_by_amount_when_invoices_partly_paid(
    customer_dim, accountant
):
    _post(
        invoice_event("F1", "113.00", on=date(2026, 1, 5), due=date(2026, 1, 20)),
        invoice_event("F2", "226.00", on=date(2026, 2, 1), due=date(2026, 3, 31)),
        invoice_event("F3", "300.00", on=date(2026, 1, 10), due=date(2026, 2, 9)),
        receipt_event("R1", "100.00", on=date(2026, 2, 10)),
        receipt_event("R2", "50.00", on=date(2026, 2, 20)),
        receipt_event("R3", "300.00", on=date(2026, 1, 20)),
        actor=accountant,
    )
    _match(accountant, "F1", "R1", "100", date(2026, 2, 10))  # 36 days after posting, partly
    _match(accountant, "F3", "R3", "300", date(2026, 1, 20))  # 10 days, in full

    figures = _figures(date(2026, 3, 1))

    # 113 + 226 + 300 invoiced, 450 received (50 of it not yet applied to an invoice).
    assert figures.balance == D("189.00")
    # F1's open 13 is past due; F2 is not due yet; R2's unapplied 50 does not reduce it.
    assert figures.overdue == D("13.00")
    # (100 × 36 + 300 × 10) / 400 = 16.5, halves up.
    assert figures.average_days_to_pay == 17


def test_customer_figures_leave_an_undone_match_out_when_averaging_days(customer_dim, accountant):
    _post(
        invoice_event("F1", "113.00", on=date(2026, 1, 5), due=date(2026, 1, 31)),
        receipt_event("R1", "113.00", on=date(2026, 1, 25)),
        actor=accountant,
    )
    match = _match(accountant, "F1", "R1", "113", date(2026, 1, 25))
    assert _figures(date(2026, 2, 1)).average_days_to_pay == 20

    services.open_item_unmatch(actor=accountant, match=match, on=date(2026, 2, 1))
    figures = _figures(date(2026, 2, 1))

    # Both items are open again: they cancel in the balance, the invoice is overdue.
    assert figures.balance == D("0.00")
    assert figures.overdue == D("113.00")
    assert figures.average_days_to_pay is None


def test_customer_figures_leave_red_letter_reversals_out_when_averaging_days(
    customer_dim, accountant
):
    _post(
        invoice_event("F1", "113.00", on=date(2026, 1, 5)),
        invoice_event("F2", "226.00", on=date(2026, 1, 5)),
        replace(invoice_event("H1", "-113.00", on=date(2026, 1, 8)), red=True),
        receipt_event("R2", "226.00", on=date(2026, 1, 25)),
        actor=accountant,
    )
    _match(accountant, "F1", "H1", "113", date(2026, 1, 8))  # cancelled, 3 days on
    _match(accountant, "F2", "R2", "226", date(2026, 1, 25))  # paid, 20 days on

    figures = _figures(date(2026, 2, 1))

    assert figures.balance == D("0.00")
    assert figures.average_days_to_pay == 20


def test_customer_figures_count_only_a_year_of_settlements_when_averaging_days(
    customer_dim, accountant
):
    _post(
        invoice_event("F1", "100.00", on=date(2026, 1, 5)),
        receipt_event("R1", "100.00", on=date(2026, 1, 15)),
        actor=accountant,
    )
    _match(accountant, "F1", "R1", "100", date(2026, 1, 15))

    assert _figures(date(2027, 1, 14)).average_days_to_pay == 10
    assert _figures(date(2027, 1, 15)).average_days_to_pay is None


def test_customer_figures_read_sub_accounts_but_not_advances_when_other_accounts_hold_items(
    accounts, customer_dim, accountant, finance_manager
):
    _post(
        PostingEvent(
            source_type="receivables.advance",
            source_id="Y1",
            event="received",
            date=date(2026, 1, 8),
            summary="预收",
            lines=(
                RoleLine(AccountRole.BANK, debit=D("500")),
                RoleLine(AccountRole.CUSTOMER_ADVANCE, credit=D("500"), dimension_code=CUSTOMER),
            ),
        ),
        actor=accountant,
    )
    # The receivable account gets a sub-account; a manual voucher posts to it.
    below = Account.objects.create(
        code="1122.01.01",
        name="应收账款-客户-华北",
        parent=accounts["1122.01"],
        level=3,
        direction="debit",
        category="asset",
        requires_customer=True,
        is_open_item=True,
    )
    posted_voucher(
        maker=accountant,
        poster=finance_manager,
        lines=[
            LineInput(
                account=below, debit=D("80"), dimension=customer_dim, due_on=date(2026, 1, 9)
            ),
            LineInput(account=accounts["1002"], credit=D("80")),
        ],
    )

    figures = _figures(date(2026, 2, 1))

    assert figures.balance == D("80.00")
    assert figures.overdue == D("80.00")


def test_customer_figures_take_one_query_when_many_customers_are_asked(
    customer_dim, accountant, django_assert_num_queries
):
    codes = [f"KH-{n:06d}" for n in range(2, 12)]
    for code in codes:
        services.dimension_upsert(kind="customer", code=code, name=f"客户{code}")
    _post(
        *[invoice_event(f"F{code}", "10.00", customer=code) for code in codes],
        *[receipt_event(f"R{code}", "4.00", customer=code) for code in codes[:5]],
        actor=accountant,
    )
    for code in codes[:5]:
        _match(accountant, f"F{code}", f"R{code}", "4", date(2026, 1, 25))

    with django_assert_num_queries(1):
        figures = selectors.customer_figures(codes=[*codes, "KH-999999"], today=date(2026, 3, 1))

    assert [figures[code].balance for code in codes] == [D("6.00")] * 5 + [D("10.00")] * 5
    assert [figures[code].average_days_to_pay for code in codes] == [10] * 5 + [None] * 5
    assert figures["KH-999999"] == selectors.NO_FIGURES


def test_customer_figures_answer_zeros_when_no_books_are_set_up(django_assert_num_queries):
    Dimension.objects.create(kind="customer", code=CUSTOMER, name="北京小米科技有限公司")

    with django_assert_num_queries(1):
        figures = _figures(date(2026, 3, 1))

    assert figures == selectors.NO_FIGURES
    assert (figures.balance, figures.overdue, figures.average_days_to_pay) == (
        D("0.00"),
        D("0.00"),
        None,
    )


def test_customer_figures_ask_nothing_when_no_codes_are_given(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.customer_figures(codes=[]) == {}
