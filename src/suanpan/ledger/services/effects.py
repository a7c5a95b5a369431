"""What posting adds: numbers, the hash chain, period totals and open items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Protocol

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from suanpan.core.models import DocumentSequence
from suanpan.core.numbering import sequence_reserve
from suanpan.ledger import calculations
from suanpan.ledger.calculations import GENESIS_HASH, ZERO, ChainLine, ChainVoucher
from suanpan.ledger.choices import (
    VoucherStatus,
)
from suanpan.ledger.models import (
    Account,
    OpenItem,
    PeriodTotal,
    Voucher,
    VoucherLine,
)
from suanpan.users.models import User

CHAIN_SERIES = "voucher-chain"


def chain_line(line: VoucherLine) -> ChainLine:
    """A saved or unsaved line as the hash chain reads it."""
    return ChainLine(
        line_no=line.line_no,
        account_code=line.account.code,
        dimension_code=line.dimension.code if line.dimension else "",
        summary=line.summary,
        debit=Decimal(line.debit_amount),
        credit=Decimal(line.credit_amount),
        due_on=line.due_on,
    )


def chain_voucher(
    voucher: Voucher, lines: Iterable[ChainLine], *, reverses_chain_seq: int | None
) -> ChainVoucher:
    """A voucher and its lines as the hash chain reads them, at posting and in verification."""
    return ChainVoucher(
        chain_seq=voucher.chain_seq or 0,
        period_key=voucher.period.key,
        word=voucher.word,
        number=voucher.number or 0,
        date=voucher.date,
        summary=voucher.summary,
        source_event=voucher.source_event or "",
        reverses_chain_seq=reverses_chain_seq,
        lines=tuple(lines),
    )


def _chain_assign(entries: Sequence[tuple[Voucher, Sequence[VoucherLine]]], *, actor: User) -> None:
    """Number, chain and mark vouchers posted, in memory; the caller writes them.

    Numbers are reserved per word and period in one locked step each, and the chain position
    for the whole batch at once, so a batch costs a constant number of locks. The vouchers and
    lines need not be saved yet: the batch path inserts them already posted.
    """
    now = timezone.now()
    groups: dict[tuple[str, str], list[Voucher]] = defaultdict(list)
    for voucher, _lines in entries:
        groups[(voucher.word, voucher.period.key)].append(voucher)
    for (word, period_key), vouchers in sorted(groups.items()):
        first, _head = _sequence_take(f"voucher-{word}", period_key, len(vouchers))
        for offset, voucher in enumerate(vouchers):
            voucher.number = first + offset
    first_seq, prev_hash = _sequence_take(CHAIN_SERIES, "", len(entries), chain_head=True)
    reversed_ids = [v.reverses_id for v, _l in entries if v.reverses_id]
    reversed_seq = (
        dict(Voucher.objects.filter(pk__in=reversed_ids).values_list("pk", "chain_seq"))
        if reversed_ids
        else {}
    )
    for offset, (voucher, lines) in enumerate(entries):
        voucher.chain_seq = first_seq + offset
        voucher.prev_hash = prev_hash
        voucher.hash = calculations.chain_hash(
            prev_hash,
            chain_voucher(
                voucher,
                [chain_line(line) for line in lines],
                reverses_chain_seq=reversed_seq.get(voucher.reverses_id or 0),
            ),
        )
        prev_hash = voucher.hash
        voucher.status = VoucherStatus.POSTED
        voucher.poster = actor
        voucher.posted_at = now


def _sequence_take(
    series: str, period: str, count: int, *, chain_head: bool = False
) -> tuple[int, str]:
    """Reserve `count` numbers of a sequence; return the first (and the chain head's hash).

    On PostgreSQL one `UPDATE … RETURNING` locks the row and takes the numbers in a single
    round trip, where `sequence_reserve` reads the row for update first; the chain's head hash
    comes back with it. A sequence met for the first time goes through `sequence_reserve`,
    which creates its row.
    """
    first = 0
    head: str | None = None
    if connection.vendor == "postgresql":
        table = DocumentSequence._meta.db_table
        vouchers = Voucher._meta.db_table
        head_sql = (
            f", (SELECT hash FROM {vouchers} WHERE chain_seq = next_value - %s - 1)"  # noqa: S608
            if chain_head
            else ""
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET next_value = next_value + %s"  # noqa: S608 - table names from the models, values are parameters
                f" WHERE series = %s AND period = %s RETURNING next_value - %s{head_sql}",
                [count, series, period, count, *([count] if chain_head else [])],
            )
            row = cursor.fetchone()
        if row is not None:
            first = row[0]
            head = row[1] if chain_head else None
    if not first:
        first = sequence_reserve(series=series, period=period, count=count)
    if not chain_head or first == 1:
        return first, GENESIS_HASH
    if head is None:
        # The statement's snapshot predates a head committed while it waited for the lock;
        # a new statement sees it.
        head = Voucher.objects.filter(chain_seq=first - 1).values_list("hash", flat=True).first()
    return first, head or GENESIS_HASH


POSTED_FIELDS = ["number", "chain_seq", "prev_hash", "hash", "status", "poster", "posted_at"]


def _post_saved(voucher: Voucher, lines: Sequence[VoucherLine], *, actor: User) -> None:
    """Post one voucher whose draft and lines are saved (manual vouchers, reversals)."""
    _chain_assign([(voucher, lines)], actor=actor)
    voucher.save(update_fields=POSTED_FIELDS)
    _post_effects([(voucher, lines)])


class _HasSource(Protocol):
    @property
    def source_type(self) -> str: ...
    @property
    def source_id(self) -> str: ...


def item_source(line: _HasSource, voucher: _HasSource) -> tuple[str, str]:
    """The document an open item names: the line's own when a voucher posts for several
    (a batch of settlements), else the voucher's."""
    if line.source_id:
        return line.source_type or voucher.source_type, line.source_id
    return voucher.source_type, voucher.source_id


def _post_effects(
    entries: Sequence[tuple[Voucher, Sequence[VoucherLine]]],
    *,
    inputs: Sequence[Sequence[_HasSource]] | None = None,
    settled: Mapping[tuple[str, int], Decimal] | None = None,
) -> None:
    """What posting adds beside the voucher: period totals and open items. `inputs`, the
    lines as posted (parallel to `entries`), carry the lines' own sources; `settled` (event
    key, line number → amount) opens those lines' items already settled by that much."""
    accounts = {line.account_id: line.account for _v, lines in entries for line in lines}
    _totals_add(entries)
    _open_items_create(entries, accounts=accounts, inputs=inputs, settled=settled or {})


def _totals_add(entries: Sequence[tuple[Voucher, Sequence[VoucherLine]]]) -> None:
    sums: dict[tuple[int, int, int | None], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for voucher, lines in entries:
        period_id = voucher.period_id
        for line in lines:
            key = (period_id, line.account_id, line.dimension_id)
            sums[key][0] += Decimal(line.debit_amount)
            sums[key][1] += Decimal(line.credit_amount)
    if connection.vendor == "postgresql":
        _totals_upsert(sums)
        return
    # Elsewhere (SQLite) a write transaction holds the database lock: read, add, write back.
    existing = {
        (t.period_id, t.account_id, t.dimension_id): t
        for t in PeriodTotal.objects.filter(
            period_id__in={k[0] for k in sums},
            account_id__in={k[1] for k in sums},
        ).filter(Q(dimension_id__in={k[2] for k in sums if k[2]}) | Q(dimension_id__isnull=True))
    }
    new = []
    for key, (debit, credit) in sums.items():
        total = existing.get(key)
        if total is None:
            new.append(
                PeriodTotal(
                    period_id=key[0],
                    account_id=key[1],
                    dimension_id=key[2],
                    debit_amount=debit,
                    credit_amount=credit,
                )
            )
        else:
            total.debit_amount += debit
            total.credit_amount += credit
    PeriodTotal.objects.bulk_create(new)
    changed = [t for k, t in existing.items() if k in sums]
    if changed:
        PeriodTotal.objects.bulk_update(changed, ["debit_amount", "credit_amount"])


def _totals_upsert(sums: Mapping[tuple[int, int, int | None], list[Decimal]]) -> None:
    """Add movements to PostgreSQL's period totals in one INSERT … ON CONFLICT per 1,000 rows.

    Only the rows a batch touches are locked, in key order, so concurrent postings into the
    same month wait for each other only where they share an account and customer.
    """
    table = PeriodTotal._meta.db_table
    keys = sorted(sums, key=lambda k: (k[0], k[1], k[2] or 0))
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
        params: list[int | None] = []
        for period_id, account_id, dimension_id in chunk:
            debit, credit = sums[(period_id, account_id, dimension_id)]
            params += [period_id, account_id, dimension_id, int(debit * 100), int(credit * 100)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (period_id, account_id, dimension_id, debit_amount, "  # noqa: S608 - table name from the model, values are parameters
                f"credit_amount) VALUES {values} ON CONFLICT (period_id, account_id, dimension_id) "
                f"DO UPDATE SET debit_amount = {table}.debit_amount + EXCLUDED.debit_amount, "
                f"credit_amount = {table}.credit_amount + EXCLUDED.credit_amount",
                params,
            )


def _open_items_create(
    entries: Sequence[tuple[Voucher, Sequence[VoucherLine]]],
    *,
    accounts: Mapping[int, Account],
    inputs: Sequence[Sequence[_HasSource]] | None = None,
    settled: Mapping[tuple[str, int], Decimal],
) -> None:
    items = []
    for index, (voucher, lines) in enumerate(entries):
        posted = inputs[index] if inputs is not None else None
        for number, line in enumerate(lines):
            if not accounts[line.account_id].is_open_item:
                continue
            source_type, source_id = (
                item_source(posted[number], voucher)
                if posted is not None
                else (voucher.source_type, voucher.source_id)
            )
            amount = Decimal(line.debit_amount) - Decimal(line.credit_amount)
            taken = settled.get((voucher.source_event or "", line.line_no), ZERO)
            items.append(
                OpenItem(  # type: ignore[misc]  # open-item accounts require one
                    line=line,
                    account_id=line.account_id,
                    dimension_id=line.dimension_id,
                    posted_on=voucher.date,
                    due_on=line.due_on or voucher.date,
                    amount=amount,
                    open_amount=amount - taken if amount > 0 else amount + taken,
                    source_type=source_type,
                    source_id=source_id,
                    voucher_number=voucher.display_number,
                    summary=line.summary,
                )
            )
    if items:
        OpenItem.objects.bulk_create(items)
