"""History import through the page (upload, polled batch, commit), the API and the command."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from suanpan.invoicing.choices import BatchStatus
from suanpan.invoicing.models import Invoice, InvoiceBatch
from suanpan.ledger.models import Voucher
from suanpan.users.services import api_token_create
from tests.factories import UserFactory
from tests.inventory.deliveries_support import customer_with_dimension
from tests.invoicing.history_support import csv_file, number

pytestmark = pytest.mark.django_db
ON = "2026-11-12"


@pytest.fixture(autouse=True)
def inline_tasks(settings, tmp_path):
    settings.SUANPAN_TASKS_INLINE = True
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def acme(db: None):
    return customer_with_dimension()


@pytest.fixture
def good(tmp_path, acme):
    return csv_file(
        tmp_path,
        [
            (number(1), ON, acme.number, "咨询服务", "", "", "1130.00", "13", ""),
            (number(2), ON, acme.number, "安装", "", "", "10.005", "13", ""),
        ],
    )


@pytest.fixture
def bad(tmp_path, acme):
    return csv_file(
        tmp_path,
        [(number(1), "someday", acme.number, "咨询服务", "", "", "1130.00", "13", "")],
        name="bad.csv",
    )


# --- pages -----------------------------------------------------------------------------------


def test_page_checks_then_imports(client, delivery_books, clerk, good):
    client.force_login(clerk)
    url = reverse("invoicing:history_import_upload")
    assert client.get(url).status_code == 200
    with good.open("rb") as handle:
        response = client.post(url, {"file": handle, "price_includes_tax": "on", "action": "check"})
    batch = InvoiceBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("invoicing:history_import_detail", args=[batch.pk])
    page = client.get(response.url)
    text = page.content.decode()
    assert batch.number in text
    assert "line 3: 10.005 → 10.01" in text
    assert number(1) in text
    assert not Invoice.objects.exists()
    fragment = client.get(response.url, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert 'id="batch-status"' in fragment.content.decode()
    commit = client.post(reverse("invoicing:history_import_commit", args=[batch.pk]))
    assert commit.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert batch.report["committed"] is True
    assert Invoice.objects.filter(batch=batch).count() == 2
    assert not Voucher.objects.exists()
    again = client.post(reverse("invoicing:history_import_commit", args=[batch.pk]))
    assert again.status_code == 302
    assert Invoice.objects.count() == 2


def test_page_shows_errors_and_offers_no_import(client, delivery_books, clerk, bad):
    client.force_login(clerk)
    with bad.open("rb") as handle:
        response = client.post(
            reverse("invoicing:history_import_upload"), {"file": handle, "action": "import"}
        )
    batch = InvoiceBatch.objects.get()
    assert batch.status == BatchStatus.FAILED
    text = client.get(response.url).content.decode()
    assert "someday" in text
    assert reverse("invoicing:history_import_commit", args=[batch.pk]) not in text
    assert not Invoice.objects.exists()


def test_page_needs_the_permission(client, delivery_books):
    client.force_login(UserFactory())
    assert client.get(reverse("invoicing:history_import_upload")).status_code == 403


# --- API -------------------------------------------------------------------------------------


def _api(user) -> Client:
    _token, key = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {key}"})


def test_api_dry_run_then_commit_with_posting(on_invoice, clerk, good, acme):
    api = _api(clerk)
    with good.open("rb") as handle:
        checked = api.post("/api/v1/invoicing/history-imports", {"file": handle})
    assert checked.status_code == 200, checked.content
    body = checked.json()
    assert body["ok"] is True
    assert body["invoice_count"] == 2
    assert body["totals"][0]["gross_amount"] == "1130.00"
    assert not Invoice.objects.exists()
    with good.open("rb") as handle:
        queued = api.post(
            "/api/v1/invoicing/history-imports", {"file": handle, "commit": "true", "post": "true"}
        )
    assert queued.status_code == 202, queued.content
    batch_id = queued.json()["id"]
    status = api.get(f"/api/v1/invoicing/history-imports/{batch_id}").json()
    assert status["status"] == BatchStatus.DONE
    assert status["progress"] == 100
    assert status["report"]["committed"] is True
    assert "job" not in status["report"]
    assert Voucher.objects.count() == 2
    assert Invoice.objects.get(number=number(2)).gross_amount == Decimal("10.01")


def test_api_reports_errors_and_refuses_others(delivery_books, clerk, bad):
    with bad.open("rb") as handle:
        body = _api(clerk).post("/api/v1/invoicing/history-imports", {"file": handle}).json()
    assert body["ok"] is False
    assert body["errors"][0]["row"] == 2
    with bad.open("rb") as handle:
        refused = _api(UserFactory()).post("/api/v1/invoicing/history-imports", {"file": handle})
    assert refused.status_code == 403
    assert _api(clerk).get("/api/v1/invoicing/history-imports/999999").status_code == 404
    with bad.open("rb") as handle:
        wrong = _api(clerk).post(
            "/api/v1/invoicing/history-imports", {"file": handle, "default_rate": "17"}
        )
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "history_file_invalid"
    assert "default_rate" in wrong.json()["fields"]


# --- CLI -------------------------------------------------------------------------------------


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("invoicing", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_cli_dry_run_commit_and_errors(on_invoice, clerk, good, bad, capsys):
    out, _err = _run("import-history", str(good), "--user", clerk.username)
    assert "2 invoices" in out
    assert "dry run" in out
    assert "line 3: 10.005 → 10.01" in out
    assert "100%" in capsys.readouterr().err  # the progress bar
    assert not Invoice.objects.exists()
    out, _err = _run("import-history", str(good), "--commit", "--post", "--user", clerk.username)
    assert "Imported 2 invoices" in out
    assert Voucher.objects.count() == 2
    with pytest.raises(CommandError) as failed:
        _run("import-history", str(bad), "--user", clerk.username)
    assert failed.value.returncode == 1
    with pytest.raises(CommandError) as unusable:
        _run("import-history", str(good), "--walk-in", "KH-NOBODY", "--user", clerk.username)
    assert unusable.value.returncode == 2
