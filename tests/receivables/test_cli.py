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


def test_import_statement_checks_then_commits_a_banks_file(
    receivable_books, clerk, tmp_path, capsys
):
    from suanpan.receivables.models import BankAccount, BankLine
    from tests.receivables.bank_support import statement_xlsx

    BankAccount.objects.create(name="基本户", account_number="6217000010001234567")
    path = tmp_path / "流水.xlsx"
    path.write_bytes(
        statement_xlsx(
            "cmb",
            [
                {"date": "20260112", "time": "080024", "credit": "1,130.00", "serial": "1"},
                {"date": "20260113", "time": "090000", "debit": "80.00", "serial": "2"},
            ],
        )
    )
    arguments = [
        "receivables",
        "import-statement",
        str(path),
        "--bank-account",
        "6217000010001234567",
    ]
    call_command(*arguments, "--preset", "cmb", "--as", clerk.username)
    assert "Dry run" in capsys.readouterr().out
    assert not BankLine.objects.exists()
    call_command(*arguments, "--commit", "--as", clerk.username)
    out = capsys.readouterr().out
    assert "cmb, header on row 3: 2 lines, 1 received (1,130.00), 1 paid out" in out
    assert "2 lines added." in out
    assert BankLine.objects.count() == 2


def test_import_statement_refuses_an_unknown_account_and_an_unreadable_file(
    receivable_books, clerk, tmp_path
):
    from suanpan.receivables.models import BankAccount

    BankAccount.objects.create(name="基本户", account_number="1")
    path = tmp_path / "x.csv"
    path.write_text("日期,金额\n2026-01-01,1\n")
    with pytest.raises(CommandError) as unknown:
        call_command(
            "receivables",
            "import-statement",
            str(path),
            "--bank-account",
            "2",
            "--as",
            clerk.username,
        )
    assert unknown.value.returncode == 2
    with pytest.raises(CommandError) as unreadable:
        call_command(
            "receivables",
            "import-statement",
            str(path),
            "--bank-account",
            "1",
            "--as",
            clerk.username,
        )
    assert unreadable.value.returncode == 1


def test_provision_shows_the_preview_then_posts_with_post(
    cas_books, customer, clerk, approver, capsys
):
    from suanpan.receivables.models import ProvisionRun
    from suanpan.receivables.services import RateInput, provision_rates_save

    invoice(customer, "1130.00", actor=clerk)
    provision_rates_save(rates=[RateInput(bucket=0, rate=D("0.05"))], actor=approver)
    call_command("receivables", "provision", "--period", "2026-01", "--as", clerk.username)
    shown = capsys.readouterr().out
    assert "1,130.00" in shown and "56.50" in shown and "--post" in shown
    assert not ProvisionRun.objects.exists()
    call_command(
        "receivables", "provision", "--period", "2026-01", "--post", "--as", clerk.username
    )
    assert "Posted 56.50." in capsys.readouterr().out
    call_command(
        "receivables", "provision", "--period", "2026-01", "--post", "--as", clerk.username
    )
    assert "Nothing to post" in capsys.readouterr().out
    assert ProvisionRun.objects.count() == 1


def test_provision_refuses_a_bad_period(cas_books, clerk):
    with pytest.raises(CommandError) as refused:
        call_command("receivables", "provision", "--period", "2026/01", "--as", clerk.username)
    assert refused.value.returncode == 1
