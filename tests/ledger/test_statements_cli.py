"""`suanpan ledger statement` and `suanpan ledger statement-definitions --restore`."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from suanpan.ledger import selectors, services
from suanpan.ledger.models import StatementDefinition
from suanpan.users.choices import Role
from tests.ledger.statement_books import StatementBooks, statement_books


@pytest.fixture
def people(make_user):
    return make_user(Role.ACCOUNTANT, username="kuaiji"), make_user(Role.FINANCE_MANAGER)


@pytest.fixture
def cas(people) -> StatementBooks:
    return statement_books(standard="cas", maker=people[0], poster=people[1])


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("ledger", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def failing(*args: str) -> CommandError:
    with pytest.raises(CommandError) as info:
        call_command("ledger", *args, stdout=io.StringIO(), stderr=io.StringIO())
    return info.value


def test_statement_prints_the_table_and_its_checks(cas):
    out = run("statement", "--kind", "balance-sheet", "--period", "2026-01", "--as", "kuaiji")
    assert "资产总计" in out
    assert "34\t资产总计\t1,274,870.00\t1,000,000.00" in out
    assert "[pass] Total assets = total liabilities and owners' equity (Closing balance)" in out
    assert "[pending] Net profit" in out


def test_statement_writes_xlsx_and_pdf_files(cas, tmp_path: Path):
    target = tmp_path / "income.xlsx"
    out = run("statement", "--kind", "income", "--period", "202601", "--format", "cas",
              "--xlsx", str(target), "--as", "kuaiji")  # fmt: skip
    assert f"Wrote {target}." in out
    sheet = load_workbook(target).active
    assert sheet.cell(2, sheet.max_column).value == "会企02表"
    pdf = tmp_path / "cash.pdf"
    run(
        "statement",
        "--kind",
        "cash-flow",
        "--period",
        "2026-01",
        "--pdf",
        str(pdf),
        "--as",
        "kuaiji",
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    # written beside the target and moved over it: no part file is left behind
    assert {p.name for p in tmp_path.iterdir()} == {"income.xlsx", "cash.pdf"}


def test_statement_exits_1_when_a_check_fails_and_2_when_it_cannot_run(cas, people, make_user):
    # 货币资金 without 库存现金: the sheet no longer balances
    rows = selectors.statement_definition(kind="balance-sheet", fmt="cas").rows
    services.statement_definition_save(
        actor=people[0],
        kind="balance-sheet",
        fmt="cas",
        rows=[r if r.line_no != 1 else replace(r, formula="1002 + 1012") for r in rows],
    )
    failed = failing(
        "statement", "--kind", "balance-sheet", "--period", "2026-01", "--as", "kuaiji"
    )
    assert failed.returncode == 1
    assert "checks of the statement fail" in str(failed)
    assert (
        failing("statement", "--kind", "income", "--period", "2025-01", "--as", "kuaiji").returncode
        == 2
    )
    make_user(Role.SALES, username="xiaoshou")
    refused = failing("statement", "--kind", "income", "--period", "2026-01", "--as", "xiaoshou")
    assert refused.returncode == 2


def test_statement_definitions_restore_stores_every_default(cas):
    out = run("statement-definitions", "--restore", "--as", "kuaiji")
    assert out.count("Restored the standard's rows") == 6
    assert StatementDefinition.objects.count() == 6
    run(
        "statement-definitions",
        "--restore",
        "--kind",
        "income",
        "--format",
        "cas",
        "--as",
        "kuaiji",
    )
    assert StatementDefinition.objects.count() == 6


def test_statement_in_the_other_standards_format_names_what_its_rows_leave_out(cas):
    # 小企业's income statement has no 信用减值损失: on a CAS chart 6702 is left out
    error = failing("statement", "--kind", "income", "--period", "2026-01", "--format", "asbe_se",
                    "--as", "kuaiji")  # fmt: skip
    assert error.returncode == 1
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ledger", "statement", "--kind", "income", "--period", "2026-01",
                     "--format", "asbe_se", "--as", "kuaiji", stdout=out, stderr=io.StringIO())  # fmt: skip
    assert "! No row takes in 6702 信用减值损失" in out.getvalue()
