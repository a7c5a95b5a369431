"""The PostgreSQL path of posting_post_batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from suanpan.core.bulk import array_literal
from suanpan.ledger import calculations
from suanpan.ledger.calculations import GENESIS_HASH, ZERO, ChainLine, ChainVoucher
from suanpan.ledger.choices import (
    PeriodStatus,
    VoucherStatus,
)
from suanpan.ledger.errors import (
    LedgerNotSetUp,
    PeriodBeforeStart,
    PeriodClosed,
)
from suanpan.ledger.models import (
    Period,
    Voucher,
)
from suanpan.ledger.services.effects import CHAIN_SERIES, item_source
from suanpan.ledger.services.lines import _lines_validate, _Resolver
from suanpan.ledger.services.periods import _posting_ahead_check
from suanpan.ledger.types import PostingEvent
from suanpan.users.models import User

# The PostgreSQL path of posting_post_batch: the same rules in three round trips. One batch of
# statements locks the months and takes the numbers and chain positions, then checks (under
# those locks, so no concurrent posting of the same event can slip in between) that no event
# is posted yet and reads roles and customers; one statement of data-modifying CTEs writes the
# vouchers, lines, open items and period totals. Rows travel as arrays, not model instances.

_FAST_READ_PERIODS = (
    "SELECT p.id, p.year, p.month, p.status, p.closed_at, p.closed_by_id,"
    " (SELECT c.first_period FROM ledger_company c ORDER BY c.id LIMIT 1)"
    " FROM ledger_period p WHERE (p.year, p.month) IN ({months})"
    " ORDER BY p.year, p.month FOR UPDATE OF p"
)
_FAST_TAKE = (
    "UPDATE core_documentsequence SET next_value = next_value + %s"
    " WHERE series = %s AND period = %s RETURNING next_value - %s{head}"
)
_FAST_CHAIN_HEAD = ", (SELECT v.hash FROM ledger_voucher v WHERE v.chain_seq = next_value - %s - 1)"
_FAST_GIVE_BACK = "UPDATE core_documentsequence SET next_value = next_value - %s WHERE series = %s AND period = %s"
_FAST_READ_EXISTING = "SELECT count(*) FROM ledger_voucher WHERE source_event = ANY(%s::text[])"
_FAST_READ_ROLES = (
    "SELECT m.role, a.id, a.code, a.name, a.is_active, a.requires_customer, a.is_open_item,"
    " EXISTS (SELECT 1 FROM ledger_account c WHERE c.parent_id = a.id)"
    " FROM ledger_accountrolemap m JOIN ledger_account a ON a.id = m.account_id"
    " WHERE m.role = ANY(%s::text[])"
)
_FAST_READ_DIMENSIONS = (
    "SELECT d.id, d.kind, d.code, d.name, d.is_active FROM ledger_dimension d"
    " JOIN unnest(%s::text[], %s::text[]) AS w(kind, code) ON d.kind = w.kind AND d.code = w.code"
)
_FAST_WRITE = """
WITH v AS (
    INSERT INTO ledger_voucher (period_id, word, number, date, summary, attachments, status,
        maker_id, poster_id, posted_at, source_type, source_id, source_event, chain_seq,
        prev_hash, hash, created_at)
    SELECT x.period_id, x.word, x.number, x.date, x.summary, 0, %s, %s, %s, %s, x.source_type,
        x.source_id, x.source_event, x.chain_seq, x.prev_hash, x.hash, %s
    FROM unnest(%s::bigint[], %s::text[], %s::int[], %s::date[], %s::text[], %s::text[],
        %s::text[], %s::text[], %s::bigint[], %s::text[], %s::text[])
        AS x(period_id, word, number, date, summary, source_type, source_id, source_event,
            chain_seq, prev_hash, hash)
    RETURNING id, chain_seq
), l AS (
    INSERT INTO ledger_voucherline (voucher_id, line_no, account_id, dimension_id, summary,
        debit_amount, credit_amount, due_on)
    SELECT v.id, x.line_no, x.account_id, x.dimension_id, x.summary, x.debit, x.credit, x.due_on
    FROM unnest(%s::bigint[], %s::int[], %s::bigint[], %s::bigint[], %s::text[], %s::bigint[],
        %s::bigint[], %s::date[])
        AS x(chain_seq, line_no, account_id, dimension_id, summary, debit, credit, due_on)
    JOIN v ON v.chain_seq = x.chain_seq
    RETURNING id, voucher_id, line_no
), o AS (
    INSERT INTO ledger_openitem (line_id, account_id, dimension_id, posted_on, due_on, amount,
        open_amount, source_type, source_id, voucher_number, summary)
    SELECT l.id, x.account_id, x.dimension_id, x.posted_on, x.due_on, x.amount, x.open_amount,
        x.source_type, x.source_id, x.voucher_number, x.summary
    FROM unnest(%s::bigint[], %s::int[], %s::bigint[], %s::bigint[], %s::date[], %s::date[],
        %s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
        AS x(chain_seq, line_no, account_id, dimension_id, posted_on, due_on, amount,
            open_amount, source_type, source_id, voucher_number, summary)
    JOIN v ON v.chain_seq = x.chain_seq
    JOIN l ON l.voucher_id = v.id AND l.line_no = x.line_no
    RETURNING 1
), t AS (
    INSERT INTO ledger_periodtotal AS t (period_id, account_id, dimension_id, debit_amount,
        credit_amount)
    SELECT x.period_id, x.account_id, x.dimension_id, x.debit, x.credit
    FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[])
        WITH ORDINALITY AS x(period_id, account_id, dimension_id, debit, credit, n)
    ORDER BY x.n
    ON CONFLICT (period_id, account_id, dimension_id) DO UPDATE
    SET debit_amount = t.debit_amount + EXCLUDED.debit_amount,
        credit_amount = t.credit_amount + EXCLUDED.credit_amount
    RETURNING 1
)
SELECT v.chain_seq, v.id FROM v
"""


class _Fallback(Exception):
    """The fast path met something only the general path handles (a posted event, a new month
    or numbering series); it gave back what it took and the general path takes over."""


def _fast_path_available() -> bool:
    """PostgreSQL with client-side binding (Django's default), which the read batch needs."""
    return connection.vendor == "postgresql" and not connection.settings_dict.get(
        "OPTIONS", {}
    ).get("server_side_binding")


def _fen(amount: Decimal) -> int:
    return int(amount.scaleb(2))


def _events_post_fast(
    events: Sequence[PostingEvent],
    *,
    keys: Sequence[str],
    actor: User,
    settled: Mapping[tuple[str, int], Decimal] | None = None,
) -> list[Voucher]:
    """Post events that are all new, into months and series that exist: PostgreSQL only.
    `settled` (event key, line number → amount) opens those lines' items already settled by
    that much, for the matches the caller makes next (`posting_post_matched`)."""
    months = sorted({(e.date.year, e.date.month) for e in events})
    groups: dict[tuple[str, str], int] = defaultdict(int)
    for event in events:
        groups[(event.word, f"{event.date.year}{event.date.month:02d}")] += 1
    takes = [(f"voucher-{word}", period, count) for (word, period), count in sorted(groups.items())]
    wanted = sorted(
        {(x.dimension_kind, x.dimension_code) for e in events for x in e.lines if x.dimension_code}
    )
    roles = sorted({x.role for e in events for x in e.lines})
    statements = [_FAST_READ_PERIODS.format(months=", ".join(["(%s, %s)"] * len(months)))]
    params: list[Any] = [part for month in months for part in month]
    for series, month_key, count in takes:
        statements.append(_FAST_TAKE.format(head=""))
        params += [count, series, month_key, count]
    statements.append(_FAST_TAKE.format(head=_FAST_CHAIN_HEAD))
    params += [len(events), CHAIN_SERIES, "", len(events), len(events)]
    statements += [_FAST_READ_EXISTING, _FAST_READ_ROLES, _FAST_READ_DIMENSIONS]
    params += map(array_literal, (keys, roles, [k for k, _c in wanted], [c for _k, c in wanted]))
    with connection.cursor() as cursor:
        # One round trip: Django's PostgreSQL cursors bind on the client, which allows several
        # statements per execute.
        cursor.execute("; ".join(statements), params)
        period_rows = cursor.fetchall()
        firsts: list[int | None] = []
        for _take in takes:
            cursor.nextset()
            taken_row = cursor.fetchone()
            firsts.append(taken_row[0] if taken_row else None)
        cursor.nextset()
        chain_row = cursor.fetchone()
        cursor.nextset()
        (posted_count,) = cursor.fetchone()
        cursor.nextset()
        role_rows = cursor.fetchall()
        cursor.nextset()
        dimension_rows = cursor.fetchall()
        taken = [(take, first) for take, first in zip(takes, firsts, strict=True) if first]
        if chain_row is not None:
            taken.append(((CHAIN_SERIES, "", len(events)), chain_row[0]))
        if posted_count or len(period_rows) != len(months) or len(taken) != len(takes) + 1:
            for (series, month_key, count), _first in taken:
                cursor.execute(_FAST_GIVE_BACK, [count, series, month_key])
            raise _Fallback()
    resolver = _Resolver.from_rows(role_rows, dimension_rows)
    periods = {
        (row[1], row[2]): Period(
            id=row[0],
            year=row[1],
            month=row[2],
            status=row[3],
            closed_at=row[4],
            closed_by_id=row[5],
        )
        for row in period_rows
    }
    first_period: date | None = period_rows[0][6]
    # The general path's order of refusals: every line resolved, then each event checked.
    resolved = [(event, [resolver.line(line) for line in event.lines]) for event in events]
    for event, inputs in resolved:
        _lines_validate(inputs, red=event.red, parents=resolver.parents)
        if first_period is None:
            raise LedgerNotSetUp()
        if event.date.replace(day=1) < first_period:
            raise PeriodBeforeStart(
                date=event.date.isoformat(), period=first_period.strftime("%Y%m")
            )
        _posting_ahead_check(event.date, first_period)
        period = periods[(event.date.year, event.date.month)]
        if period.status == PeriodStatus.CLOSED:
            raise PeriodClosed(period=period.key)

    # Every series answered (or the fast path fell back above), in the order of `takes`.
    next_number = {key: first or 0 for key, first in zip(sorted(groups), firsts, strict=True)}
    chain_seq: int = chain_row[0]
    prev_hash: str | None = GENESIS_HASH if chain_seq == 1 else chain_row[1]
    if prev_hash is None:
        # The statement's snapshot predates a head committed while it waited for the lock.
        prev_hash = (
            Voucher.objects.filter(chain_seq=chain_seq - 1).values_list("hash", flat=True).first()
            or GENESIS_HASH
        )
    now = timezone.now()
    vouchers: list[Voucher] = []
    v_cols: list[list[Any]] = [[] for _i in range(11)]
    l_cols: list[list[Any]] = [[] for _i in range(8)]
    o_cols: list[list[Any]] = [[] for _i in range(12)]
    sums: dict[tuple[int, int, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for event, inputs in resolved:
        period = periods[(event.date.year, event.date.month)]
        period_key = period.key
        number_key = (event.word, period_key)
        number = next_number[number_key]
        next_number[number_key] = number + 1
        voucher_number = f"{event.word}-{period_key}-{number:04d}"
        chain_lines = []
        for line_no, line in enumerate(inputs, start=1):
            account = line.account
            dimension = line.dimension
            dimension_id = dimension.pk if dimension is not None else None
            summary = line.summary or event.summary
            debit, credit = _fen(line.debit), _fen(line.credit)
            chain_lines.append(
                ChainLine(
                    line_no=line_no,
                    account_code=account.code,
                    dimension_code=dimension.code if dimension is not None else "",
                    summary=summary,
                    debit=line.debit,
                    credit=line.credit,
                    due_on=line.due_on,
                )
            )
            for column, value in zip(
                l_cols,
                (chain_seq, line_no, account.pk, dimension_id, summary, debit, credit, line.due_on),
                strict=True,
            ):
                column.append(value)
            total = sums[(period.pk, account.pk, dimension_id)]
            total[0] += debit
            total[1] += credit
            if account.is_open_item:
                amount = debit - credit
                settled_fen = _fen(settled.get((event.key, line_no), ZERO)) if settled else 0
                item = (
                    chain_seq,
                    line_no,
                    account.pk,
                    dimension_id,
                    event.date,
                    line.due_on or event.date,
                    amount,
                    amount - settled_fen if amount > 0 else amount + settled_fen,
                    *item_source(line, event),
                    voucher_number,
                    summary,
                )
                for column, value in zip(o_cols, item, strict=True):
                    column.append(value)
        voucher_hash = calculations.chain_hash(
            prev_hash,
            ChainVoucher(
                chain_seq=chain_seq,
                period_key=period_key,
                word=event.word,
                number=number,
                date=event.date,
                summary=event.summary,
                source_event=event.key,
                reverses_chain_seq=None,
                lines=tuple(chain_lines),
            ),
        )
        row = (
            period.pk,
            event.word,
            number,
            event.date,
            event.summary,
            event.source_type,
            event.source_id,
            event.key,
            chain_seq,
            prev_hash,
            voucher_hash,
        )
        for column, cell in zip(v_cols, row, strict=True):
            column.append(cell)
        vouchers.append(
            Voucher(
                period=period,
                word=event.word,
                number=number,
                date=event.date,
                summary=event.summary,
                status=VoucherStatus.POSTED,
                maker=actor,
                poster=actor,
                posted_at=now,
                source_type=event.source_type,
                source_id=event.source_id,
                source_event=event.key,
                chain_seq=chain_seq,
                prev_hash=prev_hash,
                hash=voucher_hash,
                created_at=now,
            )
        )
        prev_hash = voucher_hash
        chain_seq += 1
    # Period totals in key order, so concurrent postings lock shared rows in the same order.
    keys_sorted = sorted(sums, key=lambda k: (k[0], k[1], k[2] or 0))
    t_cols: list[list[Any]] = [
        [k[0] for k in keys_sorted],
        [k[1] for k in keys_sorted],
        [k[2] for k in keys_sorted],
        [sums[k][0] for k in keys_sorted],
        [sums[k][1] for k in keys_sorted],
    ]
    columns: list[list[Any]] = [*v_cols, *l_cols, *o_cols, *t_cols]
    with connection.cursor() as cursor:
        write_params: list[Any] = [
            VoucherStatus.POSTED.value,
            actor.pk,
            actor.pk,
            now,
            now,
            # Each column as one array literal: psycopg would quote a list element by element,
            # the larger part of a thousand-line batch's time.
            *[array_literal(column) for column in columns],
        ]
        cursor.execute(_FAST_WRITE, write_params)
        ids = dict(cursor.fetchall())
    alias = connection.alias
    for voucher in vouchers:
        voucher.pk = ids[voucher.chain_seq]
        voucher._state.adding = False
        voucher._state.db = alias
    return vouchers
