"""The ageing against a computation by hand: random books (invoices, receipts, advances, matches
made and undone on random days), every customer's buckets and total recomputed in Python from
the items and the matches as they stood on the day, and compared row by row, in order, with the
full report, its pages and its stream, on both databases."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

import pytest

from suanpan.ledger import calculations, selectors, services
from suanpan.ledger.calculations import Bucket
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Account, OpenItem, OpenItemMatch
from suanpan.ledger.types import PostingEvent, RoleLine
from tests.ledger.builders import invoice_event, receipt_event

pytestmark = pytest.mark.django_db
D = Decimal
FIRST = date(2026, 1, 1)
LAST = date(2026, 3, 31)
CUSTOMERS = [f"KH-{index:06d}" for index in range(1, 9)]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _advance_event(number: str, amount: str, *, on: date, customer: str) -> PostingEvent:
    """A receipt kept as an advance: an open item on another open-item account, which the
    receivable's ageing must leave out."""
    return PostingEvent(
        source_type="receivables.receipt",
        source_id=number,
        event="received",
        date=on,
        summary=f"预收 {number}",
        word="收",
        lines=(
            RoleLine(AccountRole.BANK, debit=D(amount)),
            RoleLine(AccountRole.CUSTOMER_ADVANCE, credit=D(amount), dimension_code=customer),
        ),
    )


@pytest.fixture
def random_books(books, accountant):
    """Seeded random books: 60 invoices and 25 receipts of eight customers (the last owes
    nothing after its receipt), 5 advances, matches made and undone on days in order."""
    rng = random.Random(20261204)
    for code in CUSTOMERS:
        services.dimension_upsert(kind="customer", code=code, name=f"随机客户{code[-2:]}")
    events = []
    for number in range(60):
        on = _day(rng, FIRST, LAST)
        events.append(
            invoice_event(
                f"F{number}",
                f"{rng.randint(1, 2_000_000) / 100:.2f}",
                on=on,
                due=on + timedelta(days=rng.choice([0, 10, 30, 45, 90, 200])),
                customer=rng.choice(CUSTOMERS[:-1]),
            )
        )
    for number in range(25):
        events.append(
            receipt_event(
                f"R{number}",
                f"{rng.randint(1, 1_000_000) / 100:.2f}",
                on=_day(rng, FIRST, LAST),
                customer=rng.choice(CUSTOMERS[:-1]),
            )
        )
    events.append(invoice_event("F-LAST", "88.00", on=date(2026, 1, 5), customer=CUSTOMERS[-1]))
    events.append(receipt_event("R-LAST", "88.00", on=date(2026, 2, 5), customer=CUSTOMERS[-1]))
    for number in range(5):
        events.append(
            _advance_event(
                f"A{number}", "500.00", on=_day(rng, FIRST, LAST), customer=rng.choice(CUSTOMERS)
            )
        )
    for event in sorted(events, key=lambda e: e.date):
        services.posting_post(event=event, actor=accountant)

    receivable = Account.objects.get(code="1122.01")
    # Matches and undos on days in order, as the books only move forward: 30 matches, and an
    # undo in one turn of four where there is a match to undo.
    made: list[OpenItemMatch] = []
    undone = 0
    for turn, on in enumerate(sorted(_day(rng, FIRST, LAST) for _ in range(40))):
        live = [m for m in made if m.undone_on is None and m.matched_on <= on]
        if turn % 4 == 3 and live:
            match = rng.choice(live)
            services.open_item_unmatch(actor=accountant, match=match, on=on)
            match.refresh_from_db()
            undone += 1
            continue
        items = list(
            OpenItem.objects.filter(account=receivable, posted_on__lte=on).exclude(open_amount=0)
        )
        debits = [i for i in items if i.amount > 0]
        if not debits:
            continue
        debit = rng.choice(debits)
        credits = [i for i in items if i.amount < 0 and i.dimension_id == debit.dimension_id]
        if not credits:
            continue
        credit = rng.choice(credits)
        room = min(debit.open_amount, -credit.open_amount)
        made.append(
            services.open_item_match(
                actor=accountant,
                debit_item=debit,
                credit_item=credit,
                amount=min(room, D(rng.randint(1, 1_500_000)) / 100),
                on=on,
            )
        )
    # Enough matches and undos to age as of days before, between and after them.
    assert len(made) >= 12 and undone >= 4, (len(made), undone)
    return receivable


def _by_hand(
    *, account_ids: set[int], as_of: date, basis: str, buckets: Sequence[Bucket]
) -> tuple[list[tuple[str, list[Decimal], Decimal]], list[Decimal], Decimal]:
    """(code, bucket amounts, total) per customer with anything in a bucket or a total, in
    code order; the bucket totals; the total — from each item's amount less its matches live
    on the day."""
    items = {
        item.pk: item
        for item in OpenItem.objects.select_related("dimension").filter(
            account_id__in=account_ids, posted_on__lte=as_of
        )
    }
    open_on = {pk: item.amount for pk, item in items.items()}
    for match in OpenItemMatch.objects.all():
        if match.matched_on > as_of or (match.undone_on is not None and match.undone_on <= as_of):
            continue
        if match.debit_item_id in open_on:
            open_on[match.debit_item_id] -= match.amount
        if match.credit_item_id in open_on:
            open_on[match.credit_item_id] += match.amount
    rows: dict[str, tuple[list[Decimal], list[Decimal]]] = {}
    for pk, item in items.items():
        amounts, total = rows.setdefault(item.dimension.code, ([D(0)] * len(buckets), [D(0)]))
        age = (as_of - (item.due_on if basis == "due" else item.posted_on)).days
        for index, bucket in enumerate(buckets):
            if bucket.low <= age and (bucket.high is None or age <= bucket.high):
                amounts[index] += open_on[pk]
        total[0] += open_on[pk]
    found = [
        (code, amounts, total[0])
        for code, (amounts, total) in sorted(rows.items())
        if total[0] or any(amounts)
    ]
    totals = [sum((r[1][index] for r in found), D(0)) for index in range(len(buckets))]
    return found, totals, sum((r[2] for r in found), D(0))


BUCKET_SETS = [
    calculations.DEFAULT_BUCKETS,
    calculations.buckets_from_days([30, 60, 90]),
    calculations.buckets_from_days([1]),
    calculations.buckets_from_days([7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84]),
    # Not from bounds: gaps and an overlap between buckets, which the report must keep.
    (Bucket("due in a week", -7, 0), Bucket("10-20", 10, 20), Bucket("15-40", 15, 40)),
]


def test_ageing_equals_the_computation_by_hand_when_books_are_random(random_books, accounts):
    days = [date(2025, 12, 31), date(2026, 1, 17), date(2026, 2, 14), date(2026, 3, 3), LAST]
    days.append(date(2026, 5, 31))
    for account in (random_books, accounts["1122"]):  # a leaf, and a parent of several
        ids = {a.pk for a in Account.objects.filter(code__startswith=account.code)}
        for as_of in days:
            for basis in ("due", "posting"):
                for buckets in BUCKET_SETS:
                    rows, totals, total = _by_hand(
                        account_ids=ids, as_of=as_of, basis=basis, buckets=buckets
                    )
                    asked = {"as_of": as_of, "account": account, "buckets": buckets}
                    report = selectors.ageing(**asked, basis=basis)
                    where = (account.code, as_of, basis, [b.label for b in buckets])

                    assert [(r.code, r.amounts, r.total) for r in report.rows] == rows, where
                    assert (report.totals, report.total) == (totals, total), where
                    assert report.total == selectors.account_balance(account=account, as_of=as_of)

                    pages = [
                        selectors.ageing_page(**asked, basis=basis, number=number, per_page=3)
                        for number in range(1, 1 + max(1, -(-len(rows) // 3)))
                    ]
                    assert [row for page in pages for row in page.rows] == report.rows, where
                    for page in pages:
                        assert (page.count, page.totals, page.total) == (
                            len(rows),
                            totals,
                            total,
                        ), where

                    stream = selectors.AgeingStream(**asked, basis=basis, chunk=4)
                    assert list(stream) == report.rows, where
                    assert stream.totals is not None
                    assert (stream.totals.totals, stream.totals.total) == (totals, total), where


def test_ageing_of_one_customer_equals_its_row_when_dimension_given(random_books):
    for as_of in (date(2026, 2, 14), LAST):
        report = selectors.ageing(as_of=as_of, account=random_books)
        for row in report.rows:
            dimension = selectors.dimension_by_code(kind="customer", code=row.code)
            alone = selectors.ageing(as_of=as_of, account=random_books, dimension=dimension)

            assert alone.rows == [row]
            assert (alone.total, alone.totals) == (row.total, row.amounts)
