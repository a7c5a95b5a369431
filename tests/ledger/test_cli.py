"""`suanpan ledger …`: verify, check-open-items, export, close, reopen, setup; exit codes."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from openpyxl import load_workbook

from suanpan.ledger.charts import CHARTS_DIR
from suanpan.ledger.choices import PeriodStatus
from suanpan.ledger.models import Account, Company, OpenItem, Period, PeriodEvent, PeriodTotal
from suanpan.users.choices import Role
from tests.ledger.test_verification import SmallLedger, post_small_ledger

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(accounts, customer_dim, accountant, finance_manager) -> SmallLedger:
    return post_small_ledger(
        accounts=accounts, customer=customer_dim, maker=accountant, checker=finance_manager
    )


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("ledger", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*args: str) -> CommandError:
    with pytest.raises(CommandError) as info:
        call_command("ledger", *args, stdout=io.StringIO(), stderr=io.StringIO())
    return info.value


# ---------------------------------------------------------------------------- verify


def test_verify_exits_0_with_a_summary_when_the_chain_is_intact(ledger, admin_user):
    out = run("verify")

    assert "The chain is intact: 5 posted vouchers" in out
    assert "the period totals equal the posted lines" in out
    assert ledger.red.hash in out


def test_verify_exits_1_naming_the_voucher_when_a_row_was_edited_with_sql(ledger, accountant):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_voucher SET summary = %s WHERE id = %s", ["改", ledger.receipt.pk]
        )

    error = run_failing("verify", "--as", accountant.username)

    assert error.returncode == 1
    assert ledger.receipt.display_number in str(error)


def test_verify_exits_2_when_the_user_may_not_see_the_books(ledger, make_user):
    sales = make_user(Role.SALES)

    error = run_failing("verify", "--as", sales.username)

    assert error.returncode == 2


def test_verify_exits_2_when_no_superuser_exists_and_no_user_is_named(ledger):
    error = run_failing("verify")

    assert error.returncode == 2
    assert "--as" in str(error)


def test_verify_exits_1_listing_each_total_when_period_totals_were_edited_with_sql(
    ledger, accountant
):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_periodtotal SET debit_amount = debit_amount + 100")
    out = io.StringIO()

    with pytest.raises(CommandError) as info:
        call_command("ledger", "verify", "--as", accountant.username, stdout=out)

    assert info.value.returncode == 1
    assert "period totals differ from the posted lines" in str(info.value)
    # Every row is on stdout, not only the first ten the error names.
    assert out.getvalue().count("stored debit") == PeriodTotal.objects.count()


def test_verify_exits_1_when_the_newest_voucher_was_unposted_with_sql(ledger, accountant):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_voucher SET status = 'draft' WHERE id = %s", [ledger.red.pk])

    error = run_failing("verify", "--as", accountant.username)

    assert error.returncode == 1
    assert "the hash chain is short" in str(error)
    assert "转 202602 no. 1" in str(error)


def test_close_exits_1_when_period_totals_were_edited_with_sql(ledger, accountant):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_periodtotal SET debit_amount = debit_amount + 100")

    error = run_failing("close", "202601", "--as", accountant.username)

    assert error.returncode == 1
    assert "period totals differ from the posted lines" in str(error)
    assert Period.objects.get(year=2026, month=1).status == PeriodStatus.OPEN


# ---------------------------------------------------------------------------- open items


def test_check_open_items_exits_0_when_items_equal_their_accounts(ledger, accountant):
    out = run("check-open-items", "--as-of", "2026-02-28", "--as", accountant.username)

    assert "equal their accounts" in out


def test_check_open_items_exits_1_listing_the_customer_when_an_item_differs(ledger, accountant):
    item = OpenItem.objects.get(line__voucher=ledger.invoice_1)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_openitem SET amount = amount + 1 WHERE id = %s", [item.pk])
    out = io.StringIO()

    with pytest.raises(CommandError) as info:
        call_command(
            "ledger", "check-open-items", "--as", accountant.username, stdout=out, stderr=out
        )

    assert info.value.returncode == 1
    assert "KH-000001" in out.getvalue()


def test_check_open_items_exits_1_naming_the_customer_when_a_kept_open_amount_is_wrong(
    ledger, accountant
):
    item = OpenItem.objects.get(line__voucher=ledger.invoice_1)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_openitem SET open_amount = CASE WHEN open_amount = amount"
            " THEN amount - 1 ELSE amount END WHERE id = %s",
            [item.pk],
        )
    out = io.StringIO()

    with pytest.raises(CommandError) as info:
        call_command(
            "ledger", "check-open-items", "--as", accountant.username, stdout=out, stderr=out
        )

    assert info.value.returncode == 1
    assert "KH-000001" in out.getvalue()
    assert "1 item keeps an open amount other than its matches give" in out.getvalue()


def test_check_open_items_exits_2_when_the_date_is_not_iso(ledger, accountant):
    error = run_failing("check-open-items", "--as-of", "28/02/2026", "--as", accountant.username)

    assert error.returncode == 2


# ---------------------------------------------------------------------------- export


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("kingdee", "凭证.xlsx"),
        ("yonyou", "pz.txt"),
        ("csv", "vouchers.csv"),
        ("beancount", "books.beancount"),
    ],
)
def test_export_writes_the_file_when_the_format_is_given(ledger, accountant, tmp_path, kind, name):
    path = tmp_path / name

    out = run("export", kind, str(path), "--as", accountant.username)

    assert "Wrote 5 vouchers (13 lines)" in out
    assert path.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_export_keeps_the_period_range_when_from_and_to_are_given(ledger, accountant, tmp_path):
    path = tmp_path / "凭证.xlsx"

    out = run(
        "export", "kingdee", str(path), "--from", "202602", "--to", "202602",
        "--as", accountant.username,
    )  # fmt: skip

    assert "Wrote 2 vouchers" in out
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert {row[2] for row in rows[1:]} == {2}


def test_export_reads_the_account_map_when_yonyou_codes_differ(ledger, accountant, tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_text("1122.01,11220001\n", encoding="utf-8")
    path = tmp_path / "pz.txt"

    run("export", "yonyou", str(path), "--account-map", str(mapping), "--as", accountant.username)

    assert ",11220001," in path.read_bytes().decode("gbk")


def test_export_exits_1_and_leaves_no_file_when_gbk_cannot_hold_a_summary(
    accounts, accountant, finance_manager, tmp_path
):
    from tests.ledger.test_exports import manual_post

    manual_post(accounts, accountant, finance_manager, summary="订单😀")
    path = tmp_path / "pz.txt"
    path.write_bytes(b"earlier export")

    error = run_failing("export", "yonyou", str(path), "--as", accountant.username)

    assert error.returncode == 1
    assert "GBK" in str(error)
    assert path.read_bytes() == b"earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["pz.txt"]


def test_export_replaces_characters_when_asked_to(accounts, accountant, finance_manager, tmp_path):
    from tests.ledger.test_exports import manual_post

    manual_post(accounts, accountant, finance_manager, summary="订单😀")
    path = tmp_path / "pz.txt"

    run("export", "yonyou", str(path), "--replace-unencodable", "--as", accountant.username)

    assert "订单?" in path.read_bytes().decode("gbk")


def test_export_exits_2_when_beancount_is_given_a_range(ledger, accountant, tmp_path):
    error = run_failing(
        "export", "beancount", str(tmp_path / "b.beancount"), "--from", "202601",
        "--as", accountant.username,
    )  # fmt: skip

    assert error.returncode == 2


def test_export_exits_2_when_a_period_is_not_yyyymm(ledger, accountant, tmp_path):
    error = run_failing(
        "export", "csv", str(tmp_path / "v.csv"), "--from", "2026-01", "--as", accountant.username
    )

    assert error.returncode == 2
    assert "2026-01" in str(error)


def test_export_exits_2_when_the_user_may_not_see_the_books(ledger, make_user, tmp_path):
    error = run_failing("export", "csv", str(tmp_path / "v.csv"), "--as", make_user().username)

    assert error.returncode == 2
    assert not (tmp_path / "v.csv").exists()


# ---------------------------------------------------------------------------- close and reopen


def test_close_locks_the_period_when_the_checklist_passes(ledger, accountant):
    out = run("close", "202601", "--transfers", "pnl", "--as", accountant.username)

    assert "202601" in out
    assert Period.objects.get(year=2026, month=1).status == PeriodStatus.CLOSED


def test_close_exits_1_with_the_problems_when_an_earlier_period_is_open(ledger, accountant):
    error = run_failing("close", "202602", "--as", accountant.username)

    assert error.returncode == 1
    assert "earlier periods are still open" in str(error)
    assert Period.objects.get(year=2026, month=2).status == PeriodStatus.OPEN


def test_close_exits_2_when_the_period_does_not_exist(ledger, accountant):
    error = run_failing("close", "202605", "--as", accountant.username)

    assert error.returncode == 2


def test_reopen_logs_the_reason_when_a_finance_manager_reopens(ledger, accountant, finance_manager):
    run("close", "202601", "--transfers", "pnl", "--as", accountant.username)

    run("reopen", "202601", "--reason", "补录发票", "--as", finance_manager.username)

    period = Period.objects.get(year=2026, month=1)
    assert period.status == PeriodStatus.OPEN
    assert PeriodEvent.objects.filter(period=period, action="reopen", reason="补录发票").exists()


def test_reopen_exits_2_when_an_accountant_tries(ledger, accountant):
    run("close", "202601", "--transfers", "pnl", "--as", accountant.username)

    error = run_failing("reopen", "202601", "--reason", "x", "--as", accountant.username)

    assert error.returncode == 2
    assert Period.objects.get(year=2026, month=1).status == PeriodStatus.CLOSED


# ---------------------------------------------------------------------------- setup


def test_setup_exits_1_when_the_books_are_set_up_already(books, finance_manager):
    error = run_failing(
        "setup", "--name", "另一家", "--standard", "cas", "--first-period", "202601",
        "--as", finance_manager.username,
    )  # fmt: skip

    assert error.returncode == 1
    assert Company.objects.count() == 1


def test_setup_exits_2_when_the_first_period_is_not_yyyymm(db, finance_manager):
    error = run_failing(
        "setup", "--name", "算盘", "--standard", "cas", "--first-period", "2026",
        "--as", finance_manager.username,
    )  # fmt: skip

    assert error.returncode == 2
    assert not Company.objects.exists()


def test_setup_exits_2_when_the_user_may_not_set_up_the_books(db, accountant):
    error = run_failing(
        "setup", "--name", "算盘", "--standard", "cas", "--first-period", "202601",
        "--as", accountant.username,
    )  # fmt: skip

    assert error.returncode == 2
    assert not Company.objects.exists()


@pytest.mark.parametrize("standard", ["cas", "asbe_se"])
def test_setup_creates_company_chart_and_first_period_when_the_template_exists(
    db, finance_manager, standard
):
    if not (Path(CHARTS_DIR) / f"{standard}.csv").is_file():
        pytest.skip(f"chart template {standard}.csv is not written yet")

    out = run(
        "setup", "--name", "算盘会计", "--standard", standard, "--first-period", "202603",
        "--revenue-policy", "on_invoice", "--as", finance_manager.username,
    )  # fmt: skip

    company = Company.objects.get()
    assert (company.name, company.standard, company.revenue_policy) == (
        "算盘会计",
        standard,
        "on_invoice",
    )
    assert company.first_period == date(2026, 3, 1)
    assert Account.objects.filter(code="1122").exists()
    assert Period.objects.filter(year=2026, month=3).exists()
    assert "202603" in out


def test_suanpan_console_command_reaches_ledger_when_called_as_suanpan_ledger(
    ledger, accountant, capsys
):
    from suanpan import cli

    cli.main(["ledger", "verify", "--as", accountant.username])

    assert "The chain is intact" in capsys.readouterr().out
