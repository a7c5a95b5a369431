"""`suanpan ledger print | summary | journal | review | post`: files written, tables printed,
batches all or nothing, and the exit codes."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.lib.units import mm

from suanpan.ledger import services
from suanpan.ledger.choices import VoucherStatus
from suanpan.ledger.models import Voucher
from suanpan.ledger.services import LineInput
from suanpan.users.choices import Role
from tests.ledger.builders import posted_voucher

pytestmark = pytest.mark.django_db
D = Decimal


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("ledger", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*args: str) -> tuple[CommandError, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("ledger", *args, stdout=out, stderr=io.StringIO())
    return info.value, out.getvalue()


def _lines(accounts, amount: str) -> list[LineInput]:
    return [
        LineInput(accounts["1002"], debit=D(amount)),
        LineInput(accounts["6001"], credit=D(amount)),
    ]


def _draft(accounts, maker, amount="10.00") -> Voucher:
    return services.voucher_create(
        actor=maker, date=date(2026, 1, 10), summary="现销", lines=_lines(accounts, amount)
    )


@pytest.fixture
def january(accounts, accountant, finance_manager) -> list[Voucher]:
    return [
        posted_voucher(
            maker=accountant,
            poster=finance_manager,
            lines=_lines(accounts, amount),
            on=date(2026, 1, day),
        )
        for day, amount in ((5, "100.00"), (12, "20.00"), (20, "3.00"))
    ]


def test_print_writes_the_range_as_a_pdf_in_the_layout_asked(tmp_path, january, admin_user):
    target = tmp_path / "vouchers.pdf"

    out = run(
        "print", "--from", "202601", "--to", "2026-01-15", "--layout", "slip", "-o", str(target)
    )

    assert "Printed 2 vouchers" in out
    reader = PdfReader(target)
    assert len(reader.pages) == 2
    assert round(float(reader.pages[0].mediabox.width), 2) == round(241 * mm, 2)


def test_print_takes_vouchers_by_id(tmp_path, january, accountant):
    target = tmp_path / "one.pdf"

    run("print", "--id", str(january[2].pk), "-o", str(target), "--as", accountant.username)

    assert "No. 记-0003" in PdfReader(target).pages[0].extract_text()


def test_print_exits_2_on_a_bad_date_and_1_when_nothing_matches(tmp_path, january, admin_user):
    bad, _out = run_failing("print", "--from", "2026-13-01", "-o", str(tmp_path / "x.pdf"))
    nothing, _out = run_failing("print", "--from", "202603", "-o", str(tmp_path / "x.pdf"))

    assert bad.returncode == 2 and "YYYY-MM-DD" in str(bad)
    assert nothing.returncode == 1
    assert not (tmp_path / "x.pdf").exists()


def test_print_exits_2_for_a_user_without_the_permission(tmp_path, january, make_user):
    seller = make_user(Role.SALES)

    error, _out = run_failing("print", "-o", str(tmp_path / "x.pdf"), "--as", seller.username)

    assert error.returncode == 2


def test_summary_prints_the_table_and_writes_an_xlsx(tmp_path, january, admin_user):
    out = run("summary", "--period", "202601", "--numbers", "2-3")

    assert "1002  银行存款" in out
    assert "23.00" in out
    assert "202601 记 No. 2 to 3" in out
    target = tmp_path / "summary.xlsx"
    run("summary", "--from", "202601", "--to", "202601", "-o", str(target))
    rows = list(load_workbook(target, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("Code", "Account")
    assert (None, "Total", None, 123, 123) in rows


def test_summary_exits_2_when_numbers_have_no_period(january, admin_user):
    error, _out = run_failing("summary", "--from", "202601", "--to", "202601", "--numbers", "1-2")

    assert error.returncode == 2
    assert "choose the period" in str(error)


def test_journal_writes_every_line_with_the_totals(tmp_path, january, admin_user):
    target = tmp_path / "journal.xlsx"

    out = run(
        "journal", "--from", "202601", "--to", "202601", "--account", "1002", "-o", str(target)
    )

    assert "Wrote 3 journal lines" in out
    rows = list(load_workbook(target, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 5
    assert rows[-1][2] == "Total of 3 lines" and rows[-1][7] == 123


def test_review_and_post_the_range_in_batches(accounts, accountant, finance_manager):
    drafts = [_draft(accounts, accountant, amount) for amount in ("1.00", "2.00")]

    reviewed = run("review", "--from", "202601", "--to", "202601", "--as", finance_manager.username)
    posted = run("post", "--from", "202601", "--to", "202601", "--as", finance_manager.username)

    assert "2 vouchers reviewed." in reviewed
    assert "2 vouchers posted." in posted
    assert {Voucher.objects.get(pk=v.pk).status for v in drafts} == {VoucherStatus.POSTED}
    assert "No voucher to act on." in run("post", "--as", finance_manager.username)


def test_review_exits_1_listing_the_refusals_and_changes_nothing(accounts, accountant):
    mine = _draft(accounts, accountant)

    error, out = run_failing("review", "--id", str(mine.pk), "--as", accountant.username)

    assert error.returncode == 1
    assert "Nothing was changed: 1 voucher was refused." in str(error)
    assert f"Draft {mine.pk}: The maker of a voucher cannot review it." in out
    assert Voucher.objects.get(pk=mine.pk).status == VoucherStatus.DRAFT
