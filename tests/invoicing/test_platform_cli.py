"""`suanpan invoicing export-batch | import-failures | import-issued | import-xml`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
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


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("invoicing", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*args: str) -> CommandError:
    with pytest.raises(CommandError) as info:
        call_command("invoicing", *args, stdout=io.StringIO(), stderr=io.StringIO())
    return info.value


def test_round_trip(delivery_books, clerk, approver, tmp_path: Path):
    first = approved_request(maker=clerk, approver=approver)
    second = approved_request(maker=clerk, approver=approver)
    third = approved_request(maker=clerk, approver=approver)
    template = tmp_path / "模板.xlsx"
    template.write_bytes(official_like_template())
    output = tmp_path / "out.xlsx"
    out = run(
        "export-batch",
        "--requests",
        first.number,
        second.number,
        "--template",
        str(template),
        "--output",
        str(output),
        "--user",
        approver.username,
    )
    assert "2 requests" in out
    workbook = load_workbook(output)
    assert workbook["1-发票基本信息"]["A4"].value == first.number
    run(
        "export-batch",
        "--all-approved",
        "--output",
        str(tmp_path / "b.xlsx"),
        "--as",
        approver.username,
    )
    third.refresh_from_db()
    assert third.status == RequestStatus.EXPORTED

    failures = tmp_path / "失败.xlsx"
    failures.write_bytes(failure_file([(second.number, "税率不合法")]))
    out = run("import-failures", str(failures), "--user", approver.username)
    assert second.number in out
    second.refresh_from_db()
    assert second.status == RequestStatus.FAILED

    issued = tmp_path / "发票.xlsx"
    number = invoice_number()
    issued.write_bytes(issued_export([blue_row(first, number, issued_on=timezone.localdate())]))
    out = run("import-issued", str(issued), "--user", approver.username)
    assert "Dry run" in out
    assert first.number in out
    assert not Invoice.objects.exists()
    run("import-issued", str(issued), "--commit", "--user", approver.username)
    assert Invoice.objects.get().number == number

    xml = tmp_path / "a.xml"
    xml.write_bytes(einvoice_xml(third, invoice_number(), issued_on=timezone.localdate()))
    run("import-xml", str(xml), "--commit", "--user", approver.username)
    assert Invoice.objects.count() == 2


def test_exit_codes(delivery_books, clerk, approver, seller, tmp_path: Path):
    request = approved_request(maker=clerk, approver=approver)
    output = str(tmp_path / "out.xlsx")
    assert (
        run_failing("export-batch", "--output", output, "--user", approver.username).returncode == 2
    )
    error = run_failing(
        "export-batch",
        "--requests",
        "KP-000000-0000",
        "--output",
        output,
        "--user",
        approver.username,
    )
    assert error.returncode == 2
    error = run_failing(
        "export-batch", "--requests", request.number, "--output", output, "--user", seller.username
    )
    assert error.returncode == 2
    assert run_failing("import-issued", str(tmp_path / "missing.xlsx")).returncode == 2
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<x")
    assert run_failing("import-xml", str(bad), "--user", approver.username).returncode == 1
    assert run_failing("import-failures", str(bad), "--user", "nobody").returncode == 2
