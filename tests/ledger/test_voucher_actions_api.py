"""Vouchers printed as PDF through the API."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from suanpan.ledger.models import Voucher
from suanpan.ledger.services import LineInput
from suanpan.users.choices import Role
from tests.ledger.builders import posted_voucher

pytestmark = pytest.mark.django_db
D = Decimal
REPORTS = "/api/v1/ledger/reports"
VOUCHERS = "/api/v1/ledger/vouchers"


def _lines(accounts, amount: str) -> list[LineInput]:
    return [
        LineInput(accounts["1002"], debit=D(amount)),
        LineInput(accounts["6001"], credit=D(amount)),
    ]


@pytest.fixture
def january(accounts, accountant, finance_manager) -> list[Voucher]:
    return [
        posted_voucher(
            maker=accountant,
            poster=finance_manager,
            lines=_lines(accounts, amount),
            on=date(2026, 1, day),
        )
        for day, amount in ((5, "100.00"), (12, "20.00"), (20, "3.00"))
    ]


@pytest.fixture
def api(api_client, finance_manager):
    return api_client(finance_manager)


# ---------------------------------------------------------------------------- printing


def test_voucher_pdf_answers_application_pdf(api, january):
    response = api.get(f"{VOUCHERS}/{january[0].pk}/pdf", {"layout": "a4-3"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1


def test_vouchers_pdf_prints_the_ids_given_or_every_voucher_matching(api, january):
    by_id = api.get(f"{VOUCHERS}/pdf", {"ids": [january[0].pk, january[1].pk], "layout": "slip"})
    by_filter = api.get(f"{VOUCHERS}/pdf", {"date_from": "2026-01-10", "layout": "slip"})

    assert len(PdfReader(io.BytesIO(by_id.content)).pages) == 2
    assert len(PdfReader(io.BytesIO(by_filter.content)).pages) == 2


def test_vouchers_pdf_refuses_unknown_ids_layouts_and_empty_ranges(api, january):
    assert api.get(f"{VOUCHERS}/pdf", {"ids": [999999]}).status_code == 404
    assert api.get(f"{VOUCHERS}/pdf", {"layout": "a5"}).status_code == 422
    empty = api.get(f"{VOUCHERS}/pdf", {"date_from": "2026-03-01"})
    assert empty.status_code == 422
    assert "ids" in empty.json()["fields"]
    assert api.get(f"{VOUCHERS}/999999/pdf").status_code == 404


def test_voucher_pdf_refuses_a_salesperson(api_client, make_user, january):
    response = api_client(make_user(Role.SALES)).get(f"{VOUCHERS}/{january[0].pk}/pdf")

    assert response.status_code == 403
