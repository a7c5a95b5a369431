"""What the period-end transfer previews read: the month named, each transfer's lines and
figures, what waits for what, and the accounts the close check names."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from suanpan.ledger import selectors, services
from suanpan.ledger.choices import TransferKind
from suanpan.ledger.models import Account, Period
from tests.ledger.builders import january_trading, post_lines, role_accounts

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.parametrize("chart_books", ["cas"], indirect=True),
]
D = Decimal


@pytest.fixture
def a(chart_books, chart_customer, accountant, finance_manager) -> dict[str, Account]:
    accounts = role_accounts()
    january_trading(accounts, chart_customer, maker=accountant, poster=finance_manager)
    return accounts


def test_transfer_period_takes_both_spellings_and_months_without_postings(a):
    assert selectors.transfer_period(key="2026-01") == Period.objects.get(year=2026, month=1)
    later = selectors.transfer_period(key="202602")

    assert (later.pk, later.key) == (None, "202602")  # created when something is posted
    # January's VAT was not moved: February's preview finds it in the balance.
    vat = selectors.transfer_overview(period=later)[0]
    assert [line.debit for line in vat.lines] == [D("1041.50"), D(0)]


@pytest.mark.parametrize("key", ["202512", "2026-13", "abc", "20261", "209912"])
def test_transfer_period_404_outside_the_books(a, key):
    with pytest.raises(Http404):
        selectors.transfer_period(key=key)


def test_overview_orders_the_transfers_and_says_what_waits(a, accountant):
    out = a["vat_transfer_out"]
    services.transfer_template_create(
        actor=accountant,
        data=services.TemplateInput(
            name="附加税",
            lines=(
                services.TemplateLineInput(a["surcharges"], "debit", "balancing"),
                services.TemplateLineInput(a["2221.13"], "credit", "movement", out, D("0.07")),
            ),
        ),
    )
    january = Period.objects.get()

    vat, template, pnl, year_end = selectors.transfer_overview(period=january)

    assert vat.can_post and not vat.blocked_by
    assert template.label == "附加税" and template.blocked_by == [vat.label]
    # Before VAT runs the template reads no movement: it has nothing to post yet, but VAT does.
    assert template.lines == []
    assert pnl.blocked_by == [vat.label]
    assert year_end.unavailable == "the year-end transfer runs in December"
    assert not year_end.is_pending


def test_pnl_preview_figures_give_the_months_profit(a):
    preview = selectors.transfer_preview(period=Period.objects.get(), kind=TransferKind.PNL)

    figures = [f.amount for f in preview.figures]
    assert figures == [D("12104.50"), D("6800.00"), D("5304.50"), D("0")]
    assert preview.debit_total == preview.credit_total == D("18904.50")


def test_pnl_open_accounts_name_each_account_once(a):
    found = selectors.pnl_open_accounts(period=Period.objects.get())

    assert [x.code for x in found] == ["6001", "6301", "6401", "6601", "6603"]


def test_accounts_named_cuts_a_long_list(a):
    accounts = list(Account.objects.order_by("code")[:11])

    text = selectors.accounts_named(accounts)

    assert text.startswith("1001 库存现金, 1002 银行存款")
    assert text.endswith("and 3 more")


def test_year_end_open_accounts_only_in_december(a, accountant, finance_manager):
    assert selectors.year_end_open_accounts(period=Period.objects.get()) == []
    post_lines(
        maker=accountant,
        poster=finance_manager,
        on=date(2026, 12, 5),
        summary="十二月",
        lines=[(a["bank"], "10.00", "0"), (a["current_year_profit"], "0", "10.00")],
    )

    found = selectors.year_end_open_accounts(period=Period.objects.get(month=12))

    assert found == [a["current_year_profit"]]


def test_overview_reads_a_fixed_number_of_queries_however_many_customers(
    a, accountant, finance_manager
):
    january = Period.objects.get()
    with CaptureQueriesContext(connection) as before:
        selectors.transfer_overview(period=january)
    for number in range(2, 6):
        customer = services.dimension_upsert(kind="customer", code=f"KH-00000{number}", name="客户")
        post_lines(
            maker=accountant,
            poster=finance_manager,
            on=date(2026, 1, 12),
            summary="赊销",
            lines=[
                (a["receivable"], "100.00", "0", customer),
                (a["revenue"], "0", "100.00", customer),
            ],
        )

    with CaptureQueriesContext(connection) as after:
        overview = selectors.transfer_overview(period=january)

    assert len(overview[1].lines) == 8 + 4  # four more customers' revenue lines
    assert len(after) == len(before)
