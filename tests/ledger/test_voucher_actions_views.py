"""Vouchers printed as PDF from their pages, and the voucher list's batch review and post."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
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


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


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


# ---------------------------------------------------------------------------- batch actions


def test_voucher_list_offers_ticks_and_batch_actions(client, accounts, accountant):
    draft = draft_cash_sale(accounts, accountant)
    client.force_login(accountant)

    html = client.get(reverse("ledger:vouchers"), {"status": "draft"}).content.decode()

    assert f'name="ids" value="{draft.pk}"' in html
    assert "data-select-all" in html
    assert 'value="review"' in html and 'value="post"' in html
    assert f"{reverse('ledger:voucher_batch')}?status=draft" in html


def test_batch_review_reviews_the_ticked_vouchers_and_returns_to_the_list(
    client, accounts, accountant, finance_manager
):
    drafts = [draft_cash_sale(accounts, accountant, amount) for amount in ("1.00", "2.00")]
    client.force_login(finance_manager)

    response = client.post(
        f"{reverse('ledger:voucher_batch')}?status=draft",
        {"action": "review", "ids": [v.pk for v in drafts]},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('ledger:vouchers')}?status=draft"
    assert "2 vouchers reviewed." in _messages(response)
    assert {v.status for v in Voucher.objects.all()} == {VoucherStatus.REVIEWED}


def test_batch_post_shows_every_refusal_and_changes_nothing_when_one_is_refused(
    client, accounts, accountant, finance_manager
):
    reviewed = draft_cash_sale(accounts, accountant, "1.00")
    services.voucher_review(actor=finance_manager, voucher=reviewed)
    draft = draft_cash_sale(accounts, accountant, "2.00")
    client.force_login(finance_manager)

    response = client.post(
        reverse("ledger:voucher_batch"), {"action": "post", "ids": [reviewed.pk, draft.pk]}
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "Nothing was posted: these vouchers cannot be posted." in html
    assert f"Draft {draft.pk}</a>: Voucher Draft {draft.pk} is Draft" in html
    assert f'value="{reviewed.pk}" id="voucher-{reviewed.pk}"' in html
    assert "checked" in html
    assert Voucher.objects.get(pk=reviewed.pk).status == VoucherStatus.REVIEWED


def test_batch_review_refuses_the_maker_with_the_list_of_refusals(client, accounts, accountant):
    mine = draft_cash_sale(accounts, accountant)
    client.force_login(accountant)

    response = client.post(reverse("ledger:voucher_batch"), {"action": "review", "ids": [mine.pk]})

    assert response.status_code == 409
    assert "The maker of a voucher cannot review it." in response.content.decode()
    assert Voucher.objects.get(pk=mine.pk).status == VoucherStatus.DRAFT


def test_batch_refuses_a_user_without_the_action_permission(
    client, accounts, accountant, make_user
):
    draft = draft_cash_sale(accounts, accountant)
    viewer = make_user()
    viewer.user_permissions.add(Permission.objects.get(codename="view_voucher"))
    client.force_login(viewer)

    response = client.post(reverse("ledger:voucher_batch"), {"action": "review", "ids": [draft.pk]})

    assert response.status_code == 403
    assert Voucher.objects.get(pk=draft.pk).status == VoucherStatus.DRAFT


def test_batch_says_what_is_wrong_when_nothing_is_ticked_or_an_id_is_unknown(
    client, accounts, accountant, finance_manager
):
    client.force_login(finance_manager)

    nothing = client.post(reverse("ledger:voucher_batch"), {"action": "review"})
    assert "Tick the vouchers to act on first." in _messages(nothing)
    unknown = client.post(reverse("ledger:voucher_batch"), {"action": "review", "ids": ["999999"]})
    assert "No voucher with the id 999999." in _messages(unknown)
    bad = client.post(reverse("ledger:voucher_batch"), {"action": "review", "ids": ["x"]})
    assert "Tick the vouchers to act on first." in _messages(bad)
    assert client.post(reverse("ledger:voucher_batch"), {"action": "burn"}).status_code == 404
    # Following a page link from the refusal page leads back to the list.
    assert client.get(f"{reverse('ledger:voucher_batch')}?page=2")["Location"] == (
        f"{reverse('ledger:vouchers')}?page=2"
    )
