"""Bad-debt pages: the provision run (preview, posting, the 小企业会计准则 note), the matrix
editor, individual provisions, write-offs (new, detail, approval only by another user with the
right, cancel, recovery); who may do what; empty states."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from suanpan.receivables.choices import WriteOffStatus
from suanpan.receivables.models import IndividualProvision, ProvisionRate, ProvisionRun, WriteOff
from suanpan.receivables.services import RateInput, provision_rates_save
from tests.receivables.bad_debt_support import written_off
from tests.receivables.support import invoice, invoice_item, open_of

pytestmark = pytest.mark.django_db
D = Decimal


def test_provision_page_previews_and_posts_the_difference(
    client: Client, cas_books, customer, clerk, approver
):
    invoice(customer, "1130.00", actor=clerk)
    provision_rates_save(rates=[RateInput(bucket=0, rate=D("0.05"))], actor=approver)
    client.force_login(clerk)
    empty = client.get(reverse("receivables:provision"))
    assert empty.status_code == 200 and "No provision posted yet" in empty.text
    paged = client.get(reverse("receivables:provision"), {"page": "1"})
    assert not paged.context["form"].is_bound
    page = client.get(reverse("receivables:provision"), {"period": "2026-01"})
    assert page.context["preview"].change == D("56.50")
    assert "data-confirm" in page.text and "56.50" in page.text
    posted = client.post(reverse("receivables:provision"), {"period": "2026-01"})
    assert posted.status_code == 302
    assert ProvisionRun.objects.get().change_amount == D("56.50")
    again = client.get(reverse("receivables:provision"), {"period": "2026-01"})
    assert "nothing to post" in again.text


def test_provision_page_refuses_a_bad_period(client: Client, cas_books, clerk):
    client.force_login(clerk)
    page = client.get(reverse("receivables:provision"), {"period": "2026-13"})
    assert page.status_code == 200 and "preview" not in page.context
    assert page.context["form"].errors


def test_provision_page_explains_direct_write_off_when_small_enterprise(
    client: Client, small_books, clerk
):
    client.force_login(clerk)
    page = client.get(reverse("receivables:provision"), {"period": "2026-01"})
    assert "小企业会计准则" in page.text and "preview" not in page.context


def test_seller_cannot_open_or_post_the_provision(client: Client, cas_books, seller):
    client.force_login(seller)
    assert client.get(reverse("receivables:provision")).status_code == 403
    assert client.post(reverse("receivables:provision"), {"period": "2026-01"}).status_code == 403


def test_matrix_editor_saves_rates_and_clears_a_grade(client: Client, cas_books, approver, clerk):
    client.force_login(approver)
    data = {f"rate-all-{b}": rate for b, rate in enumerate(["0.05", "0.1", "0.25", "0.75", "1"])}
    data["rate-D-0"] = "0.2"
    saved = client.post(reverse("receivables:provision_matrix"), data)
    assert saved.status_code == 302
    assert ProvisionRate.objects.count() == 6
    data.pop("rate-D-0")
    client.post(reverse("receivables:provision_matrix"), data)
    assert not ProvisionRate.objects.filter(grade="D").exists()
    bad = client.post(reverse("receivables:provision_matrix"), {**data, "rate-all-0": "1.5"})
    assert bad.status_code == 200 and bad.context["form"].errors
    client.force_login(clerk)
    assert client.get(reverse("receivables:provision_matrix")).status_code == 200
    assert client.post(reverse("receivables:provision_matrix"), data).status_code == 403


def test_individual_provision_is_added_listed_and_edited(
    client: Client, cas_books, customer, other_customer, approver
):
    client.force_login(approver)
    empty = client.get(reverse("receivables:individual_list"))
    assert "No customer is provided for individually" in empty.text
    made = client.post(
        reverse("receivables:individual_create"),
        {"customer": customer.pk, "amount": "500.00", "reason": "涉诉", "is_active": "on"},
    )
    assert made.status_code == 302, made.context and made.context["form"].errors
    provision = IndividualProvision.objects.get()
    listed = client.get(reverse("receivables:individual_list"), {"q": "涉诉"})
    assert customer.name in listed.text
    both = client.post(
        reverse("receivables:individual_edit", args=[provision.pk]),
        {"customer": customer.pk, "amount": "1.00", "rate": "0.5", "reason": "x"},
    )
    assert both.status_code == 200 and both.context["form"].errors
    edited = client.post(
        reverse("receivables:individual_edit", args=[provision.pk]),
        {"customer": other_customer.pk, "amount": "800.00", "reason": "涉诉"},
    )
    assert edited.status_code == 302
    provision.refresh_from_db()
    # The customer stays; the provision is switched off when "active" is left unticked.
    assert (provision.customer_id, provision.amount, provision.is_active) == (
        customer.pk,
        D("800.00"),
        False,
    )
    assert IndividualProvision.objects.count() == 1


def test_write_off_new_detail_and_approval_by_another_user(
    client: Client, cas_books, customer, clerk, approver
):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    client.force_login(clerk)
    picker = client.get(reverse("receivables:writeoff_create"))
    assert picker.status_code == 200 and "customer" not in picker.context
    url = f"{reverse('receivables:writeoff_create')}?customer={customer.pk}"
    form = client.get(url)
    assert f'name="amount-{item.pk}"' in form.text
    made = client.post(
        url,
        {
            "item": [str(item.pk)],
            f"amount-{item.pk}": "1130.00",
            "written_off_on": "2026-01-10",
            "reason": "客户破产",
        },
    )
    assert made.status_code == 302
    writeoff = WriteOff.objects.get()
    detail = client.get(reverse("receivables:writeoff_detail", args=[writeoff.pk]))
    assert not detail.context["can_approve"] and "Approve and post" not in detail.text
    assert (
        client.post(reverse("receivables:writeoff_approve", args=[writeoff.pk])).status_code == 403
    )
    client.force_login(approver)
    detail = client.get(reverse("receivables:writeoff_detail", args=[writeoff.pk]))
    assert detail.context["can_approve"] and "Approve and post" in detail.text
    approved = client.post(reverse("receivables:writeoff_approve", args=[writeoff.pk]))
    assert approved.status_code == 302
    writeoff.refresh_from_db()
    assert writeoff.status == WriteOffStatus.POSTED and open_of(item) == 0
    listed = client.get(reverse("receivables:writeoff_list"), {"status": "posted"})
    assert writeoff.number in listed.text


def test_write_off_form_refuses_nothing_ticked_or_bad_amounts(
    client: Client, cas_books, customer, clerk
):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    client.force_login(clerk)
    url = f"{reverse('receivables:writeoff_create')}?customer={customer.pk}"
    for extra in ({}, {"item": [str(item.pk)], f"amount-{item.pk}": "1.005"}):
        page = client.post(url, {"written_off_on": "2026-01-10", "reason": "x", **extra})
        assert page.status_code == 200 and page.context["form"].errors
    over = client.post(
        url,
        {
            "item": [str(item.pk)],
            f"amount-{item.pk}": "2000.00",
            "written_off_on": "2026-01-10",
            "reason": "x",
        },
    )
    assert over.status_code == 200 and over.context["form"].non_field_errors()
    assert not WriteOff.objects.exists()


def test_recovery_form_records_and_refuses_over_recovery(
    client: Client, cas_books, customer, clerk, approver
):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1130.00"),), maker=clerk, approver=approver)
    client.force_login(clerk)
    url = reverse("receivables:writeoff_recover", args=[writeoff.pk])
    over = client.post(url, {"amount": "1130.01", "recovered_on": "2026-01-12"})
    assert over.status_code == 422
    done = client.post(url, {"amount": "100.00", "recovered_on": "2026-01-12"})
    assert done.status_code == 302
    writeoff.refresh_from_db()
    assert writeoff.recovered_amount == D("100.00")


def test_cancel_a_draft_write_off(client: Client, cas_books, customer, clerk):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1130.00"),), maker=clerk)
    client.force_login(clerk)
    client.post(reverse("receivables:writeoff_cancel", args=[writeoff.pk]))
    writeoff.refresh_from_db()
    assert writeoff.status == WriteOffStatus.CANCELLED


def test_another_salespersons_write_off_answers_404(
    client: Client, cas_books, other_customer, clerk, seller
):
    from django.contrib.auth.models import Permission

    item = invoice_item(invoice(other_customer, "1130.00", actor=clerk))
    writeoff = written_off(other_customer, ((item, "1.00"),), maker=clerk)
    seller.user_permissions.add(Permission.objects.get(codename="view_writeoff"))
    client.force_login(seller)
    assert client.get(reverse("receivables:writeoff_detail", args=[writeoff.pk])).status_code == 404
    assert (
        client.post(reverse("receivables:writeoff_approve", args=[writeoff.pk])).status_code == 404
    )


def test_write_off_list_is_empty_then_lists_in_few_queries(
    client: Client, cas_books, customer, clerk, django_assert_max_num_queries
):
    client.force_login(clerk)
    empty = client.get(reverse("receivables:writeoff_list"))
    assert "No write-offs yet" in empty.text
    for _ in range(3):
        item = invoice_item(invoice(customer, "100.00", actor=clerk))
        written_off(customer, ((item, "100.00"),), maker=clerk)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("receivables:writeoff_list"))
    assert len(page.context["writeoffs"]) == 3


def test_write_off_reversed_from_its_page_by_the_approver(
    client: Client, cas_books, customer, clerk, approver
):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1130.00"),), maker=clerk, approver=approver)
    url = reverse("receivables:writeoff_reverse", args=[writeoff.pk])
    client.force_login(clerk)
    assert (
        "writeoff_reverse"
        not in client.get(reverse("receivables:writeoff_detail", args=[writeoff.pk])).text
    )
    assert (
        client.post(url, {"reason": "客户已付款", "reversed_on": "2026-01-20"}).status_code == 403
    )
    client.force_login(approver)
    page = client.get(reverse("receivables:writeoff_detail", args=[writeoff.pk]))
    assert url in page.text
    refused = client.post(url, {"reason": "", "reversed_on": "2026-01-20"})
    assert refused.status_code == 422
    done = client.post(url, {"reason": "客户已付款", "reversed_on": "2026-01-20"})
    assert done.status_code == 302
    writeoff.refresh_from_db()
    assert writeoff.status == WriteOffStatus.REVERSED
    assert open_of(item) == Decimal("1130.00")
