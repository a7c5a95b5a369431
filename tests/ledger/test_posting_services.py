"""The posting service's batch path: on PostgreSQL it writes vouchers, lines, open items and
period totals with a few raw statements, falling back to the general path for events already
posted and for months or series met for the first time. These tests hold both paths to the
same books; on SQLite only the general path runs and they hold it to the same rules."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from suanpan.core.models import DocumentSequence
from suanpan.ledger import selectors, services, verification
from suanpan.ledger.choices import AccountRole, PeriodStatus, VoucherStatus
from suanpan.ledger.errors import DimensionNotFound, PeriodClosed, VoucherUnbalanced
from suanpan.ledger.models import OpenItem, Period, PeriodTotal, Voucher, VoucherLine
from suanpan.ledger.services import posting
from suanpan.ledger.types import PostingEvent, RoleLine

pytestmark = pytest.mark.django_db
D = Decimal
JAN = date(2026, 1, 15)


def invoice(source_id: str, amount: str, *, summary: str = "", red: bool = False, on=JAN):
    gross = D(amount)
    net = (gross / D("1.13")).quantize(D("0.01"))
    return PostingEvent(
        source_type="invoicing.invoice",
        source_id=source_id,
        event="issued",
        date=on,
        summary=summary or f"发票 {source_id}",
        red=red,
        lines=(
            RoleLine(
                AccountRole.RECEIVABLE,
                debit=gross,
                dimension_code="KH-000001",
                due_on=date(2026, 2, 14),
                summary="应收",
            ),
            RoleLine(AccountRole.REVENUE, credit=net),
            RoleLine(AccountRole.VAT_OUTPUT, credit=gross - net),
        ),
    )


def receipt(source_id: str, amount: str, *, summary: str = "", on=JAN):
    return PostingEvent(
        source_type="receivables.receipt",
        source_id=source_id,
        event="received",
        date=on,
        summary=summary or f"收款 {source_id}",
        word="收",
        lines=(
            RoleLine(AccountRole.BANK, debit=D(amount)),
            RoleLine(AccountRole.RECEIVABLE, credit=D(amount), dimension_code="KH-000001"),
        ),
    )


def assert_books_agree() -> None:
    """Chain, numbers, period totals and open items all say what the posted lines say."""
    assert verification.chain_verify().ok
    posted = Voucher.objects.filter(status=VoucherStatus.POSTED)
    assert sorted(posted.values_list("chain_seq", flat=True)) == list(range(1, posted.count() + 1))
    by_series: dict[tuple[int, str], list[int]] = defaultdict(list)
    for period_id, word, number in posted.values_list("period_id", "word", "number"):
        by_series[(period_id, word)].append(number)
    for numbers in by_series.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    sums: dict[tuple[int, int, int | None], list[Decimal]] = defaultdict(lambda: [D(0), D(0)])
    for period_id, account_id, dimension_id, debit, credit in VoucherLine.objects.values_list(
        "voucher__period_id", "account_id", "dimension_id", "debit_amount", "credit_amount"
    ):
        sums[(period_id, account_id, dimension_id)][0] += debit
        sums[(period_id, account_id, dimension_id)][1] += credit
    totals = {
        (t.period_id, t.account_id, t.dimension_id): [t.debit_amount, t.credit_amount]
        for t in PeriodTotal.objects.all()
    }
    assert totals == dict(sums)
    for item in OpenItem.objects.select_related("line"):
        assert item.amount == item.line.debit_amount - item.line.credit_amount
    assert selectors.open_items_check(as_of=date(2026, 12, 31)) == []


def _books_of(vouchers: list[Voucher]) -> list[tuple]:
    """What a voucher says, without what differs between two postings of the same content."""
    rows = []
    for voucher in vouchers:
        stored = Voucher.objects.get(pk=voucher.pk)
        assert (stored.number, stored.chain_seq, stored.hash) == (
            voucher.number,
            voucher.chain_seq,
            voucher.hash,
        )
        assert str(voucher) == str(stored)
        assert stored.posted_at is not None
        assert stored.created_at is not None
        lines = list(
            stored.lines.order_by("line_no").values_list(
                "line_no",
                "account_id",
                "dimension_id",
                "summary",
                "debit_amount",
                "credit_amount",
                "due_on",
            )
        )
        items = list(
            OpenItem.objects.filter(line__voucher=stored)
            .order_by("line__line_no")
            .values_list(
                "account_id",
                "dimension_id",
                "posted_on",
                "due_on",
                "amount",
                "open_amount",
                "source_type",
                "summary",
                "voucher_number",
            )
        )
        assert all(item[-1] == str(stored) for item in items)
        rows.append(
            (
                stored.word,
                stored.date,
                stored.summary,
                stored.status,
                stored.maker_id,
                stored.poster_id,
                stored.reviewer_id,
                stored.attachments,
                stored.source_type,
                stored.period_id,
                lines,
                [item[:-1] for item in items],
            )
        )
    return rows


def test_posting_post_batch_writes_same_books_when_posted_by_either_path(
    accounts, customer_dim, accountant, monkeypatch
):
    # Given numbering series and a month that exist, so the fast path (PostgreSQL) may run
    services.posting_post_batch(
        events=[invoice("F0", "11.30"), receipt("R0", "1.00")], actor=accountant
    )

    def batch(prefix: str) -> list[PostingEvent]:
        return [
            invoice(f"{prefix}1", "113.00", summary="发票"),
            invoice(f"{prefix}2", "2260.00", summary="发票"),
            receipt(f"{prefix}3", "100.00", summary="收款"),
            invoice(f"{prefix}4", "-56.50", summary="红字发票", red=True),
        ]

    fast_runs: list[int] = []
    fast = posting._events_post_fast

    def counted(*args, **kwargs):
        vouchers = fast(*args, **kwargs)  # returns only when it wrote the batch itself
        fast_runs.append(len(vouchers))
        return vouchers

    monkeypatch.setattr(posting, "_events_post_fast", counted)

    # When one batch takes the default path and the same content the general path
    default = services.posting_post_batch(events=batch("A"), actor=accountant)
    assert fast_runs == ([4] if connection.vendor == "postgresql" else [])
    monkeypatch.setattr(posting, "_fast_path_available", lambda: False)
    general = services.posting_post_batch(events=batch("B"), actor=accountant)

    # Then both wrote the same books, numbered and chained one after the other
    assert _books_of(default) == _books_of(general)
    assert [v.number for v in default + general] == [2, 3, 2, 4, 5, 6, 3, 7]
    assert [v.chain_seq for v in default + general] == list(range(3, 11))
    assert_books_agree()


def test_posting_post_batch_returns_first_voucher_and_numbers_rest_when_batch_repeats_event(
    accounts, customer_dim, accountant
):
    first = services.posting_post(event=invoice("F1", "113.00"), actor=accountant)

    again, second, third = services.posting_post_batch(
        events=[invoice("F1", "113.00"), invoice("F2", "226.00"), invoice("F3", "339.00")],
        actor=accountant,
    )
    fourth = services.posting_post(event=invoice("F4", "452.00"), actor=accountant)

    assert again.pk == first.pk
    assert [v.number for v in (first, second, third, fourth)] == [1, 2, 3, 4]
    assert Voucher.objects.count() == 4
    assert DocumentSequence.objects.get(series="voucher-chain").next_value == 5
    assert_books_agree()


def test_posting_post_leaves_no_gap_when_postings_are_refused(accounts, customer_dim, accountant):
    services.posting_post(event=invoice("F1", "113.00"), actor=accountant)
    unbalanced = PostingEvent(
        source_type="x",
        source_id="1",
        event="e",
        date=JAN,
        summary="不平",
        lines=(
            RoleLine(AccountRole.BANK, debit=D("10.00")),
            RoleLine(AccountRole.REVENUE, credit=D("9.99")),
        ),
    )
    unknown = PostingEvent(
        source_type="x",
        source_id="2",
        event="e",
        date=JAN,
        summary="无此客户",
        lines=(
            RoleLine(AccountRole.RECEIVABLE, debit=D("10.00"), dimension_code="KH-999999"),
            RoleLine(AccountRole.REVENUE, credit=D("10.00")),
        ),
    )

    with pytest.raises(VoucherUnbalanced):
        services.posting_post(event=unbalanced, actor=accountant)
    with pytest.raises(DimensionNotFound):
        services.posting_post_batch(events=[invoice("F2", "1.13"), unknown], actor=accountant)
    Period.objects.filter(year=2026, month=1).update(status=PeriodStatus.CLOSED)
    with pytest.raises(PeriodClosed):
        services.posting_post(event=invoice("F3", "1.13"), actor=accountant)
    Period.objects.filter(year=2026, month=1).update(status=PeriodStatus.OPEN)
    last = services.posting_post(event=invoice("F4", "226.00"), actor=accountant)

    assert (last.number, last.chain_seq) == (2, 2)
    assert Voucher.objects.count() == 2
    assert_books_agree()


def test_posting_post_batch_keeps_awkward_text_and_line_sources_when_posted_by_either_path(
    accounts, customer_dim, accountant, monkeypatch
):
    # Given numbering series and a month that exist, so the fast path (PostgreSQL) may run
    services.posting_post_batch(events=[receipt("R0", "1.00")], actor=accountant)
    awkward = ['引号"与\\反斜杠', "逗号, {括号}", "NULL", "单引号 ' 与 \\N", " 前后空格 "]

    def batch(prefix: str) -> list[PostingEvent]:
        # One voucher for two documents: each line's open item names its own.
        return [
            PostingEvent(
                source_type="receivables.settlement_batch",
                source_id=f"{prefix}1",
                event="transfer",
                date=JAN,
                summary=awkward[0],
                word="收",
                lines=tuple(
                    RoleLine(
                        AccountRole.RECEIVABLE,
                        **{"debit" if n % 2 == 0 else "credit": D("10.00")},
                        dimension_code="KH-000001",
                        summary=text,
                        source_type="receivables.settlement",
                        source_id=f"{prefix}-{n // 2}",
                    )
                    for n, text in enumerate(awkward[1:])
                ),
            )
        ]

    fast_runs: list[int] = []
    fast = posting._events_post_fast

    def counted(*args, **kwargs):
        vouchers = fast(*args, **kwargs)
        fast_runs.append(len(vouchers))
        return vouchers

    monkeypatch.setattr(posting, "_events_post_fast", counted)
    default = services.posting_post_batch(events=batch("A"), actor=accountant)
    assert fast_runs == ([1] if connection.vendor == "postgresql" else [])
    monkeypatch.setattr(posting, "_fast_path_available", lambda: False)
    general = services.posting_post_batch(events=batch("B"), actor=accountant)

    assert _books_of(default) == _books_of(general)
    for voucher, prefix in ((default[0], "A"), (general[0], "B")):
        assert voucher.summary == awkward[0]
        items = OpenItem.objects.filter(line__voucher_id=voucher.pk).order_by("line__line_no")
        assert [(i.summary, i.source_type, i.source_id) for i in items] == [
            (text, "receivables.settlement", f"{prefix}-{n // 2}")
            for n, text in enumerate(awkward[1:])
        ]
    assert_books_agree()
