"""The detail ledger page (明细账): 本月合计 and 本年累计 after each month, the opening carried
forward, voucher links, and a constant number of queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suanpan.ledger.models import Voucher
from suanpan.ledger.services import LineInput
from tests.ledger.builders import posted_voucher

pytestmark = pytest.mark.django_db
D = Decimal


def _lines(accounts, amount: str) -> list[LineInput]:
    return [
        LineInput(accounts["1002"], debit=D(amount)),
        LineInput(accounts["6001"], credit=D(amount)),
    ]


def test_detail_ledger_page_prints_month_and_year_totals_and_links_vouchers(
    client, accountant, accounts, finance_manager
):
    for on, amount in ((date(2026, 1, 8), "10.00"), (date(2026, 2, 3), "5.00")):
        posted_voucher(
            maker=accountant, poster=finance_manager, lines=_lines(accounts, amount), on=on
        )
    client.force_login(accountant)

    page = client.get(
        reverse("ledger_reports:account_detail"),
        {"account": "1002", "date_from": "2026-01-01", "date_to": "2026-02-28"},
    )

    html = page.content.decode()
    assert "Brought forward" in html
    assert html.count("Month total") == 2 and html.count("Year to date") == 2
    assert html.index("记-202601-0001") < html.index("Month total") < html.index("记-202602-0001")
    year_row = html[html.rindex("Year to date") :]
    assert year_row.index("15.00") < year_row.index("</tr>")
    detail = reverse("ledger:voucher_detail", args=[Voucher.objects.order_by("date")[0].pk])
    assert f'href="{detail}"' in html


def test_detail_ledger_page_query_count_is_constant_when_more_months(
    client, accountant, accounts, finance_manager
):
    def get():
        with CaptureQueriesContext(connection) as queries:
            client.get(
                reverse("ledger_reports:account_detail"),
                {"account": "1002", "date_from": "2026-01-01", "date_to": "2026-06-30"},
            )
        return len(queries)

    posted_voucher(maker=accountant, poster=finance_manager, lines=_lines(accounts, "1.00"))
    client.force_login(accountant)
    few = get()
    for month in range(2, 6):
        posted_voucher(
            maker=accountant,
            poster=finance_manager,
            lines=_lines(accounts, "1.00"),
            on=date(2026, month, 2),
        )
    assert get() == few
