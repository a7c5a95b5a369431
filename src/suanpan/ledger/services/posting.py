"""Business events posted in account roles, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from suanpan.ledger.errors import (
    VoucherInvalid,
)
from suanpan.ledger.models import (
    Period,
    Voucher,
    VoucherLine,
)
from suanpan.ledger.services.cash_flow import cash_flow_tags_fill
from suanpan.ledger.services.effects import _chain_assign, _post_effects
from suanpan.ledger.services.fast_path import _events_post_fast, _Fallback, _fast_path_available
from suanpan.ledger.services.lines import _line_rows, _lines_validate, _Resolver
from suanpan.ledger.services.periods import period_for_posting
from suanpan.ledger.types import PostingEvent, Role
from suanpan.users.models import User


def posting_post(*, event: PostingEvent, actor: User) -> Voucher:
    """Post one business event in account roles, inside the caller's transaction.

    Idempotent: the same source event posted twice returns the first voucher.
    """
    return posting_post_batch(events=[event], actor=actor)[0]


# Events that move money carry a cash-flow item from the mapping; the others cost nothing more.
CASH_ROLES = frozenset({Role.CASH, Role.BANK})


@transaction.atomic
def posting_post_batch(*, events: Sequence[PostingEvent], actor: User) -> list[Voucher]:
    """Post many events at once (the batch path): same rules, constant locks per batch."""
    vouchers = _post(events, actor=actor)
    if any(line.role in CASH_ROLES for event in events for line in event.lines):
        cash_flow_tags_fill(vouchers=vouchers)
    return vouchers


def _post(
    events: Sequence[PostingEvent],
    *,
    actor: User,
    settled: Mapping[tuple[str, int], Decimal] | None = None,
) -> list[Voucher]:
    """`posting_post_batch`; with `settled` (event key, line number → amount) the events
    must all be new and those lines' items open already settled by that much, for the
    matches `posting_post_matched` makes next. Moves no cash: the caller fills cash-flow
    items where the events move money."""
    keys = [e.key for e in events]
    if len(set(keys)) != len(keys):
        raise VoucherInvalid(fields={"events": [_("The batch names an event twice.")]})
    if events and _fast_path_available():
        try:
            return _events_post_fast(events, keys=keys, actor=actor, settled=settled)
        except _Fallback:
            pass
    try:
        with transaction.atomic():
            return _events_post(events, keys=keys, actor=actor, settled=settled)
    except IntegrityError:
        # Two transactions posting the same event both found no voucher for it; the unique
        # source event stopped the second. Once more: now it finds the first one's voucher.
        return _events_post(events, keys=keys, actor=actor, settled=settled)


def _events_post(
    events: Sequence[PostingEvent],
    *,
    keys: Sequence[str],
    actor: User,
    settled: Mapping[tuple[str, int], Decimal] | None = None,
) -> list[Voucher]:
    existing = {v.source_event: v for v in Voucher.objects.filter(source_event__in=keys)}
    if existing and settled:
        # Its items were opened, and may be settled, already: settling at posting cannot
        # apply to them.
        raise VoucherInvalid(fields={"events": [_("An event to settle is posted already.")]})
    pending = [e for e in events if e.key not in existing]
    if pending:
        resolver = _Resolver(line.role for event in pending for line in event.lines)
        resolver.preload(pending)
        resolved = [(event, [resolver.line(line) for line in event.lines]) for event in pending]
        # Looked up once per batch, not once per event: parent accounts and periods.
        periods: dict[date, Period] = {}
        prepared = []
        for event, inputs in resolved:
            _lines_validate(inputs, red=event.red, parents=resolver.parents)
            month = event.date.replace(day=1)
            if month not in periods:
                periods[month] = period_for_posting(event.date)
            prepared.append((event, inputs, periods[month]))
        entries: list[tuple[Voucher, list[VoucherLine]]] = []
        for event, inputs, period in prepared:
            voucher = Voucher(
                period=period,
                word=event.word,
                date=event.date,
                summary=event.summary,
                maker=actor,
                source_type=event.source_type,
                source_id=event.source_id,
                source_event=event.key,
            )
            entries.append((voucher, _line_rows(voucher, inputs)))
        # Numbered and chained first, so vouchers are inserted once, already posted.
        _chain_assign(entries, actor=actor)
        vouchers = Voucher.objects.bulk_create([v for v, _l in entries])
        VoucherLine.objects.bulk_create([line for _v, lines in entries for line in lines])
        _post_effects(
            entries,
            inputs=[inputs for _event, inputs, _period in prepared],
            settled=settled,
        )
        for voucher in vouchers:
            existing[voucher.source_event or ""] = voucher
    return [existing[key] for key in keys]
