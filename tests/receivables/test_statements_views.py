"""Statement pages: the list (search, scoping, empty state), a new statement previewed then
made, its detail with downloads, sending (asked first), marking; the customer's page at the
signed link (no login; tampered 400, expired 410, too many 429; answered once); the customer's
tab with the monthly schedule."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from suanpan.receivables.choices import StatementStatus
from suanpan.receivables.models import Statement, StatementEvent, StatementSchedule
from suanpan.receivables.selectors import statement_token
from suanpan.receivables.services import StatementInput, statement_create, statement_send
from suanpan.receivables.services import statements as statement_services
from tests.receivables.support import invoice

pytestmark = pytest.mark.django_db
JAN = {"start_on": "2026-01-01", "end_on": "2026-01-31"}


def _made(customer, actor) -> Statement:
    return statement_create(
        data=StatementInput(
            customer_id=customer.pk, start_on=date(2026, 1, 1), end_on=date(2026, 1, 31)
        ),
        actor=actor,
    )


def _answer_url(statement: Statement) -> str:
    return reverse("receivables:statement_answer", args=[statement_token(statement)])


def test_new_statement_previews_then_makes_it(client: Client, customer, clerk):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 5))
    client.force_login(clerk)
    url = reverse("receivables:statement_new")
    assert client.get(url).status_code == 200
    preview = client.get(url, {"customer": customer.pk, **JAN, "kind": "statement"})
    assert preview.status_code == 200
    assert "1,130.00" in preview.text and "Make the statement" in preview.text
    assert not Statement.objects.exists()
    made = client.post(url, {"customer": customer.pk, **JAN, "kind": "statement"})
    statement = Statement.objects.get()
    assert made.url == reverse("receivables:statement_detail", args=[statement.pk])
    assert statement.closing_amount == 1130


def test_new_statement_refuses_a_reversed_period_and_makes_nothing(client: Client, customer, clerk):
    client.force_login(clerk)
    page = client.post(
        reverse("receivables:statement_new"),
        {
            "customer": customer.pk,
            "start_on": "2026-02-01",
            "end_on": "2026-01-01",
            "kind": "statement",
        },
    )
    assert page.status_code == 200
    assert "cannot end before it starts" in page.text
    assert not Statement.objects.exists()


def test_detail_downloads_pdf_and_xlsx(client: Client, customer, clerk):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 5))
    statement = _made(customer, clerk)
    client.force_login(clerk)
    page = client.get(reverse("receivables:statement_detail", args=[statement.pk]))
    assert page.status_code == 200 and "data-confirm" in page.text
    pdf = client.get(reverse("receivables:statement_pdf", args=[statement.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("receivables:statement_xlsx", args=[statement.pk]))
    rows = list(
        load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[-1][-1] == 1130


def test_send_and_mark_from_the_detail_page(client: Client, customer, clerk):
    statement = _made(customer, clerk)
    client.force_login(clerk)
    sent = client.post(
        reverse("receivables:statement_send", args=[statement.pk]), {"email": "ap@example.com"}
    )
    assert sent.status_code == 302 and len(mail.outbox) == 1
    assert "http://testserver/receivables/statements/answer/" in mail.outbox[0].body
    refused = client.post(
        reverse("receivables:statement_mark", args=[statement.pk]),
        {"answer": "disputed", "notes": ""},
    )
    assert refused.status_code == 422 and "Say what differs" in refused.text
    client.post(
        reverse("receivables:statement_mark", args=[statement.pk]),
        {"answer": "disputed", "notes": "Invoice 3 is not ours"},
    )
    statement.refresh_from_db()
    assert statement.status == StatementStatus.DISPUTED


def test_send_refuses_a_bad_address(client: Client, customer, clerk):
    statement = _made(customer, clerk)
    client.force_login(clerk)
    page = client.post(
        reverse("receivables:statement_send", args=[statement.pk]), {"email": "nobody"}
    )
    assert page.status_code == 422 and mail.outbox == []


def test_another_salespersons_statement_answers_404_and_the_list_hides_it(
    client: Client, customer, other_customer, seller, clerk
):
    mine, theirs = _made(customer, clerk), _made(other_customer, clerk)
    client.force_login(seller)
    page = client.get(reverse("receivables:statement_list"))
    assert mine.number in page.text and theirs.number not in page.text
    assert client.get(reverse("receivables:statement_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("receivables:statement_pdf", args=[theirs.pk])).status_code == 404
    # A salesperson reads statements but does not send or mark them.
    assert (
        client.post(
            reverse("receivables:statement_send", args=[mine.pk]), {"email": "a@example.com"}
        ).status_code
        == 403
    )


def test_list_searches_and_its_queries_do_not_grow(client: Client, customer, clerk):
    first = _made(customer, clerk)
    client.force_login(clerk)
    url = reverse("receivables:statement_list")
    assert [s.pk for s in client.get(url, {"q": first.number}).context["statements"]] == [first.pk]

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = counted()
    for _ in range(3):
        _made(customer, clerk)
    assert counted() == before


def test_empty_list_invites_a_first_statement(client: Client, receivable_books, clerk):
    client.force_login(clerk)
    page = client.get(reverse("receivables:statement_list"))
    assert reverse("receivables:statement_new") in page.text


def test_customer_answers_on_the_signed_link_without_login_once(client: Client, customer, clerk):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 5))
    statement = statement_send(statement=_made(customer, clerk), email="a@example.com", actor=clerk)
    url = _answer_url(statement)
    page = client.get(url, HTTP_USER_AGENT="Phone browser")
    assert page.status_code == 200
    assert "1,130.00" in page.text and 'lang="zh-hans"' in page.text and "对账单" in page.text
    assert 'lang="en"' in client.get(url, {"lang": "en"}).text
    answered = client.post(url, {"answer": "confirmed", "notes": ""})
    assert answered.status_code == 200 and "谢谢" in answered.text
    again = client.post(url, {"answer": "disputed", "notes": "changed my mind"})
    assert again.status_code == 422
    statement.refresh_from_db()
    assert statement.status == StatementStatus.CONFIRMED and statement.answered_online
    kinds = list(StatementEvent.objects.filter(user__isnull=True).values_list("kind", flat=True))
    assert kinds.count("confirmed") == 1 and kinds.count("viewed") >= 3


def test_the_signed_link_refuses_tampering_expiry_and_floods(
    client: Client, customer, clerk, settings, monkeypatch
):
    statement = statement_send(statement=_made(customer, clerk), email="a@example.com", actor=clerk)
    url = _answer_url(statement)
    assert client.get(url[:-3] + "x/").status_code == 400
    monkeypatch.setattr(statement_services, "RATE_LIMIT", 2)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    throttled = client.post(url, {"answer": "confirmed"})
    assert throttled.status_code == 429
    settings.SUANPAN_STATEMENT_LINK_DAYS = 0
    assert client.get(url).status_code == 410
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SENT


def test_customer_tab_lists_statements_and_switches_the_schedule(client: Client, customer, clerk):
    statement = statement_send(statement=_made(customer, clerk), email="a@example.com", actor=clerk)
    client.get(_answer_url(statement), REMOTE_ADDR="203.0.113.9")
    client.force_login(clerk)
    tab = client.get(reverse("customers:detail", args=[customer.pk]), {"tab": "receivables"})
    assert statement.number in tab.text and "statement_schedule" not in tab.text
    # What was sent and viewed is logged on the customer, with the customer's address.
    assert [e.kind for e in tab.context["rx_statement_events"]] == ["viewed", "sent"]
    assert "203.0.113.9" in tab.text
    assert reverse("receivables:statement_schedule", args=[customer.pk]) in tab.text
    done = client.post(
        reverse("receivables:statement_schedule", args=[customer.pk]),
        {"email": "ap@example.com", "is_active": "on"},
    )
    assert done.status_code == 302
    assert StatementSchedule.objects.get(customer=customer).is_active
    bad = client.post(
        reverse("receivables:statement_schedule", args=[customer.pk]),
        {"email": "", "is_active": "on"},
        follow=True,
    )
    assert any("valid e-mail" in str(m) for m in get_messages(bad.wsgi_request)) or (
        "valid e-mail" in bad.text
    )


def test_customer_tab_history_shows_the_newest_page_first_with_links(
    client: Client, customer, clerk, monkeypatch
):
    from suanpan.receivables import tabs

    monkeypatch.setattr(tabs, "HISTORY_PER_PAGE", 2)
    first = invoice(customer, "113.00", actor=clerk, issued_on=date(2026, 1, 5))
    invoice(customer, "226.00", actor=clerk, issued_on=date(2026, 1, 6))
    invoice(customer, "339.00", actor=clerk, issued_on=date(2026, 1, 7))
    client.force_login(clerk)
    url = reverse("customers:detail", args=[customer.pk])
    latest = client.get(url, {"tab": "receivables"})
    rows = latest.context["rx_history"]
    assert [row["line"].debit_amount for row in rows] == [339]
    assert rows[0]["line"].balance == 678  # the running balance over all three
    assert "hpage=1" in latest.text
    earlier = client.get(url, {"tab": "receivables", "hpage": "1"}).context["rx_history"]
    assert [row["line"].debit_amount for row in earlier] == [113, 226]
    assert earlier[0]["url"] == reverse("invoicing:invoice_detail", args=[first.pk])
