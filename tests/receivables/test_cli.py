"""`suanpan receivables ageing | auto-match`: the ageing into xlsx with the default buckets, and
automatic settlement of named customers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tests.receivables.support import invoice, invoice_item, open_of, received

pytestmark = pytest.mark.django_db
D = Decimal


def test_ageing_writes_every_customer_and_the_total(customer, clerk, tmp_path, capsys):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 2))
    path = tmp_path / "ageing.xlsx"
    call_command(
        "receivables",
        "ageing",
        "--as-of",
        "2026-03-31",
        "--xlsx",
        str(path),
        "--as",
        clerk.username,
    )
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Customer number", "Customer", "Not yet due")
    assert len(rows[0]) == 2 + 9 + 1  # nine buckets by default, then the total
    assert rows[1][0] == customer.number
    assert rows[1][-1] == 1130
    # Due 30 days after 2 January: 58 days overdue on 31 March, in 31–60.
    assert rows[1][4] == 1130
    assert rows[-1][1] == "Total" and rows[-1][-1] == 1130
    assert "1,130.00" in capsys.readouterr().out


def test_ageing_refuses_bad_options(customer, clerk, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command(
            "receivables",
            "ageing",
            "--as-of",
            "31/03/2026",
            "--xlsx",
            str(tmp_path / "a.xlsx"),
            "--as",
            clerk.username,
        )
    assert refused.value.returncode == 2
    with pytest.raises(CommandError):
        call_command(
            "receivables",
            "ageing",
            "--bounds",
            "60,30",
            "--xlsx",
            str(tmp_path / "a.xlsx"),
            "--as",
            clerk.username,
        )


def test_auto_match_settles_the_named_customer(customer, clerk, capsys):
    item = invoice_item(invoice(customer, "100.00", actor=clerk))
    received(customer, "100.00", actor=clerk)
    call_command(
        "receivables",
        "auto-match",
        "--customer",
        customer.number,
        "--on",
        "2026-01-20",
        "--as",
        clerk.username,
    )
    assert open_of(item) == 0
    assert "100.00" in capsys.readouterr().out
    with pytest.raises(CommandError) as refused:
        call_command("receivables", "auto-match", "--customer", "NOPE", "--as", clerk.username)
    assert refused.value.returncode == 2
