"""Vouchers through the API: printed as PDF, and reviewed and posted in batches with their
refusals."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from suanpan.ledger import services
from suanpan.ledger.choices import VoucherStatus
from suanpan.ledger.models import Voucher
from suanpan.users.choices import Role
from tests.ledger.builders import (
    draft_cash_sale,
)

pytestmark = pytest.mark.django_db
D = Decimal
REPORTS = "/api/v1/ledger/reports"
VOUCHERS = "/api/v1/ledger/vouchers"


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


# ---------------------------------------------------------------------------- batch actions


def test_batch_review_and_post_answer_the_vouchers_changed(api, accounts, accountant):
    drafts = [draft_cash_sale(accounts, accountant, amount) for amount in ("1.00", "2.00")]
    ids = [v.pk for v in drafts]

    reviewed = api.post(f"{VOUCHERS}/batch-review", {"ids": ids}, content_type="application/json")
    posted = api.post(f"{VOUCHERS}/batch-post", {"ids": ids}, content_type="application/json")

    assert [v["status"] for v in reviewed.json()] == ["reviewed", "reviewed"]
    assert [(v["number"], v["amount"]) for v in posted.json()] == [
        ("记-202601-0001", "1.00"),
        ("记-202601-0002", "2.00"),
    ]


def test_batch_post_answers_409_naming_each_refusal_and_changes_nothing(
    api, accounts, accountant, finance_manager
):
    reviewed = draft_cash_sale(accounts, accountant, "1.00")
    services.voucher_review(actor=finance_manager, voucher=reviewed)
    draft = draft_cash_sale(accounts, accountant, "2.00")

    response = api.post(
        f"{VOUCHERS}/batch-post",
        {"ids": [reviewed.pk, draft.pk]},
        content_type="application/json",
    )

    body = response.json()
    assert response.status_code == 409
    assert body["code"] == "voucher_batch_refused"
    assert list(body["fields"]) == ["ids.1"]
    assert body["fields"]["ids.1"][0].startswith(f"Draft {draft.pk}: ")
    assert Voucher.objects.get(pk=reviewed.pk).status == VoucherStatus.REVIEWED


def test_batch_refuses_empty_selections_and_users_without_the_permission(
    api, api_client, accounts, accountant, make_user
):
    draft = draft_cash_sale(accounts, accountant)

    empty = api.post(f"{VOUCHERS}/batch-review", {"ids": []}, content_type="application/json")
    sales = api_client(make_user(Role.SALES)).post(
        f"{VOUCHERS}/batch-review", {"ids": [draft.pk]}, content_type="application/json"
    )

    assert empty.status_code == 422
    assert sales.status_code == 403
    assert Voucher.objects.get(pk=draft.pk).status == VoucherStatus.DRAFT
