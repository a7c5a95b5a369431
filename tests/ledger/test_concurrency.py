"""Concurrent postings, matches and closes on PostgreSQL: row locks keep the invariants.

Each thread has its own database connection (closed when it ends); a barrier starts them
together so the requests really race.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction

from suanpan.ledger import selectors, services
from suanpan.ledger.choices import AccountRole, PeriodStatus, TransferKind, VoucherStatus
from suanpan.ledger.errors import OpenItemMatchExceeds, PeriodClosed
from suanpan.ledger.models import (
    Dimension,
    OpenItem,
    OpenItemMatch,
    Period,
    PeriodTotal,
    Voucher,
    VoucherLine,
)
from suanpan.ledger.types import PostingEvent, RoleLine
from tests.ledger.test_invariants import assert_chain_intact

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
D = Decimal


@pytest.fixture
def customers(books: Any) -> list[str]:
    codes = [f"KH-{n:06d}" for n in range(1, 7)]
    for code in codes:
        Dimension.objects.create(kind="customer", code=code, name=f"客户{code}")
    return codes


def race(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run work(0..count-1) in threads that start together; their results and errors."""
    start = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            start.wait(timeout=30)
            result = work(index)
            with lock:
                results.append(result)
        except BaseException as exc:  # reported to the test thread
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def invoice(source_id: str, code: str, gross: Decimal, on: date = date(2026, 1, 15)):
    net = (gross / D("1.13")).quantize(D("0.01"))
    return PostingEvent(
        source_type="invoicing.invoice",
        source_id=source_id,
        event="issued",
        date=on,
        summary=f"发票 {source_id}",
        lines=(
            RoleLine(AccountRole.RECEIVABLE, debit=gross, dimension_code=code),
            RoleLine(AccountRole.REVENUE, credit=net),
            RoleLine(AccountRole.VAT_OUTPUT, credit=gross - net),
        ),
    )


def receipt(source_id: str, code: str, amount: Decimal, on: date = date(2026, 1, 20)):
    return PostingEvent(
        source_type="receivables.receipt",
        source_id=source_id,
        event="received",
        date=on,
        summary=f"收款 {source_id}",
        word="收",
        lines=(
            RoleLine(AccountRole.BANK, debit=amount),
            RoleLine(AccountRole.RECEIVABLE, credit=amount, dimension_code=code),
        ),
    )


def test_posting_post_numbers_gaplessly_and_chains_when_six_threads_post_at_once(
    customers, accountant
):
    threads, each = 6, 20

    def post_twenty(index: int) -> list[int]:
        return [
            services.posting_post(
                event=invoice(f"T{index}-{n}", customers[index], D(100 + n) + D(index) / 100),
                actor=accountant,
            ).pk
            for n in range(each)
        ]

    results, errors = race(threads, post_twenty)

    assert errors == []
    assert len({pk for pks in results for pk in pks}) == threads * each
    vouchers = Voucher.objects.filter(status=VoucherStatus.POSTED)
    assert sorted(vouchers.values_list("number", flat=True)) == list(range(1, threads * each + 1))
    assert sorted(vouchers.values_list("chain_seq", flat=True)) == list(
        range(1, threads * each + 1)
    )
    assert_chain_intact()
    lines: dict[tuple[int, int | None], list[Decimal]] = defaultdict(lambda: [D(0), D(0)])
    for account, dimension, debit, credit in VoucherLine.objects.values_list(
        "account_id", "dimension_id", "debit_amount", "credit_amount"
    ):
        lines[(account, dimension)][0] += debit
        lines[(account, dimension)][1] += credit
    totals = {
        (account, dimension): [debit, credit]
        for account, dimension, debit, credit in PeriodTotal.objects.values_list(
            "account_id", "dimension_id", "debit_amount", "credit_amount"
        )
    }
    assert totals == dict(lines)


def test_posting_post_returns_one_voucher_when_four_threads_post_same_event(customers, accountant):
    event = invoice("F-SAME", customers[0], D("113.00"))

    results, errors = race(4, lambda _i: services.posting_post(event=event, actor=accountant).pk)

    assert errors == []
    assert len(set(results)) == 1
    assert Voucher.objects.count() == 1
    assert OpenItem.objects.count() == 1
    assert PeriodTotal.objects.get(dimension__code=customers[0]).debit_amount == D("113.00")


def test_open_item_match_lets_one_win_when_two_receipts_race_beyond_open_amount(
    customers, accountant
):
    code = customers[0]
    services.posting_post(event=invoice("F1", code, D("100.00")), actor=accountant)
    services.posting_post(event=receipt("R1", code, D("70.00")), actor=accountant)
    services.posting_post(event=receipt("R2", code, D("70.00")), actor=accountant)
    invoice_item = OpenItem.objects.get(amount__gt=0)
    receipts = list(OpenItem.objects.filter(amount__lt=0).order_by("pk"))

    def settle(index: int) -> int:
        return services.open_item_match(
            actor=accountant,
            debit_item=invoice_item,
            credit_item=receipts[index],
            amount=D("70.00"),
            on=date(2026, 1, 25),
        ).pk

    results, errors = race(2, settle)

    assert len(results) == 1
    assert [type(e) for e in errors] == [OpenItemMatchExceeds]
    assert OpenItemMatch.objects.count() == 1
    assert selectors.open_amounts([invoice_item])[invoice_item.pk] == D("30.00")


def test_period_close_sees_every_posting_when_close_races_postings(
    customers, accountant, finance_manager
):
    period = Period.objects.get(year=2026, month=1)
    services.posting_post(event=invoice("F0", customers[0], D("50.00")), actor=accountant)
    posters = 4

    def work(index: int) -> str:
        if index == posters:
            # As `ledger close --transfers pnl` does: the carry-forward locks the month first, so
            # it and the close see the same postings.
            with transaction.atomic():
                services.transfer_post(actor=finance_manager, period=period, kind=TransferKind.PNL)
                services.period_close(actor=finance_manager, period=period)
            return "closed"
        outcomes = []
        for n in range(5):
            try:
                services.posting_post(
                    event=invoice(f"F{index}-{n}", customers[index], D("10.00")), actor=accountant
                )
                outcomes.append("posted")
            except PeriodClosed:
                outcomes.append("refused")
        return ",".join(outcomes)

    results, errors = race(posters + 1, work)

    assert errors == []
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED
    # What the close saw is what the period holds: its totals, lines and trial balance agree.
    posted = Voucher.objects.filter(
        period=period, status=VoucherStatus.POSTED, source_type="invoicing.invoice"
    ).count()
    outcomes = ",".join(r for r in results if r != "closed").split(",")
    assert posted == 1 + outcomes.count("posted")
    assert outcomes.count("posted") + outcomes.count("refused") == posters * 5
    assert not Voucher.objects.filter(period=period, posted_at__gt=period.closed_at).exists()
    balance = selectors.trial_balance(period_from=period, period_to=period)
    assert balance.closing_debit == balance.closing_credit == D("50.00") + D("10.00") * (posted - 1)
    assert selectors.pnl_open_accounts(period=period) == []  # the carry-forward saw them all
    assert selectors.open_items_check(as_of=date(2026, 1, 31)) == []


def test_transfer_post_makes_one_voucher_when_two_runs_race(customers, accountant):
    services.posting_post(event=invoice("F1", customers[0], D("113.00")), actor=accountant)
    period = Period.objects.get(year=2026, month=1)

    def carry_forward(_index: int) -> int | None:
        voucher = services.transfer_post(actor=accountant, period=period, kind=TransferKind.PNL)
        return voucher.pk if voucher else None

    results, errors = race(2, carry_forward)

    assert errors == []
    assert sorted(results, key=lambda r: r is None)[1] is None  # the second found nothing left
    assert Voucher.objects.filter(source_type="ledger.transfer.pnl").count() == 1
    assert selectors.pnl_open_accounts(period=period) == []
