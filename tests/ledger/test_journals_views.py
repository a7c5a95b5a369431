"""Journal pages: the account summary (科目汇总表) and the journal (序时账) with their xlsx."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from suanpan.users.choices import Role
from tests.ledger.builders import (
    cash_sale_lines,
    posted_voucher,
)

pytestmark = pytest.mark.django_db
D = Decimal


def _sheet(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


# ---------------------------------------------------------------------------- account summary


def test_account_summary_page_shows_balanced_totals_and_range(client, accountant, january):
    client.force_login(accountant)

    page = client.get(
        reverse("ledger_reports:account_summary"),
        {"period": "202601", "word": "记", "number_from": "2", "number_to": "3"},
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="summary-debit">23.00' in html and 'id="summary-credit">23.00' in html
    assert "202601 记 No. 2 to 3" in html
    assert "2 vouchers, 0 attachments" in html


def test_account_summary_page_defaults_to_the_latest_month_and_exports_xlsx(
    client, accountant, january
):
    client.force_login(accountant)

    page = client.get(reverse("ledger_reports:account_summary"))
    assert 'id="summary-debit">123.00' in page.content.decode()
    rows = _sheet(
        client.get(reverse("ledger_reports:account_summary"), {"level": "2", "format": "xlsx"})
    )

    assert rows[0] == ("Code", "Account", "Level", "Debit", "Credit")
    assert rows[1][:5] == ("1002", "银行存款", 1, 123, 0)
    assert (None, "Total", None, 123, 123) in rows
    assert any(row[1] == "Vouchers: 3, attachments: 0" for row in rows if len(row) > 1)


def test_account_summary_page_says_what_to_correct_when_numbers_have_no_period(
    client, accountant, january
):
    client.force_login(accountant)

    page = client.get(
        reverse("ledger_reports:account_summary"),
        {"date_from": "2026-01-01", "date_to": "2026-01-31", "number_from": "1"},
    )

    html = page.content.decode()
    assert "Voucher numbers start again each month: choose the period." in html
    assert "Export xlsx" not in html


def test_account_summary_page_refuses_a_salesperson(client, make_user, january):
    client.force_login(make_user(Role.SALES))
    assert client.get(reverse("ledger_reports:account_summary")).status_code == 403


# ---------------------------------------------------------------------------- journal


def test_journal_page_lists_lines_with_totals_and_voucher_links(client, accountant, january):
    client.force_login(accountant)

    page = client.get(reverse("ledger_reports:journal"), {"account": "1002"})

    html = page.content.decode()
    link = reverse("ledger:voucher_detail", args=[january[0].pk])
    assert f'<a href="{link}">记-202601-0001</a>' in html
    assert 'id="journal-debit">123.00' in html and 'id="journal-credit">0.00' in html
    assert "Total of 3 lines" in html


def test_journal_page_pages_the_lines_and_keeps_totals_of_all(
    client, accountant, accounts, finance_manager, settings
):
    settings.PAGE_SIZE = 4
    for day in range(1, 4):
        posted_voucher(
            maker=accountant,
            poster=finance_manager,
            lines=cash_sale_lines(accounts, "1.00"),
            on=date(2026, 1, day),
        )
    client.force_login(accountant)

    second = client.get(reverse("ledger_reports:journal"), {"page": "2"}).content.decode()

    assert "5–6 of 6" in second
    assert "记-202601-0003" in second and "记-202601-0001" not in second
    assert 'id="journal-debit">3.00' in second


def test_journal_xlsx_holds_every_line_and_the_totals(client, accountant, january):
    client.force_login(accountant)

    rows = _sheet(
        client.get(reverse("ledger_reports:journal"), {"status": "all", "format": "xlsx"})
    )

    assert rows[0] == (
        "Date",
        "Voucher",
        "Summary",
        "Account code",
        "Account",
        "Customer number",
        "Customer",
        "Debit",
        "Credit",
        "Status",
    )
    assert len(rows) == 1 + 6 + 1
    assert rows[1][1:5] == ("记-202601-0001", "现销5", "1002", "银行存款")
    assert rows[1][7] == 100 and rows[1][9] == "Posted"
    assert rows[-1][2] == "Total of 6 lines" and rows[-1][7:9] == (123, 123)


def test_journal_page_query_count_is_constant_when_more_lines(
    client, accountant, accounts, finance_manager
):
    posted_voucher(
        maker=accountant, poster=finance_manager, lines=cash_sale_lines(accounts, "1.00")
    )
    client.force_login(accountant)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ledger_reports:journal"))
    for _ in range(4):
        posted_voucher(
            maker=accountant, poster=finance_manager, lines=cash_sale_lines(accounts, "1.00")
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("ledger_reports:journal"))
    assert len(many) == len(few)


def test_journal_page_shows_the_filter_error_when_the_status_is_unknown(
    client, accountant, january
):
    client.force_login(accountant)

    page = client.get(reverse("ledger_reports:journal"), {"status": "archived"})

    assert "Correct the filters to see the report." in page.content.decode()
