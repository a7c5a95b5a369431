"""Vouchers and postings refuse dates outside the window (core.dates): a voucher dated
9999-12-31 was accepted and posted before; now the service names the field, the API answers
422 and the page shows the message next to the date."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from suanpan.core.errors import DateOutOfRange
from suanpan.ledger import services
from suanpan.ledger.models import Period, Voucher
from suanpan.ledger.services import LineInput
from tests.ledger.builders import invoice_event

pytestmark = pytest.mark.django_db
D = Decimal
FAR = date(9999, 12, 31)


def _lines(accounts, *, due_on: date | None = None) -> list[LineInput]:
    return [
        LineInput(accounts["1002"], debit=D("10")),
        LineInput(accounts["6001"], credit=D("10"), due_on=due_on),
    ]


@pytest.mark.parametrize("on", [FAR, timezone.localdate() + timedelta(days=367)])
def test_voucher_create_refuses_a_date_too_far_ahead(accounts, accountant, on):
    with pytest.raises(DateOutOfRange) as caught:
        services.voucher_create(actor=accountant, date=on, summary="测试", lines=_lines(accounts))
    assert list(caught.value.fields) == ["date"]
    assert not Voucher.objects.exists() and not Period.objects.filter(year=on.year).exists()


def test_voucher_create_refuses_a_date_before_the_books_begin(accounts, accountant):
    with pytest.raises(DateOutOfRange) as caught:
        services.voucher_create(
            actor=accountant, date=date(1, 1, 1), summary="测试", lines=_lines(accounts)
        )
    assert "2026-01-01" in caught.value.fields["date"][0]


def test_voucher_lines_due_date_may_lie_years_ahead_but_not_in_9999(accounts, accountant):
    later = timezone.localdate() + timedelta(days=3 * 365)
    voucher = services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 10),
        summary="测试",
        lines=_lines(accounts, due_on=later),
    )
    with pytest.raises(DateOutOfRange) as caught:
        services.voucher_update(
            actor=accountant,
            voucher=voucher,
            date=date(2026, 1, 10),
            summary="测试",
            lines=_lines(accounts, due_on=FAR),
        )
    assert list(caught.value.fields) == ["lines.1.due_on"]


def test_voucher_reverse_refuses_a_red_voucher_in_9999(accounts, accountant, finance_manager):
    voucher = services.voucher_create(
        actor=accountant, date=date(2026, 1, 10), summary="测试", lines=_lines(accounts)
    )
    services.voucher_review(actor=finance_manager, voucher=voucher)
    services.voucher_post(actor=finance_manager, voucher=voucher)
    with pytest.raises(DateOutOfRange):
        services.voucher_reverse(actor=finance_manager, voucher=voucher, on=FAR)
    assert Voucher.objects.count() == 1


def test_posting_post_refuses_an_event_dated_in_9999(accounts, customer_dim, accountant):
    with pytest.raises(DateOutOfRange):
        services.posting_post(
            event=invoice_event("F9", "113.00", on=FAR, due=FAR), actor=accountant
        )
    assert not Voucher.objects.exists()


def test_voucher_api_answers_422_naming_the_date(api_client, accounts, accountant):
    body = {
        "date": "9999-12-31",
        "summary": "测试",
        "lines": [{"account": "1002", "debit": "10.00"}, {"account": "6001", "credit": "10.00"}],
    }
    response = api_client(accountant).post(
        "/api/v1/ledger/vouchers", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "date_out_of_range"
    assert list(data["fields"]) == ["date"]


def test_voucher_page_shows_the_message_next_to_the_date(client: Client, accounts, accountant):
    client.force_login(accountant)
    response = client.post(
        "/ledger/vouchers/new/",
        {
            "date": "9999-12-31",
            "word": "记",
            "summary": "测试",
            "attachments": "0",
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "200",
            "lines-0-account": "1002",
            "lines-0-debit": "10",
            "lines-1-account": "6001",
            "lines-1-credit": "10",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"][0].startswith("Enter a date on or before")
    assert not Voucher.objects.exists()


@pytest.mark.parametrize("first_period", [date(1, 1, 1), date(9999, 12, 1)])
def test_company_setup_refuses_books_beginning_at_the_calendar_ends(finance_manager, first_period):
    from suanpan.ledger.models import Company

    with pytest.raises(DateOutOfRange) as caught:
        services.company_setup(
            actor=finance_manager, name="测试公司", standard="cas", first_period=first_period
        )
    assert list(caught.value.fields) == ["first_period"]
    assert not Company.objects.exists()


def test_open_item_match_and_undo_refuse_year_9999(accounts, customer_dim, accountant):
    from suanpan.ledger.models import OpenItem, OpenItemMatch
    from tests.ledger.builders import receipt_event

    services.posting_post(event=invoice_event("F1", "113.00"), actor=accountant)
    services.posting_post(event=receipt_event("R1", "100.00"), actor=accountant)
    debit, credit = OpenItem.objects.get(amount__gt=0), OpenItem.objects.get(amount__lt=0)
    with pytest.raises(DateOutOfRange):
        services.open_item_match(
            actor=accountant, debit_item=debit, credit_item=credit, amount=D("10"), on=FAR
        )
    assert not OpenItemMatch.objects.exists()
    match = services.open_item_match(
        actor=accountant, debit_item=debit, credit_item=credit, amount=D("10")
    )
    with pytest.raises(DateOutOfRange):
        services.open_item_unmatch(actor=accountant, match=match, on=FAR)
