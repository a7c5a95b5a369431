"""Vouchers printed as PDF from their pages: one, the ticked ones, or every one the list's
filters match."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pypdf import PdfReader

from suanpan.ledger.models import Voucher
from suanpan.ledger.services import LineInput
from suanpan.users.choices import Role
from tests.ledger.builders import posted_voucher

pytestmark = pytest.mark.django_db
D = Decimal


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _lines(accounts, amount: str) -> list[LineInput]:
    return [
        LineInput(accounts["1002"], debit=D(amount)),
        LineInput(accounts["6001"], credit=D(amount)),
    ]


@pytest.fixture
def january(accounts, accountant, finance_manager) -> list[Voucher]:
    """Three posted cash sales in January 2026: 100, 20 and 3 yuan."""
    return [
        posted_voucher(
            maker=accountant,
            poster=finance_manager,
            lines=_lines(accounts, amount),
            on=date(2026, 1, day),
            summary=f"现销{day}",
        )
        for day, amount in ((5, "100.00"), (12, "20.00"), (20, "3.00"))
    ]


# ---------------------------------------------------------------------------- printing


def _pdf_pages(response) -> int:
    assert response["Content-Type"] == "application/pdf"
    return len(PdfReader(io.BytesIO(response.content)).pages)


def test_voucher_pdf_prints_one_voucher_in_the_layout_asked(client, accountant, january):
    client.force_login(accountant)

    response = client.get(reverse("ledger:voucher_pdf", args=[january[0].pk]), {"layout": "slip"})

    assert _pdf_pages(response) == 1
    assert "filename*=utf-8''%E8%AE%B0-202601-0001.pdf" in response["Content-Disposition"]


def test_voucher_pdf_refuses_an_unknown_layout_and_voucher(client, accountant, january):
    client.force_login(accountant)

    refused = client.get(reverse("ledger:voucher_pdf", args=[january[0].pk]), {"layout": "a5"})
    assert refused.status_code == 302
    assert "Choose one of the print layouts." in _messages(refused)
    assert client.get(reverse("ledger:voucher_pdf", args=[999999])).status_code == 404


def test_vouchers_pdf_prints_every_voucher_the_list_filters_match(client, accountant, january):
    client.force_login(accountant)

    response = client.get(
        reverse("ledger:vouchers_pdf"), {"date_from": "2026-01-10", "layout": "slip"}
    )

    assert _pdf_pages(response) == 2


def test_vouchers_pdf_prints_the_ticked_vouchers_when_posted_from_the_list(
    client, accountant, january
):
    client.force_login(accountant)

    response = client.post(
        reverse("ledger:vouchers_pdf"),
        {"ids": [january[2].pk, january[0].pk], "layout": "a4-3"},
    )

    assert _pdf_pages(response) == 1
    empty = client.post(reverse("ledger:vouchers_pdf"), {"layout": "a4-2"})
    assert empty.status_code == 302
    assert "No voucher to print: tick some, or change the filters." in _messages(empty)


def test_voucher_pdf_refuses_a_salesperson(client, make_user, january):
    client.force_login(make_user(Role.SALES))

    assert client.get(reverse("ledger:voucher_pdf", args=[january[0].pk])).status_code == 403
    assert client.get(reverse("ledger:vouchers_pdf")).status_code == 403


def test_voucher_detail_offers_the_pdf_layouts(client, accountant, january):
    client.force_login(accountant)

    html = client.get(reverse("ledger:voucher_detail", args=[january[0].pk])).content.decode()

    assert f"{reverse('ledger:voucher_pdf', args=[january[0].pk])}?layout=slip" in html
