"""/api/v1/invoicing/platform: export, failure file, issued export and XML, with errors."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from suanpan.invoicing.choices import RequestStatus
from suanpan.invoicing.models import Invoice
from tests.invoicing.platform_support import (
    approved_request,
    blue_row,
    einvoice_xml,
    failure_file,
    issued_export,
    official_like_template,
)
from tests.invoicing.support import invoice_number

pytestmark = pytest.mark.django_db
URL = "/api/v1/invoicing/platform"


def _upload(data: bytes, name: str = "f.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_export_answers_the_workbook(delivery_books, clerk, approver, api_client):
    first = approved_request(maker=clerk, approver=approver)
    second = approved_request(maker=clerk, approver=approver)
    client = api_client(approver)
    response = client.post(f"{URL}/export", {"request_ids": [first.pk, second.pk]})
    assert response.status_code == 200, response.content
    assert response["X-Batch"].startswith("PC-")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["1-发票基本信息"]["A4"].value == first.number
    assert workbook["1-发票基本信息"]["A5"].value == second.number
    first.refresh_from_db()
    assert first.status == RequestStatus.EXPORTED
    batches = client.get(f"{URL}/batches").json()
    assert batches[0]["number"] == response["X-Batch"]
    assert batches[0]["kind"] == "export"


def test_export_into_a_template(delivery_books, clerk, approver, api_client):
    request = approved_request(maker=clerk, approver=approver)
    response = api_client(approver).post(
        f"{URL}/export",
        {"request_ids": [request.pk], "template": _upload(official_like_template())},
    )
    assert response.status_code == 200, response.content
    workbook = load_workbook(io.BytesIO(response.content))
    assert "sfzjlx" in workbook.sheetnames
    assert workbook["2-发票明细信息"]["I4"].value == "0.13"


def test_export_errors(delivery_books, clerk, approver, seller, api_client):
    request = approved_request(maker=clerk, approver=approver)
    client = api_client(approver)
    response = client.post(
        f"{URL}/export", {"request_ids": [request.pk], "template": _upload(b"nonsense")}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "platform_file_invalid"
    response = api_client(seller).post(f"{URL}/export", {"request_ids": [request.pk]})
    assert response.status_code == 403
    client.post(f"{URL}/export", {"request_ids": [request.pk]})
    response = client.post(f"{URL}/export", {"request_ids": [request.pk]})
    assert response.status_code == 409
    assert response.json()["code"] == "wrong_status"


def test_failures_issued_and_xml(delivery_books, clerk, approver, api_client):
    requests = [approved_request(maker=clerk, approver=approver) for _ in range(3)]
    client = api_client(approver)
    assert (
        client.post(f"{URL}/export", {"request_ids": [r.pk for r in requests]}).status_code == 200
    )
    failed, issued, by_xml = requests
    response = client.post(
        f"{URL}/failures", {"file": _upload(failure_file([(failed.number, "税率不合法")]))}
    )
    assert response.status_code == 200, response.content
    assert response.json()["failed"] == [{"number": failed.number, "reason": "税率不合法"}]
    failed.refresh_from_db()
    assert failed.status == RequestStatus.FAILED
    number = invoice_number()
    data = issued_export([blue_row(issued, number, issued_on=timezone.localdate())])
    response = client.post(f"{URL}/issued", {"file": _upload(data)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["counts"]["matched"] == 1
    assert body["rows"][0]["request"] == issued.number
    assert body["batch"] is None
    assert not Invoice.objects.exists()
    response = client.post(f"{URL}/issued", {"file": _upload(data), "commit": "true"})
    assert response.json()["recorded"] == 1
    assert Invoice.objects.get().number == number
    xml = einvoice_xml(by_xml, invoice_number(), issued_on=timezone.localdate())
    response = client.post(f"{URL}/xml", {"file": _upload(xml, "a.xml"), "commit": "true"})
    assert response.status_code == 200, response.content
    assert response.json()["recorded"] == 1
    response = client.post(f"{URL}/xml", {"file": _upload(b"<x", "a.xml")})
    assert response.status_code == 422
    assert response.json()["code"] == "platform_file_invalid"


def test_imports_need_permission(delivery_books, seller, api_client):
    client = api_client(seller)
    for path in ("failures", "issued", "xml"):
        response = client.post(f"{URL}/{path}", {"file": _upload(b"x")})
        assert response.status_code == 403, path
