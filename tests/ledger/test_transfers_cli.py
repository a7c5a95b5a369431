"""`suanpan ledger transfer …` (preview, --post) and `suanpan ledger close --transfers …`, with
their exit codes: 0 done, 1 refused by the books, 2 the command cannot run."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from suanpan.ledger import services
from suanpan.ledger.choices import PeriodStatus
from suanpan.ledger.models import Account, Period, Voucher
from suanpan.ledger.services import LineInput, TemplateInput, TemplateLineInput
from suanpan.ledger.types import TransferSource
from suanpan.users.choices import Role
from tests.ledger.builders import january_trading, role_accounts

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.parametrize("chart_books", ["cas"], indirect=True),
]
D = Decimal


@pytest.fixture
def a(chart_books, chart_customer, accountant, finance_manager) -> dict[str, Account]:
    accounts = role_accounts()
    january_trading(accounts, chart_customer, maker=accountant, poster=finance_manager)
    return accounts


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("ledger", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*args: str) -> CommandError:
    with pytest.raises(CommandError) as info:
        call_command("ledger", *args, stdout=io.StringIO(), stderr=io.StringIO())
    return info.value


def test_transfer_prints_the_lines_and_posts_nothing_without_post(a, accountant):
    out = run("transfer", "--period", "2026-01", "--kind", "vat", "--as", accountant.username)

    assert "VAT payable transferred out (转出未交增值税) · 202601" in out
    assert "2221.01.04 转出未交增值税" in out and "1,041.50" in out
    assert "VAT payable for 2026-01 transferred out" in out
    assert not Voucher.objects.filter(source_type__startswith="ledger.transfer.").exists()


def test_transfer_post_posts_the_voucher_then_finds_nothing_left(a, accountant):
    out = run(
        "transfer", "--period", "202601", "--kind", "vat", "--post", "--as", accountant.username
    )
    again = run(
        "transfer", "--period", "2026-01", "--kind", "vat", "--post", "--as", accountant.username
    )

    assert "Voucher 转-202601-0001 posted." in out
    assert "Nothing to post." in again
    assert "Nothing left to post" in again
    assert Voucher.objects.filter(source_type=TransferSource.VAT).count() == 1


def test_transfer_post_exits_1_when_out_of_order(a, accountant):
    error = run_failing(
        "transfer", "--period", "2026-01", "--kind", "pnl", "--post", "--as", accountant.username
    )

    assert error.returncode == 1
    assert "Run these first for 202601" in str(error)


def test_transfer_posts_a_template_named_by_id(a, accountant):
    out_account = a["vat_transfer_out"]
    template = services.transfer_template_create(
        actor=accountant,
        data=TemplateInput(
            name="城建税",
            lines=(
                TemplateLineInput(a["surcharges"], "debit", "balancing"),
                TemplateLineInput(a["2221.13"], "credit", "movement", out_account, D("0.07")),
            ),
        ),
    )
    run("transfer", "--period", "2026-01", "--kind", "vat", "--post", "--as", accountant.username)

    out = run(
        "transfer",
        "--period",
        "2026-01",
        "--kind",
        f"template:{template.pk}",
        "--post",
        "--as",
        accountant.username,
    )

    assert "72.91" in out and "posted" in out
    assert Voucher.objects.filter(source_id=f"202601/{template.pk}").exists()


@pytest.mark.parametrize(
    "args",
    [
        ("--period", "2026-13", "--kind", "vat"),
        ("--period", "2025-12", "--kind", "vat"),
        ("--period", "2026-01", "--kind", "bogus"),
        ("--period", "2026-01", "--kind", "templates"),
        ("--period", "2026-01", "--kind", "template:999"),
    ],
)
def test_transfer_exits_2_for_what_names_no_transfer(a, accountant, args):
    error = run_failing("transfer", *args, "--as", accountant.username)

    assert error.returncode == 2


def test_transfer_exits_2_when_the_user_may_not(a, make_user):
    error = run_failing(
        "transfer",
        "--period",
        "2026-01",
        "--kind",
        "vat",
        "--post",
        "--as",
        make_user(Role.SALES).username,
    )

    assert error.returncode == 2


def test_close_runs_the_named_transfers_then_closes(a, accountant):
    out = run("close", "202601", "--transfers", "pnl,vat", "--as", accountant.username)

    assert "Voucher 转-202601-0001 posted: VAT payable for 2026-01 transferred out" in out
    assert "Voucher 转-202601-0002 posted: Profit and loss for 2026-01 carried forward" in out
    assert "Period 202601 is closed." in out
    assert Period.objects.get().status == PeriodStatus.CLOSED


def test_close_without_transfers_exits_1_naming_the_open_accounts(a, accountant):
    error = run_failing("close", "202601", "--as", accountant.username)

    assert error.returncode == 1
    assert "income and expense accounts are not carried forward" in str(error)
    assert str(a["revenue"]) in str(error)


def test_close_keeps_no_transfer_when_the_month_does_not_close(a, accountant):
    services.voucher_create(
        actor=accountant,
        date=Period.objects.get().vouchers.first().date,
        summary="草稿",
        lines=[LineInput(a["bank"], debit=D("1")), LineInput(a["revenue"], credit=D("1"))],
    )

    error = run_failing("close", "202601", "--transfers", "vat,pnl", "--as", accountant.username)

    assert error.returncode == 1
    assert "1 vouchers are not posted" in str(error)
    assert "No transfer was posted." in str(error)
    assert not Voucher.objects.filter(source_type__startswith="ledger.transfer.").exists()
    assert Period.objects.get().status == PeriodStatus.OPEN


def test_close_exits_2_for_an_unknown_transfer(a, accountant):
    error = run_failing("close", "202601", "--transfers", "vat,profit", "--as", accountant.username)

    assert error.returncode == 2
    assert "profit" in str(error)
