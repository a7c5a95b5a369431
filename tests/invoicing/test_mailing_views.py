"""Mailing pages: the register and its export, the unconfirmed list, a parcel from one invoice
or several, receive and returned, settings, the invoice page's section, and the customer's
confirmation link (good, tampered, expired, already received)."""

from __future__ import annotations

import io
import time
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from suanpan.invoicing.choices import MailingStatus
from suanpan.invoicing.models import InvoiceMailing
from suanpan.invoicing.selectors import settings_get
from suanpan.invoicing.selectors.mailing import TOKEN_SALT, mailing_token
from suanpan.invoicing.services import mailing_create, mailing_receive, settings_update
from suanpan.ledger.models import OpenItem
from suanpan.users.choices import Role
from tests.factories import UserFactory
from tests.invoicing.mailing_support import SENT_ON, issued_invoice, mailed, second_invoice

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def invoice(delivery_books, clerk, approver):
    return issued_invoice(maker=clerk, approver=approver, address="福州市鼓楼区1号")


def test_register_lists_filters_and_exports(client: Client, invoice, clerk, approver):
    other = issued_invoice(maker=clerk, approver=approver, address="厦门市1号")
    mailed(invoice, actor=clerk, tracking_number="SF111")
    mailed(other, actor=clerk, tracking_number="YT222", courier="圆通")
    client.force_login(clerk)
    url = reverse("invoicing:mailing_list")
    page = client.get(url)
    assert page.status_code == 200
    assert "SF111" in page.text and "YT222" in page.text and "sp-list" in page.text
    filtered = client.get(url, {"q": "YT222"})
    assert "YT222" in filtered.text and "SF111" not in filtered.text
    assert client.get(url, {"status": "received"}).context["page_obj"].paginator.count == 0
    export = client.get(url, {"courier": "圆通", "format": "xlsx"})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == other.number and rows[1][5] == "YT222"


def test_empty_register_invites_a_first_parcel(client: Client, db, clerk):
    client.force_login(clerk)
    page = client.get(reverse("invoicing:mailing_list"))
    assert reverse("invoicing:mailing_create") in page.text


def test_salesperson_reads_but_cannot_write(client: Client, invoice, seller):
    client.force_login(seller)
    assert client.get(reverse("invoicing:mailing_list")).status_code == 200
    assert client.get(reverse("invoicing:mailing_create")).status_code == 403
    assert client.get(reverse("invoicing:mailing_settings")).status_code == 403


def test_create_from_one_invoice_with_defaults(client: Client, invoice, clerk):
    client.force_login(clerk)
    url = reverse("invoicing:mailing_create")
    page = client.get(url, {"invoice": invoice.pk})
    assert page.status_code == 200
    assert page.context["form"]["address"].value() == "福州市鼓楼区1号"
    response = client.post(
        url,
        {
            "invoice": [invoice.pk],
            "sent_on": SENT_ON.isoformat(),
            "courier": "顺丰",
            "tracking_number": "SF1",
            "recipient": page.context["form"]["recipient"].value(),
            "address": "福州市鼓楼区1号",
        },
    )
    mailing = InvoiceMailing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("invoicing:mailing_detail", args=[mailing.pk])
    assert (mailing.invoice_id, mailing.tracking_number) == (invoice.pk, "SF1")


def test_choose_several_invoices_of_one_customer(client: Client, invoice, clerk, approver):
    second = second_invoice(invoice, maker=clerk, approver=approver)
    other = issued_invoice(maker=clerk, approver=approver, address="厦门市1号")
    client.force_login(clerk)
    url = reverse("invoicing:mailing_create")
    chooser = client.get(url)
    assert {i.pk for i in chooser.context["page_obj"].object_list} == {
        invoice.pk,
        second.pk,
        other.pk,
    }
    one_customer = client.get(url, {"customer": invoice.customer_id})
    assert {i.pk for i in one_customer.context["page_obj"].object_list} == {invoice.pk, second.pk}
    mixed = client.post(
        url,
        {
            "invoice": [invoice.pk, other.pk],
            "sent_on": SENT_ON.isoformat(),
            "recipient": "张三",
            "address": "福州",
        },
    )
    assert mixed.status_code == 200
    assert "one customer" in mixed.text or "一个客户" in mixed.text
    assert not InvoiceMailing.objects.exists()
    client.post(
        url,
        {
            "invoice": [invoice.pk, second.pk],
            "sent_on": SENT_ON.isoformat(),
            "recipient": "张三",
            "address": "福州",
        },
    )
    assert InvoiceMailing.objects.count() == 2
    # Mailed invoices leave the chooser.
    assert [i.pk for i in client.get(url).context["page_obj"].object_list] == [other.pk]


def test_receive_and_returned_pages(client: Client, invoice, clerk, approver):
    mailing = mailed(invoice, actor=clerk)
    client.force_login(clerk)
    detail = client.get(reverse("invoicing:mailing_detail", args=[mailing.pk]))
    assert "/invoicing/mailing/confirm/" in detail.text
    early = client.post(
        reverse("invoicing:mailing_receive", args=[mailing.pk]),
        {"received_on": (SENT_ON - timedelta(days=2)).isoformat()},
    )
    assert early.status_code == 302 and _messages(early)
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT
    client.post(
        reverse("invoicing:mailing_receive", args=[mailing.pk]), {"received_on": "2026-11-18"}
    )
    mailing.refresh_from_db()
    assert (mailing.status, mailing.received_on) == (MailingStatus.RECEIVED, date(2026, 11, 18))
    second = mailed(second_invoice(invoice, maker=clerk, approver=approver), actor=clerk)
    client.post(reverse("invoicing:mailing_returned", args=[second.pk]), {"notes": "地址不详"})
    second.refresh_from_db()
    assert second.status == MailingStatus.RETURNED
    assert client.get(reverse("invoicing:mailing_receive", args=[second.pk])).status_code == 405


def test_edit_tracking(client: Client, invoice, clerk):
    mailing = mailed(invoice, actor=clerk)
    client.force_login(clerk)
    url = reverse("invoicing:mailing_edit", args=[mailing.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"courier": "EMS", "tracking_number": "E9", "notes": ""})
    mailing.refresh_from_db()
    assert (mailing.courier, mailing.tracking_number) == ("EMS", "E9")


def test_unconfirmed_page(client: Client, invoice, clerk):
    old = mailed(invoice, actor=clerk)
    client.force_login(clerk)
    page = client.get(reverse("invoicing:mailing_unconfirmed"))
    assert [m.pk for m in page.context["page_obj"].object_list] == [old.pk]
    mailing_receive(mailing=old, received_on=SENT_ON, actor=clerk)
    page = client.get(reverse("invoicing:mailing_unconfirmed"))
    assert list(page.context["page_obj"].object_list) == []


def test_settings_page(client: Client, db):
    manager = UserFactory(role=Role.FINANCE_MANAGER)
    client.force_login(manager)
    url = reverse("invoicing:mailing_settings")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"unconfirmed_after_days": "0"})
    assert bad.status_code == 200 and bad.context["form"].errors
    client.post(url, {"due_from_received": "on", "unconfirmed_after_days": "10"})
    assert (settings_get().due_from_received, settings_get().unconfirmed_after_days) == (True, 10)


def test_invoice_section_shows_mailings_and_the_link(invoice, clerk):
    request = RequestFactory().get("/")
    request.user = clerk
    template = Template('{% include "invoicing/invoices/detail_extra.html" %}')

    class Perms:
        class invoicing:
            add_invoicemailing = True

    before = template.render(Context({"invoice": invoice, "request": request, "perms": Perms}))
    assert f"?invoice={invoice.pk}" in before
    mailed(invoice, actor=clerk)
    after = template.render(Context({"invoice": invoice, "request": request, "perms": Perms}))
    assert "/invoicing/mailing/confirm/" in after and "SF1001" in after
    assert f"?invoice={invoice.pk}" not in after


# The customer's confirmation link -----------------------------------------------------------


def test_confirm_link_records_receipt_today_for_the_whole_parcel(
    client: Client, invoice, clerk, approver
):
    settings_update(
        due_from_received=True,
        unconfirmed_after_days=7,
        actor=UserFactory(role=Role.FINANCE_MANAGER),
    )
    second = second_invoice(invoice, maker=clerk, approver=approver)
    first, other = mailing_create(
        invoice_ids=[invoice.pk, second.pk], sent_on=SENT_ON, tracking_number="SF5", actor=clerk
    )
    url = reverse("invoicing:mailing_confirm", args=[mailing_token(first)])
    page = client.get(url)  # not logged in
    assert page.status_code == 200
    assert invoice.number in page.text and second.number in page.text
    assert "1,130.00" in page.text
    done = client.post(url)
    assert done.status_code == 200
    today = timezone.localdate()
    for mailing in (first, other):
        mailing.refresh_from_db()
        assert mailing.status == MailingStatus.RECEIVED
        assert mailing.received_on == today
        assert mailing.confirmed_by_customer is True
        assert mailing.history.latest().history_user == clerk
    item = OpenItem.objects.get(source_type="invoicing.invoice", source_id=str(invoice.pk))
    assert item.due_on == today + timedelta(days=invoice.customer.payment_terms_days)
    # Opened again: already received, nothing more to press, nothing written.
    again = client.post(url)
    assert again.status_code == 200
    assert 'type="submit"' not in again.text and "<button" not in again.text


def test_tampered_link_is_refused_and_writes_nothing(client: Client, invoice, clerk):
    mailing = mailed(invoice, actor=clerk)
    token = mailing_token(mailing)
    bad = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for response in (
        client.get(reverse("invoicing:mailing_confirm", args=[bad])),
        client.post(reverse("invoicing:mailing_confirm", args=[bad])),
        client.post(reverse("invoicing:mailing_confirm", args=["nonsense"])),
    ):
        assert response.status_code == 400
        assert invoice.number not in response.text
    forged = signing.dumps({"m": mailing.pk}, salt="another purpose")
    assert client.post(reverse("invoicing:mailing_confirm", args=[forged])).status_code == 400
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT


def test_expired_link_is_refused(client: Client, invoice, clerk, monkeypatch):
    mailing = mailed(invoice, actor=clerk)
    past = time.time() - 61 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: past)
    token = mailing_token(mailing)
    monkeypatch.undo()
    url = reverse("invoicing:mailing_confirm", args=[token])
    assert client.get(url).status_code == 410
    assert client.post(url).status_code == 410
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT
    fresh = signing.loads(mailing_token(mailing), salt=TOKEN_SALT)
    assert fresh == {"m": mailing.pk}


def test_link_of_a_mailing_received_already_changes_nothing(client: Client, invoice, clerk):
    mailing = mailed(invoice, actor=clerk)
    mailing_receive(mailing=mailing, received_on=SENT_ON + timedelta(days=1), actor=clerk)
    url = reverse("invoicing:mailing_confirm", args=[mailing_token(mailing)])
    page = client.post(url)
    assert page.status_code == 200
    mailing.refresh_from_db()
    assert mailing.received_on == SENT_ON + timedelta(days=1)
    assert mailing.confirmed_by_customer is False


def test_register_and_unconfirmed_pages_read_a_fixed_number_of_queries(
    client: Client, invoice, clerk, approver
):
    mailed(invoice, actor=clerk)
    client.force_login(clerk)

    def counted(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [reverse("invoicing:mailing_list"), reverse("invoicing:mailing_unconfirmed")]
    before = [counted(url) for url in urls]
    for _ in range(3):
        other = issued_invoice(maker=clerk, approver=approver, address="厦门市1号")
        mailed(other, actor=clerk)
    assert [counted(url) for url in urls] == before
