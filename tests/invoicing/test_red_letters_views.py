"""Red-letter pages: the list, entering a form from an invoice, the detail's actions, the
invoice page's section, void and deduction; and the lapse command."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.context_processors import PermWrapper
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from suanpan.invoicing.choices import InvoiceStatus, InvoiceType, RedFormStatus
from suanpan.invoicing.models import Invoice, RedLetterForm
from suanpan.invoicing.services import red_form_create
from suanpan.users.choices import Role
from tests.factories import UserFactory
from tests.invoicing.red_support import blue_invoice
from tests.invoicing.support import invoice_number

pytestmark = pytest.mark.django_db
D = Decimal


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _full_form(blue, actor) -> RedLetterForm:
    return red_form_create(blue_invoice=blue, initiator="0", reason="1", actor=actor)


def test_list_filters_by_status_and_shows_empty_state(
    client: Client, delivery_books, clerk, approver
):
    client.force_login(approver)
    empty = client.get(reverse("invoicing:red_form_list"))
    assert empty.status_code == 200
    assert "No red-letter forms yet" in empty.text
    blue = blue_invoice(clerk=clerk, approver=approver)
    form = _full_form(blue, approver)
    listed = client.get(reverse("invoicing:red_form_list"))
    assert form.number in listed.text and "sp-list" in listed.text
    other = client.get(reverse("invoicing:red_form_list"), {"status": "04"})
    assert form.number not in other.text
    assert "No red-letter form matches" in other.text
    fragment = client.get(
        reverse("invoicing:red_form_list"), {"status": "01"}, HTTP_HX_REQUEST="true"
    )
    assert form.number in fragment.text and "<html" not in fragment.text


def test_create_page_shows_what_is_left_and_enters_a_partial_form(
    client: Client, delivery_books, clerk, approver
):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    line = blue.lines.get()
    client.force_login(approver)
    url = reverse("invoicing:red_form_create") + f"?invoice={blue.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert f"quantity_{line.pk}" in page.text and "1,000.00" in page.text

    response = client.post(
        reverse("invoicing:red_form_create"),
        {
            "invoice": blue.pk,
            "initiator": "0",
            "reason": "4",
            "scope": "partial",
            f"amount_{line.pk}": "113.00",
        },
    )

    form = RedLetterForm.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/red-letters/{form.pk}/")
    assert form.status == RedFormStatus.SELLER_PENDING
    assert (form.net_amount, form.tax_amount) == (D("100.00"), D("13.00"))


def test_create_page_shows_the_refusal_on_the_form(client: Client, delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    line = blue.lines.get()
    client.force_login(approver)
    response = client.post(
        reverse("invoicing:red_form_create"),
        {
            "invoice": blue.pk,
            "initiator": "0",
            "reason": "1",
            "scope": "partial",
            f"quantity_{line.pk}": "11",
        },
    )
    assert response.status_code == 200
    assert "left to reverse" in response.text
    assert not RedLetterForm.objects.exists()


def test_detail_actions_confirm_and_issue(client: Client, delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    form = red_form_create(blue_invoice=blue, initiator="1", reason="1", actor=approver)
    client.force_login(approver)
    detail = client.get(reverse("invoicing:red_form_detail", args=[form.pk]))
    assert detail.status_code == 200
    assert reverse("invoicing:red_form_confirm", args=[form.pk]) in detail.text
    assert "data-confirm" in detail.text

    client.post(reverse("invoicing:red_form_confirm", args=[form.pk]))
    form.refresh_from_db()
    assert form.status == RedFormStatus.CONFIRMED
    refused = client.post(
        reverse("invoicing:red_invoice_issue", args=[form.pk]),
        {"number": "12", "issued_on": "2026-11-12"},
    )
    assert any("20 digits" in m for m in _messages(refused)), _messages(refused)
    client.post(
        reverse("invoicing:red_invoice_issue", args=[form.pk]),
        {"number": invoice_number(), "issued_on": "2026-11-12"},
    )
    form.refresh_from_db()
    assert form.red_invoice is not None
    blue.refresh_from_db()
    assert blue.status == InvoiceStatus.REVERSED
    again = client.get(reverse("invoicing:red_form_detail", args=[form.pk]))
    assert reverse("invoicing:red_invoice_issue", args=[form.pk]) not in again.text


def test_deny_withdraw_and_cancel_buttons(client: Client, delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver)
    form = _full_form(blue, approver)
    client.force_login(approver)
    refused = client.post(reverse("invoicing:red_form_deny", args=[form.pk]))
    assert refused.status_code == 302
    assert any("cannot be done now" in m for m in _messages(refused))
    client.post(reverse("invoicing:red_form_cancel", args=[form.pk]))
    form.refresh_from_db()
    assert form.status == RedFormStatus.VOID_CANCELLED
    assert client.get(reverse("invoicing:red_form_withdraw", args=[form.pk])).status_code == 405


def test_void_and_deducted_from_the_invoice_page(client: Client, delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver)
    client.force_login(approver)
    client.post(reverse("invoicing:invoice_deducted", args=[blue.pk]), {"deducted": "1"})
    blue.refresh_from_db()
    assert blue.deducted
    paper = blue_invoice(clerk=clerk, approver=approver)
    Invoice.objects.filter(pk=paper.pk).update(
        invoice_type=InvoiceType.PAPER_NORMAL, code="3500123456", number="00000002"
    )
    response = client.post(
        reverse("invoicing:invoice_void", args=[paper.pk]),
        {"reason": "抬头错", "on": "2026-11-20", "next": "/invoicing/red-letters/"},
    )
    assert response.status_code == 302 and response.url == "/invoicing/red-letters/"
    paper.refresh_from_db()
    assert paper.status == InvoiceStatus.VOIDED
    unsafe = client.post(
        reverse("invoicing:invoice_void", args=[blue.pk]),
        {"reason": "x", "next": "//evil.example"},
    )
    assert unsafe.url.startswith("/invoicing/")
    assert any("Reverse it in red" in m for m in _messages(unsafe))


def test_invoice_page_section_offers_red_void_and_deduction(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver)
    form = _full_form(blue, approver)
    request = RequestFactory().get("/")
    request.user = approver
    html = render_to_string(
        "invoicing/invoices/detail_extra.html",
        {"invoice": blue, "perms": PermWrapper(approver), "request": request},
    )
    assert form.number in html
    assert reverse("invoicing:red_form_create") in html
    assert reverse("invoicing:invoice_deducted", args=[blue.pk]) in html
    # A digital invoice offers no void.
    assert reverse("invoicing:invoice_void", args=[blue.pk]) not in html


def test_sales_cannot_see_or_act(client: Client, delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver)
    form = _full_form(blue, approver)
    client.force_login(UserFactory(role=Role.SALES))
    assert client.get(reverse("invoicing:red_form_detail", args=[form.pk])).status_code in (
        403,
        404,
    )
    assert client.post(reverse("invoicing:red_form_cancel", args=[form.pk])).status_code in (
        403,
        404,
    )
    form.refresh_from_db()
    assert form.status == RedFormStatus.NOT_NEEDED


def test_expire_command_lapses_pending_forms(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    entered = timezone.now() - timedelta(hours=80)
    form = red_form_create(
        blue_invoice=blue, initiator="0", reason="1", actor=approver, now=entered
    )
    out = StringIO()
    call_command("invoicing", "expire-red-forms", stdout=out)
    assert "1 red-letter form lapsed" in out.getvalue()
    form.refresh_from_db()
    assert form.status == RedFormStatus.VOID_EXPIRED


def test_list_queries_do_not_grow_with_rows(client: Client, delivery_books, clerk, approver):
    client.force_login(approver)
    first = blue_invoice(clerk=clerk, approver=approver)
    _full_form(first, approver)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("invoicing:red_form_list"))
    for _ in range(3):
        _full_form(blue_invoice(clerk=clerk, approver=approver), approver)
    with CaptureQueriesContext(connection) as four:
        response = client.get(reverse("invoicing:red_form_list"))
    assert response.text.count("/invoicing/red-letters/") >= 4
    assert len(four) == len(one)


def test_create_page_enters_a_full_form_for_an_unused_invoice(
    client: Client, delivery_books, clerk, approver
):
    blue = blue_invoice(clerk=clerk, approver=approver)
    client.force_login(approver)
    page = client.get(reverse("invoicing:red_form_create") + f"?invoice={blue.pk}")
    assert 'name="scope"' not in page.text
    response = client.post(
        reverse("invoicing:red_form_create"), {"invoice": blue.pk, "initiator": "0", "reason": "1"}
    )
    assert response.status_code == 302, response.context["form"].errors
    form = RedLetterForm.objects.get()
    assert form.status == RedFormStatus.NOT_NEEDED and form.is_full
