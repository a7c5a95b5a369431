"""Bank statement pages: uploading a statement shows what it holds and confirming imports it;
the queue lists unmatched lines with their suggestions, confirms the ticked ones as receipts at
once and ignores a line with a reason; a salesperson may do none of it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from suanpan.receivables.choices import BankLineStatus
from suanpan.receivables.models import BankLine, Receipt, StatementImport
from tests.receivables.bank_support import statement_xlsx
from tests.receivables.support import invoice, invoice_item, open_of, received
from tests.receivables.test_bank_statements_services import _import, _lines, account  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _upload(client: Client, account, data: bytes, **extra):  # noqa: F811 (the fixture)
    return client.post(
        reverse("receivables:statement_import"),
        {
            "bank_account": account.pk,
            "preset": "",
            "file": SimpleUploadedFile("流水.xlsx", data),
            **extra,
        },
    )


def test_upload_shows_the_dry_run_and_confirming_imports_the_lines(
    client: Client,
    account,  # noqa: F811
    clerk,
):
    client.force_login(clerk)
    assert client.get(reverse("receivables:statement_import")).status_code == 200

    report = _upload(client, account, statement_xlsx("ccb", _lines()))

    assert report.status_code == 200
    assert (report.context["report"].incoming, report.context["report"].outgoing) == (2, 1)
    assert "1,180.00" in report.text
    assert not BankLine.objects.exists()  # nothing written by the dry run
    token = report.context["token"]

    done = client.post(
        reverse("receivables:statement_import"), {"action": "commit", "token": token}
    )

    assert done.status_code == 302
    assert reverse("receivables:bank_lines") in done["Location"]
    assert BankLine.objects.count() == 3 and StatementImport.objects.count() == 1
    # The kept upload is gone: confirming again imports nothing twice.
    again = client.post(
        reverse("receivables:statement_import"), {"action": "commit", "token": token}
    )
    assert again.status_code == 302 and BankLine.objects.count() == 3
    assert "expired" in _messages(again)[-1]


def test_a_file_with_unreadable_cells_shows_them_by_row_and_offers_no_import(
    client: Client,
    account,  # noqa: F811
    clerk,
):
    lines = _lines()
    lines[1]["credit"] = "五十"
    client.force_login(clerk)

    report = _upload(client, account, statement_xlsx("ccb", lines))

    assert report.status_code == 200
    assert "Row 5" in report.text
    assert 'value="commit"' not in report.text


def test_a_file_of_no_known_layout_is_refused_on_the_form(
    client: Client,
    account,  # noqa: F811
    clerk,
):
    client.force_login(clerk)
    page = _upload(client, account, "标题\n日期,收入\n2026-01-12,1\n".encode())
    assert page.status_code == 400
    assert page.context["form"].errors["file"]


def test_the_queue_lists_unmatched_lines_with_their_suggestions(
    client: Client,
    account,  # noqa: F811
    clerk,
    customer,
):
    received(customer, "10.00", actor=clerk, payer_account="6222000011112222")
    _import(account, statement_xlsx("ccb", _lines()), clerk)
    client.force_login(clerk)

    page = client.get(reverse("receivables:bank_lines"))

    assert page.status_code == 200
    listed = [entry["line"].serial for entry in page.context["lines"]]
    assert listed == ["S1", "S2"]  # unmatched only: the line paid out is not in the queue
    assert customer.name in page.text and "Payer account seen before" in page.text
    # The line nothing points at offers the customer picker instead.
    assert 'name="customer_' in page.text
    # The filters: the account, the dates, the search, and every status.
    url = reverse("receivables:bank_lines")
    found = client.get(url, {"q": "无名氏", "bank_account": account.pk, "booked_to": "2026-01-12"})
    assert [entry["line"].serial for entry in found.context["lines"]] == ["S2"]
    every = client.get(url, {"status": ""})
    assert len(every.context["lines"]) == 3


def test_confirming_two_ticked_rows_makes_two_receipts(
    client: Client,
    account,  # noqa: F811
    clerk,
    customer,
):
    received(customer, "10.00", actor=clerk, payer_account="6222000011112222")
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    _import(account, statement_xlsx("ccb", _lines()), clerk)
    first = BankLine.objects.get(serial="S1")
    second = BankLine.objects.get(serial="S2")  # no suggestion: its customer is picked
    client.force_login(clerk)

    done = client.post(
        reverse("receivables:bank_lines_confirm"),
        {"line": [first.pk, second.pk], f"customer_{second.pk}": customer.pk},
    )

    assert done.status_code == 302
    assert Receipt.objects.count() == 3  # the one before and the two confirmed
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == BankLineStatus.CONFIRMED
    assert first.receipt.customer == second.receipt.customer == customer
    assert open_of(item) == 0  # the suggested invoice is settled
    assert "2 receipts recorded." in _messages(done)


def test_a_ticked_row_without_a_customer_confirms_nothing(
    client: Client,
    account,  # noqa: F811
    clerk,
    customer,
):
    received(customer, "10.00", actor=clerk, payer_account="6222000011112222")
    _import(account, statement_xlsx("ccb", _lines()), clerk)
    lines = list(BankLine.objects.filter(serial__in=["S1", "S2"]).values_list("pk", flat=True))
    client.force_login(clerk)

    done = client.post(reverse("receivables:bank_lines_confirm"), {"line": lines})

    assert done.status_code == 302
    assert Receipt.objects.count() == 1
    assert "无名氏" in _messages(done)[-1]


def test_ignoring_a_line_takes_it_out_of_the_queue_with_its_reason(
    client: Client,
    account,  # noqa: F811
    clerk,
):
    _import(account, statement_xlsx("ccb", _lines()), clerk)
    line = BankLine.objects.get(serial="S2")
    client.force_login(clerk)
    url = reverse("receivables:bank_line_ignore", args=[line.pk])

    client.post(url, {f"reason_{line.pk}": "  "})
    line.refresh_from_db()
    assert line.status == BankLineStatus.UNMATCHED  # no reason, not ignored

    done = client.post(url, {f"reason_{line.pk}": "利息", "back": "/elsewhere/"})

    assert done.status_code == 302 and done["Location"] == reverse("receivables:bank_lines")
    line.refresh_from_db()
    assert (line.status, line.ignore_reason) == (BankLineStatus.IGNORED, "利息")
    queue = client.get(reverse("receivables:bank_lines"))
    assert [entry["line"].serial for entry in queue.context["lines"]] == ["S1"]


def test_a_salesperson_may_not_see_import_confirm_or_ignore(
    client: Client,
    account,  # noqa: F811
    clerk,
    seller,
    customer,
):
    _import(account, statement_xlsx("ccb", _lines()), clerk)
    line = BankLine.objects.get(serial="S1")
    client.force_login(seller)

    assert client.get(reverse("receivables:bank_lines")).status_code == 403
    assert client.get(reverse("receivables:statement_import")).status_code == 403
    assert _upload(client, account, statement_xlsx("ccb", _lines())).status_code == 403
    assert (
        client.post(
            reverse("receivables:bank_lines_confirm"),
            {"line": [line.pk], f"customer_{line.pk}": customer.pk},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("receivables:bank_line_ignore", args=[line.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    line.refresh_from_db()
    assert line.status == BankLineStatus.UNMATCHED and not Receipt.objects.exists()
    home = client.get(reverse("receivables:home"))
    assert reverse("receivables:bank_lines") not in home.text


def test_home_and_subnav_link_to_the_bank_pages(client: Client, clerk, receivable_books):
    client.force_login(clerk)
    home = client.get(reverse("receivables:home"))
    assert reverse("receivables:bank_lines") in home.text
    assert reverse("receivables:statement_import") in home.text
