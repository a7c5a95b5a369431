import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from suanpan.ledger import services
from suanpan.ledger.models import Company, OpenItem
from suanpan.users.choices import Role
from tests.ledger.builders import invoice_event, receipt_event

pytestmark = pytest.mark.django_db
D = Decimal

PAGES = [
    ("trial_balance", {}),
    ("general_ledger", {"account": "1122"}),
    ("account_detail", {"account": "1122", "date_from": "2026-01-01", "date_to": "2026-01-31"}),
    ("customer_balances", {"account": "1122.01"}),
    ("open_items", {"account": "1122.01", "customer": "KH-000001", "as_of": "2026-01-31"}),
    ("ageing", {"account": "1122.01", "as_of": "2026-03-31", "bounds": "30,60"}),
    ("drilldown", {"account": "1122", "period_from": "202601", "period_to": "202601"}),
]


@pytest.fixture
def posted(accounts, customer_dim, accountant):
    for event in (invoice_event("F1", "113.00"), receipt_event("R1", "100.00")):
        services.posting_post(event=event, actor=accountant)


def _sheet(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.parametrize(("name", "params"), PAGES)
def test_report_page_refuses_when_user_lacks_permission(client, make_user, posted, name, params):
    client.force_login(make_user(Role.SALES))
    assert client.get(reverse(f"ledger_reports:{name}"), params).status_code == 403


@pytest.mark.parametrize(("name", "params"), PAGES)
def test_report_page_renders_and_exports_xlsx_when_books_have_postings(
    client, accountant, posted, name, params
):
    client.force_login(accountant)
    page = client.get(reverse(f"ledger_reports:{name}"), params)
    assert page.status_code == 200
    assert "Export xlsx" in page.content.decode()
    export = client.get(reverse(f"ledger_reports:{name}"), {**params, "format": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(_sheet(export)) >= 2


@pytest.mark.parametrize(("name", "params"), PAGES)
def test_report_page_shows_set_up_message_when_books_missing(client, finance_manager, name, params):
    client.force_login(finance_manager)
    page = client.get(reverse(f"ledger_reports:{name}"), params)
    assert page.status_code == 200
    assert "not set up" in page.content.decode()


def test_report_page_shows_empty_state_when_nothing_posted(client, accountant, books):
    client.force_login(accountant)
    page = client.get(reverse("ledger_reports:trial_balance"))
    assert "Nothing is posted yet" in page.content.decode()


def test_trial_balance_page_links_cells_to_vouchers_when_rendered(client, accountant, posted):
    client.force_login(accountant)
    page = client.get(reverse("ledger_reports:trial_balance"), {"level": "1"})
    html = page.content.decode()
    assert f"{reverse('ledger_reports:drilldown')}?account=1122&amp;period_from=202601" in html
    assert "1122.01" not in html
    drill = client.get(
        reverse("ledger_reports:drilldown"),
        {"account": "1122", "period_from": "202601", "period_to": "202601"},
    )
    assert "转-202601-0001" in drill.content.decode()
    assert "收-202601-0001" in drill.content.decode()


def test_trial_balance_export_matches_page_when_downloaded(client, accountant, posted):
    client.force_login(accountant)
    rows = _sheet(client.get(reverse("ledger_reports:trial_balance"), {"format": "xlsx"}))
    assert rows[0][:2] == ("Code", "Account")
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["1122.01"][6] == 13  # closing debit
    assert rows[-1][1] == "Total"
    assert rows[-1][6] == rows[-1][7]  # closing debit equals closing credit


def test_account_detail_page_shows_running_balance_when_lines_posted(client, accountant, posted):
    client.force_login(accountant)
    page = client.get(
        reverse("ledger_reports:account_detail"),
        {"account": "1122.01", "date_from": "2026-01-01", "date_to": "2026-01-31"},
    )
    html = page.content.decode()
    assert "113.00" in html and "13.00" in html
    rows = _sheet(
        client.get(
            reverse("ledger_reports:account_detail"),
            {
                "account": "1122.01",
                "date_from": "2026-01-01",
                "date_to": "2026-01-31",
                "format": "xlsx",
            },
        )
    )
    # Opening, the two lines, January's 本月合计 and 本年累计, the range's total.
    assert [row[7] for row in rows[1:]] == [0, 113, 13, 13, 13, 13]
    assert [row[2] for row in rows[4:6]] == ["Month total", "Year to date"]


def test_ageing_page_refuses_bad_bounds_when_not_increasing(client, accountant, posted):
    client.force_login(accountant)
    page = client.get(reverse("ledger_reports:ageing"), {"bounds": "90,30"})
    assert "increasing whole numbers of days" in page.content.decode()
    assert "Export xlsx" not in page.content.decode()


def test_item_history_page_shows_matches_when_item_matched(client, accountant, posted):
    invoice = OpenItem.objects.get(amount__gt=0)
    receipt = OpenItem.objects.get(amount__lt=0)
    services.open_item_match(
        actor=accountant, debit_item=invoice, credit_item=receipt, amount=D("100")
    )
    client.force_login(accountant)
    page = client.get(reverse("ledger_reports:item_history", args=[invoice.pk]))
    html = page.content.decode()
    assert "收-202601-0001" in html
    assert "13.00" in html
    export = _sheet(
        client.get(reverse("ledger_reports:item_history", args=[invoice.pk]), {"format": "xlsx"})
    )
    assert export[1][1] == "收-202601-0001"
    assert client.get(reverse("ledger_reports:item_history", args=[999999])).status_code == 404


@pytest.mark.parametrize(("name", "params"), PAGES)
def test_report_page_query_count_is_constant_when_postings_grow(
    client, accountant, posted, name, params
):
    client.force_login(accountant)
    url = reverse(f"ledger_reports:{name}")
    client.get(url, params)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        client.get(url, params)
    for index in range(2, 8):
        services.posting_post(
            event=invoice_event(f"G{index}", "10.00", on=date(2026, 1, index)), actor=accountant
        )
        services.posting_post(
            event=receipt_event(f"S{index}", "1.00", on=date(2026, 1, index)), actor=accountant
        )
    with CaptureQueriesContext(connection) as large:
        client.get(url, params)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_report_index_lists_reports_when_allowed(client, accountant, books):
    client.force_login(accountant)
    page = client.get(reverse("ledger_reports:index"))
    assert reverse("ledger_reports:ageing") in page.content.decode()
    assert isinstance(books, Company)


def test_ageing_page_shows_one_page_of_customers_and_totals_of_all_when_many_are_open(
    client, accountant, posted, monkeypatch
):
    from suanpan.ledger.views import open_items as pages

    monkeypatch.setattr(pages, "AGEING_PER_PAGE", 1)
    services.dimension_upsert(kind="customer", code="KH-000002", name="第二个客户")
    services.posting_post(
        event=invoice_event("F2", "226.00", customer="KH-000002"), actor=accountant
    )
    client.force_login(accountant)
    params = {"account": "1122.01", "as_of": "2026-03-31", "bounds": "30,60"}

    first = client.get(reverse("ledger_reports:ageing"), params)
    second = client.get(reverse("ledger_reports:ageing"), {**params, "page": "2"})

    past_the_end = client.get(reverse("ledger_reports:ageing"), {**params, "page": "9"})

    assert [r.code for r in first.context["page_obj"]] == ["KH-000001"]
    assert [r.code for r in second.context["page_obj"]] == ["KH-000002"]
    assert first.context["report"].total == Decimal("239.00")  # 13.00 + 226.00, both pages
    assert second.context["report"].total == Decimal("239.00")
    assert "2 customers" in first.content.decode()
    # Past the last page, the last page, as every numbered list answers.
    assert [r.code for r in past_the_end.context["page_obj"]] == ["KH-000002"]
    assert past_the_end.context["page_obj"].number == 2


@pytest.mark.parametrize(("name", "params"), PAGES)
def test_report_table_headers_say_what_they_head_when_rendered(
    client, accountant, posted, name, params
):
    # Screen readers announce a cell with its column (and, where there is one, its row) header.
    client.force_login(accountant)
    html = client.get(reverse(f"ledger_reports:{name}"), params).content.decode()

    headers = re.findall(r"<th\b[^>]*>", html)
    assert headers
    assert [h for h in headers if "scope=" not in h] == []


@pytest.fixture
def two_customers(posted, accountant):
    services.dimension_upsert(kind="customer", code="KH-000002", name="上海星辰贸易有限公司")
    services.posting_post(
        event=invoice_event("F2", "226.00", customer="KH-000002"), actor=accountant
    )


@pytest.mark.parametrize("typed", ["shxc", "shanghaixingchen", "上海星辰", "KH-000002"])
def test_account_detail_filters_by_a_customer_typed_as_number_name_or_pinyin(
    client, accountant, two_customers, typed
):
    client.force_login(accountant)
    page = client.get(
        reverse("ledger_reports:account_detail"),
        {"account": "1122", "date_from": "2026-01-01", "date_to": "2026-01-31", "customer": typed},
    )

    lines = page.context["page_obj"].object_list
    assert [line.dimension_name for line in lines] == ["上海星辰贸易有限公司"]
    assert lines[0].debit_amount == D("226.00")
    assert 'data-lookup="/ledger/vouchers/customers/"' in page.content.decode()


def test_account_detail_names_the_candidates_when_the_typed_customer_fits_several(
    client, accountant, two_customers
):
    client.force_login(accountant)
    page = client.get(
        reverse("ledger_reports:account_detail"),
        {
            "account": "1122",
            "date_from": "2026-01-01",
            "date_to": "2026-01-31",
            "customer": "有限公司",
        },
    )

    html = page.content.decode()
    assert "Several match (KH-000001 北京小米科技有限公司, KH-000002 上海星辰贸易有限公司)" in html
    assert "Correct the filters" in html
