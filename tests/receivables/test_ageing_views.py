"""The receivables ageing by customer, salesperson and region: the ledger's totals over every
customer, the rows the user sees, xlsx and the API a page at a time, and the reconciliation of
open items with their control accounts (expected: nothing to show)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from suanpan.receivables.selectors.ageing import ageing_grouped, reconciliation
from tests.inventory.deliveries_support import customer_with_dimension
from tests.invoicing.support import TAX_NUMBER
from tests.receivables.support import invoice, received

pytestmark = pytest.mark.django_db
D = Decimal
AS_OF = date(2026, 3, 31)


@pytest.fixture
def owing(customer, clerk, seller, make_user):
    """Two customers of one salesperson in 华东, one of another in 华南; due 30 days on."""
    from suanpan.users.choices import Role

    customer.region = "华东"
    customer.save()
    second = customer_with_dimension(owner=seller, invoice_tax_number=TAX_NUMBER, region="华东")
    other = customer_with_dimension(
        owner=make_user(Role.SALES), invoice_tax_number=TAX_NUMBER, region="华南"
    )
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 2))  # 58 days late
    invoice(second, "500.00", actor=clerk, issued_on=date(2026, 3, 20))  # not yet due
    invoice(other, "200.00", actor=clerk, issued_on=date(2026, 1, 2))
    received(customer, "130.00", actor=clerk, on=date(2026, 1, 5))  # an advance, not settled
    return customer, second, other


def test_groups_add_up_to_the_ledgers_totals(owing, clerk):
    by_customer = ageing_grouped(user=clerk, as_of=AS_OF)
    assert by_customer is not None
    assert by_customer.total == D("1830.00")
    assert sum(row.total for row in by_customer.rows) == by_customer.total
    by_region = ageing_grouped(user=clerk, as_of=AS_OF, group="region")
    assert by_region is not None
    assert {row.label: (row.customers, row.total) for row in by_region.rows} == {
        "华东": (2, D("1630.00")),
        "华南": (1, D("200.00")),
    }
    # Not yet due, then 1–30, 31–60: the first customer's invoice is 58 days late.
    assert by_region.rows[0].amounts[:3] == [D("500.00"), D("0"), D("1130.00")]
    by_salesperson = ageing_grouped(user=clerk, as_of=AS_OF, group="salesperson")
    assert by_salesperson is not None and len(by_salesperson.rows) == 2
    assert reconciliation(as_of=AS_OF).problems == []


def test_a_salesperson_sees_their_rows_and_the_totals_of_all(owing, seller):
    report = ageing_grouped(user=seller, as_of=AS_OF)
    assert report is not None
    assert {row.key for row in report.rows} == {owing[0].number, owing[1].number}
    assert report.hidden == 1
    assert report.total == D("1830.00")


def test_page_xlsx_and_api(owing, clerk, login, api_client):
    client = login(clerk)
    page = client.get(reverse("receivables:ageing"), {"as_of": "2026-03-31", "group": "region"})
    text = page.content.decode()
    assert page.status_code == 200 and "华东" in text and "1,630.00" in text
    # The reconciliation reads the whole control accounts: only when asked for.
    assert "equal the receivable and advance accounts" not in text
    assert "reconcile=1" in text
    checked = client.get(
        reverse("receivables:ageing"), {"as_of": "2026-03-31", "group": "region", "reconcile": "1"}
    )
    assert "equal the receivable and advance accounts" in checked.content.decode()
    xlsx = client.get(
        reverse("receivables:ageing"), {"as_of": "2026-03-31", "group": "region", "format": "xlsx"}
    )
    sheet = load_workbook(__import__("io").BytesIO(b"".join(xlsx.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "Total" and rows[-1][-1] == 1830
    bad = client.get(reverse("receivables:ageing"), {"bounds": "90,30"})
    assert bad.status_code == 200 and "increasing whole numbers" in bad.content.decode()
    api = api_client(clerk)
    answer = api.get("/api/v1/receivables/ageing", {"as_of": "2026-03-31", "page_size": 1})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == 3 and body["pages"] == 3 and len(body["items"]) == 1
    assert body["total"] == "1830.00" and body["reconciliation"] is None
    reconciled = api.get("/api/v1/receivables/ageing", {"as_of": "2026-03-31", "reconcile": True})
    assert reconciled.status_code == 200 and reconciled.json()["reconciliation"] == []
    assert api.get("/api/v1/receivables/ageing", {"page_size": 500}).status_code == 422
    assert api.get("/api/v1/receivables/ageing", {"bounds": "x"}).status_code == 422


def test_salespeople_without_the_books_get_403(owing, seller, login, api_client):
    assert login(seller).get(reverse("receivables:ageing")).status_code == 403
    assert api_client(seller).get("/api/v1/receivables/ageing").status_code == 403


def test_bucket_labels_read_whole_years_as_years():
    from suanpan.receivables.views.ageing import bucket_label

    assert bucket_label(-100_000, 0) == "Not yet due"
    assert bucket_label(31, 60) == "31–60 days"
    assert bucket_label(366, 730) == "1–2 years"
    assert bucket_label(1096, None) == "Over 3 years"
    assert bucket_label(181, None) == "Over 180 days"


def test_a_region_row_drills_down_to_its_customers(owing, clerk, login):
    report = ageing_grouped(user=clerk, as_of=AS_OF, region="华东")
    assert report is not None
    assert {row.key for row in report.rows} == {owing[0].number, owing[1].number}
    assert report.total == D("1830.00")  # the totals stay the account's
    client = login(clerk)
    page = client.get(reverse("receivables:ageing"), {"as_of": "2026-03-31", "group": "region"})
    assert (
        "group=customer" in page.content.decode()
        and "region=%E5%8D%8E%E4%B8%9C" in page.content.decode()
    )
    narrowed = client.get(
        reverse("receivables:ageing"),
        {"as_of": "2026-03-31", "group": "customer", "region": "华南"},
    ).content.decode()
    assert owing[2].name in narrowed and owing[0].name not in narrowed


def test_page_shows_a_page_of_rows_and_the_totals_of_all_when_many(
    owing, clerk, login, monkeypatch
):
    from suanpan.receivables.views import ageing as pages

    monkeypatch.setattr(pages, "ROWS_PER_PAGE", 2)
    client = login(clerk)
    params = {"as_of": "2026-03-31", "group": "customer"}

    first = client.get(reverse("receivables:ageing"), params)
    second = client.get(reverse("receivables:ageing"), {**params, "page": "2"})

    # Largest first: 1,130.00, 500.00 on the first page, 200.00 on the second.
    assert [row.total for row in first.context["page_obj"]] == [D("1130.00"), D("500.00")]
    assert [row.key for row in second.context["page_obj"]] == [owing[2].number]
    for page in (first, second):
        assert page.context["report"].total == D("1830.00")
        assert "1,830.00" in page.content.decode()
    assert "page=2" in first.content.decode()
    # Exporting or drilling down from the second page starts from every row, not the page.
    assert "page=" not in second.context["export_query"]
    assert "page=" not in second.context["drill_query"]


def test_asked_for_the_reconciliation_names_a_customer_whose_items_differ(owing, clerk, login):
    from django.db import connection

    from suanpan.ledger.models import OpenItem

    item = OpenItem.objects.filter(dimension__code=owing[2].number, amount__gt=0).get()
    with connection.cursor() as cursor:  # tampered with behind the services' back
        cursor.execute("UPDATE ledger_openitem SET amount = amount + 100 WHERE id = %s", [item.pk])

    text = (
        login(clerk)
        .get(reverse("receivables:ageing"), {"as_of": "2026-03-31", "reconcile": "1"})
        .content.decode()
    )

    assert "differ from their accounts" in text
    assert f"{item.amount + 1:,.2f}" in text and f"{item.amount:,.2f}" in text
