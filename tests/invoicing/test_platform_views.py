"""The tax-platform page: export download, failure file, issued export and XML preview →
confirm, batch history, permissions."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from suanpan.invoicing.choices import RequestStatus
from suanpan.invoicing.models import Invoice, InvoiceBatch
from tests.invoicing.platform_support import (
    approved_request,
    blue_row,
    einvoice_xml,
    failure_file,
    issued_export,
)
from tests.invoicing.support import invoice_number

pytestmark = pytest.mark.django_db


def _upload(data: bytes, name: str = "f.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_page_lists_approved_requests_and_empty_history(
    client: Client, delivery_books, clerk, approver
):
    request = approved_request(maker=clerk, approver=approver)
    client.force_login(approver)
    response = client.get(reverse("invoicing:platform"))
    assert response.status_code == 200
    assert request.number in response.text
    assert 'name="request_ids"' in response.text
    assert "sp-list" in response.text


def test_page_empty_state(client: Client, delivery_books, approver):
    client.force_login(approver)
    response = client.get(reverse("invoicing:platform"))
    assert response.status_code == 200
    assert 'name="request_ids"' not in response.text


def test_export_downloads_the_workbook(client: Client, delivery_books, clerk, approver):
    request = approved_request(maker=clerk, approver=approver)
    client.force_login(approver)
    response = client.post(reverse("invoicing:platform_export"), {"request_ids": [request.pk]})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["1-发票基本信息"]["A4"].value == request.number
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPORTED
    page = client.get(reverse("invoicing:platform_batches"))
    assert request.batch.number in page.text


def test_export_errors_show_on_the_page(client: Client, delivery_books, clerk, approver):
    request = approved_request(maker=clerk, approver=approver)
    client.force_login(approver)
    response = client.post(reverse("invoicing:platform_export"), {})
    assert response.status_code == 400
    response = client.post(
        reverse("invoicing:platform_export"),
        {"request_ids": [request.pk], "template": _upload(b"nonsense")},
    )
    assert response.status_code == 400
    assert "xlsx" in response.text
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED


def test_failure_file_upload(client: Client, delivery_books, clerk, approver):
    request = approved_request(maker=clerk, approver=approver)
    client.force_login(approver)
    client.post(reverse("invoicing:platform_export"), {"request_ids": [request.pk]})
    response = client.post(
        reverse("invoicing:platform_failures"),
        {"failures-file": _upload(failure_file([(request.number, "购买方税号有误")]))},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.FAILED
    assert request.failure_reason == "购买方税号有误"
    response = client.get(reverse("invoicing:platform"))
    assert "购买方税号有误" in response.text  # failed requests may go out again
    bad = client.post(
        reverse("invoicing:platform_failures"),
        {"failures-file": _upload(failure_file([("KP-000000-0001", "x")]))},
    )
    assert bad.status_code == 400
    assert "KP-000000-0001" in bad.text


def test_issued_preview_then_confirm(client: Client, delivery_books, clerk, approver):
    first = approved_request(maker=clerk, approver=approver)
    second = approved_request(maker=clerk, approver=approver)
    client.force_login(approver)
    client.post(reverse("invoicing:platform_export"), {"request_ids": [first.pk, second.pk]})
    today = timezone.localdate()
    numbers = [invoice_number(), invoice_number()]
    data = issued_export(
        [
            blue_row(first, numbers[0], issued_on=today),
            blue_row(second, numbers[1], issued_on=today, gross=second.gross_amount + 1),
        ]
    )
    response = client.post(
        reverse("invoicing:platform_issued"), {"action": "preview", "issued-file": _upload(data)}
    )
    assert response.status_code == 200
    assert numbers[0] in response.text
    assert "text-danger" in response.text  # the second row's total differs
    assert not Invoice.objects.exists()
    token = response.context["token"]
    response = client.post(
        reverse("invoicing:platform_issued"), {"action": "commit", "token": token}
    )
    assert response.status_code == 302
    assert Invoice.objects.count() == 2
    assert InvoiceBatch.objects.filter(kind="issued").count() == 1
    again = client.post(reverse("invoicing:platform_issued"), {"action": "commit", "token": token})
    assert again.status_code == 302
    assert Invoice.objects.count() == 2


def test_xml_preview_cancel_and_bad_file(client: Client, delivery_books, clerk, approver):
    request = approved_request(maker=clerk, approver=approver)
    client.force_login(approver)
    client.post(reverse("invoicing:platform_export"), {"request_ids": [request.pk]})
    xml = einvoice_xml(request, invoice_number(), issued_on=timezone.localdate())
    response = client.post(
        reverse("invoicing:platform_xml"), {"action": "preview", "xml-file": _upload(xml, "a.xml")}
    )
    assert response.status_code == 200
    assert request.number in response.text
    response = client.post(
        reverse("invoicing:platform_xml"), {"action": "cancel", "token": response.context["token"]}
    )
    assert response.status_code == 302
    assert not Invoice.objects.exists()
    response = client.post(
        reverse("invoicing:platform_xml"),
        {"action": "preview", "xml-file": _upload(b"<broken", "a.xml")},
    )
    assert response.status_code == 400


def test_pages_need_permission(client: Client, delivery_books, seller):
    client.force_login(seller)
    assert client.get(reverse("invoicing:platform")).status_code == 403
    assert client.post(reverse("invoicing:platform_export"), {}).status_code == 403
    assert client.post(reverse("invoicing:platform_issued"), {}).status_code == 403
