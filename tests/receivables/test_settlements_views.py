"""The 核销 screen (by hand oldest first up to the amounts typed, automatic matching, the
empty state), the settlement list and detail, undoing; who may do what."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import AccountRoleMap
from suanpan.receivables.choices import SettlementKind
from suanpan.receivables.models import Settlement
from suanpan.receivables.services import Pair, settlement_make
from tests.receivables.support import ON, invoice, invoice_item, open_of, receipt_items, received

pytestmark = pytest.mark.django_db
D = Decimal


def _settle_url(customer) -> str:
    return f"{reverse('receivables:settle')}?customer={customer.pk}"


def _settled(customer, clerk, amount: str = "100.00") -> Settlement:
    """A settlement by hand of an invoice with an advance."""
    item = invoice_item(invoice(customer, "500.00", actor=clerk))
    (advance,) = receipt_items(received(customer, amount, actor=clerk))
    return settlement_make(
        customer_id=customer.pk, pairs=[Pair(item.pk, advance.pk, D(amount))], actor=clerk, on=ON
    )


def test_screen_without_customer_offers_the_picker(client: Client, receivable_books, clerk):
    client.force_login(clerk)
    page = client.get(reverse("receivables:settle"))
    assert page.status_code == 200 and "sp-picker" in page.text
    assert "customer" not in page.context


def test_screen_shows_open_debits_and_credits_side_by_side(client: Client, customer, clerk):
    older = invoice_item(invoice(customer, "300.00", actor=clerk))
    (advance,) = receipt_items(received(customer, "120.00", actor=clerk))
    client.force_login(clerk)
    page = client.get(_settle_url(customer))
    assert [d["row"].pk for d in page.context["debits"]] == [older.pk]
    assert [c["row"].pk for c in page.context["credits"]] == [advance.pk]
    # Each amount starts at the item's open amount, positive on both sides.
    assert page.context["credits"][0]["typed"] == D("120.00")
    assert (page.context["debit_total"], page.context["credit_total"]) == (D("300"), D("120"))
    assert f'name="amount-{older.pk}"' in page.text and 'value="settle"' in page.text


def test_screen_says_so_when_nothing_is_open(client: Client, customer, clerk):
    client.force_login(clerk)
    page = client.get(_settle_url(customer))
    assert page.status_code == 200
    assert page.context["debits"] == page.context["credits"] == []
    assert "sp-empty" in page.text and 'value="settle"' not in page.text


def test_settle_selected_pairs_oldest_first_up_to_the_amounts_typed(
    client: Client, customer, clerk
):
    first = invoice_item(invoice(customer, "300.00", actor=clerk, issued_on=ON))
    second = invoice_item(invoice(customer, "200.00", actor=clerk, issued_on=ON))
    (advance,) = receipt_items(received(customer, "400.00", actor=clerk))
    client.force_login(clerk)
    response = client.post(
        _settle_url(customer),
        {
            "action": "settle",
            "settled_on": ON.isoformat(),
            "debit": [first.pk, second.pk],
            "credit": [advance.pk],
            f"amount-{first.pk}": "300.00",
            f"amount-{second.pk}": "200.00",
            f"amount-{advance.pk}": "350.00",
        },
    )
    settlement = Settlement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("receivables:settlement_detail", args=[settlement.pk])
    assert (settlement.kind, settlement.amount) == (SettlementKind.MANUAL, D("350.00"))
    assert (open_of(first), open_of(second), open_of(advance)) == (D(0), D("150.00"), D("-50.00"))


def test_settle_selected_without_a_credit_ticked_is_refused(client: Client, customer, clerk):
    item = invoice_item(invoice(customer, "300.00", actor=clerk))
    (advance,) = receipt_items(received(customer, "100.00", actor=clerk))
    client.force_login(clerk)
    response = client.post(
        _settle_url(customer),
        {
            "action": "settle",
            "settled_on": ON.isoformat(),
            "debit": [item.pk],
            f"amount-{item.pk}": "100.00",
            f"amount-{advance.pk}": "100.00",
        },
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    # What was ticked stays ticked.
    assert response.context["debits"][0]["checked"] is True
    assert not Settlement.objects.exists()


def test_settle_more_than_open_lands_on_the_form(client: Client, customer, clerk):
    item = invoice_item(invoice(customer, "300.00", actor=clerk))
    (advance,) = receipt_items(received(customer, "100.00", actor=clerk))
    client.force_login(clerk)
    response = client.post(
        _settle_url(customer),
        {
            "action": "settle",
            "settled_on": ON.isoformat(),
            "debit": [item.pk],
            "credit": [advance.pk],
            f"amount-{item.pk}": "300.00",
            f"amount-{advance.pk}": "150.00",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Settlement.objects.exists()


def test_automatic_matching_settles_oldest_due_first(client: Client, customer, clerk):
    item = invoice_item(invoice(customer, "300.00", actor=clerk))
    (advance,) = receipt_items(received(customer, "100.00", actor=clerk))
    client.force_login(clerk)
    response = client.post(
        _settle_url(customer),
        {"action": "auto", "rule": "oldest_due", "settled_on": ON.isoformat()},
    )
    settlement = Settlement.objects.get()
    assert response.status_code == 302
    assert (settlement.kind, settlement.amount) == (SettlementKind.AUTOMATIC, D("100.00"))
    assert (open_of(item), open_of(advance)) == (D("200.00"), D(0))


def test_automatic_matching_with_nothing_to_match_says_so(client: Client, customer, clerk):
    invoice_item(invoice(customer, "300.00", actor=clerk))
    client.force_login(clerk)
    response = client.post(
        _settle_url(customer),
        {"action": "auto", "rule": "oldest_due", "settled_on": ON.isoformat()},
    )
    assert response.status_code == 302 and response["Location"] == _settle_url(customer)
    assert [str(m) for m in get_messages(response.wsgi_request)]
    assert not Settlement.objects.exists()


def test_list_detail_and_undo(client: Client, customer, clerk):
    settlement = _settled(customer, clerk)
    client.force_login(clerk)
    listed = client.get(reverse("receivables:settlement_list"))
    assert [s.pk for s in listed.context["settlements"]] == [settlement.pk]
    # The undone filter offers the list's own words, not "Unknown / Yes / No".
    assert '<option value="false">Not undone</option>' in listed.text
    assert (
        client.get(reverse("receivables:settlement_list"), {"undone": "true"}).context[
            "settlements"
        ]
        == []
    )
    detail = client.get(reverse("receivables:settlement_detail", args=[settlement.pk]))
    assert [row["line"].amount for row in detail.context["lines"]] == [D("100.00")]
    # Applying the advance moved it by a transfer voucher, shown with the settlement.
    assert detail.context["transfers"] and len(detail.context["vouchers"]) == 1
    undo_url = reverse("receivables:settlement_undo", args=[settlement.pk])
    assert undo_url in detail.text and "data-confirm" in detail.text
    assert client.get(undo_url).status_code == 405
    response = client.post(undo_url)
    assert response.status_code == 302
    settlement.refresh_from_db()
    assert settlement.undone_on is not None
    again = client.get(reverse("receivables:settlement_detail", args=[settlement.pk]))
    assert undo_url not in again.text
    # Undoing twice is refused with a message, not an error page.
    twice = client.post(undo_url)
    assert twice.status_code == 302 and [str(m) for m in get_messages(twice.wsgi_request)]


def test_list_queries_do_not_grow_with_rows(client: Client, customer, other_customer, clerk):
    _settled(customer, clerk, "10.00")
    client.force_login(clerk)
    url = reverse("receivables:settlement_list")

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = counted()
    _settled(other_customer, clerk, "20.00")
    _settled(customer, clerk, "30.00")
    item = invoice_item(invoice(customer, "50.00", actor=clerk))
    received(customer, "50.00", actor=clerk, allocations=((item, "50.00"),))
    assert Settlement.objects.count() == 4
    assert counted() == before


def test_salesperson_reads_but_cannot_settle_or_undo(
    client: Client, customer, other_customer, clerk, seller
):
    mine = _settled(customer, clerk)
    theirs = _settled(other_customer, clerk)
    client.force_login(seller)
    assert [
        s.pk for s in client.get(reverse("receivables:settlement_list")).context["settlements"]
    ] == [mine.pk]
    detail = client.get(reverse("receivables:settlement_detail", args=[mine.pk]))
    assert detail.status_code == 200
    assert reverse("receivables:settlement_undo", args=[mine.pk]) not in detail.text
    assert client.post(reverse("receivables:settlement_undo", args=[mine.pk])).status_code == 403
    screen = client.get(_settle_url(customer))
    assert screen.status_code == 200
    # They see what is open, read only: no box to tick, no button.
    assert 'name="debit"' in screen.text and 'value="settle"' not in screen.text
    boxes = re.findall(
        r'<input class="form-check-input" type="checkbox" name="debit"[^>]*>', screen.text
    )
    assert boxes and all(" disabled" in box for box in boxes)
    assert (
        client.post(_settle_url(customer), {"action": "auto", "rule": "oldest_due"}).status_code
        == 403
    )
    # Another salesperson's customer answers 404, before any 403.
    assert client.get(reverse("receivables:settlement_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("receivables:settlement_undo", args=[theirs.pk])).status_code == 404
    assert client.get(_settle_url(other_customer)).status_code == 404
    assert (
        client.post(
            _settle_url(other_customer), {"action": "auto", "rule": "oldest_due"}
        ).status_code
        == 404
    )
    mine.refresh_from_db()
    assert mine.undone_on is None and Settlement.objects.count() == 2


def test_screen_and_tab_warn_when_the_books_have_no_receivable_account(
    client: Client, customer, clerk
):
    AccountRoleMap.objects.filter(role=AccountRole.RECEIVABLE).delete()
    client.force_login(clerk)
    page = client.get(_settle_url(customer))
    assert page.status_code == 200 and page.context["sides_error"]
    tab = client.get(reverse("customers:detail", args=[customer.pk]), {"tab": "receivables"})
    assert tab.status_code == 200 and tab.context["rx_error"]
