"""The hash chain of posted vouchers, recomputed, and its newest links counted."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext as _

from suanpan.core.models import DocumentSequence
from suanpan.ledger import calculations
from suanpan.ledger.calculations import GENESIS_HASH, ChainLine, ChainVoucher
from suanpan.ledger.choices import VoucherStatus
from suanpan.ledger.models import Voucher, VoucherLine
from suanpan.ledger.services.effects import CHAIN_SERIES, chain_voucher

CHUNK = 1000


@dataclass(frozen=True)
class ChainBreak:
    """The first voucher where the chain does not hold, and why."""

    voucher_id: int | None  # None when the chain's newest links are missing
    voucher: str  # the number a person reads, e.g. 记-202601-0003 ("" for missing links)
    chain_seq: int
    reason: str  # "content" | "link" | "gap" | "tail"
    message: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    last_hash: str
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _chain_lines(voucher_ids: list[int]) -> dict[int, list[ChainLine]]:
    """The lines of a chunk of vouchers as the chain reads them, from one query of plain rows
    (no model instances: the walk reads every posted line of the books)."""
    lines: dict[int, list[ChainLine]] = defaultdict(list)
    rows = (
        VoucherLine.objects.filter(voucher_id__in=voucher_ids)
        .order_by("voucher_id", "line_no")
        .values_list(
            "voucher_id",
            "line_no",
            "account__code",
            "dimension__code",
            "summary",
            "debit_amount",
            "credit_amount",
            "due_on",
        )
    )
    for voucher_id, line_no, account, dimension, summary, debit, credit, due_on in rows:
        lines[voucher_id].append(
            ChainLine(line_no, account, dimension or "", summary, debit, credit, due_on)
        )
    return lines


def chain_verify(
    *, chunk_size: int = CHUNK, progress: Callable[[int], object] | None = None
) -> ChainReport:
    """Recompute the chain of posted vouchers; report the first break.

    Reads chunk by chunk (keyed on the chain position, a chunk's lines in one query of plain
    rows), so memory stays flat and the number of queries grows with the number of chunks
    only. The number of positions
    handed out is read first: a voucher posted while the walk runs lies beyond it, so only a
    chain that ends short of it is missing vouchers.
    """
    handed_out = _sequence_handed_out(CHAIN_SERIES, "")
    base = (
        Voucher.objects.filter(status=VoucherStatus.POSTED)
        .select_related("period")
        .annotate(reverses_seq=F("reverses__chain_seq"))
        .order_by("chain_seq")
    )
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    last_seq = 0
    while True:
        chunk = list(base.filter(chain_seq__gt=last_seq)[:chunk_size])
        if not chunk:
            return ChainReport(
                checked=checked, last_hash=prev_hash, broken=_tail_break(last_seq, handed_out)
            )
        lines = _chain_lines([voucher.pk for voucher in chunk])
        for voucher in chunk:
            seq = voucher.chain_seq or 0
            broken = None
            if seq != expected_seq:
                broken = ChainBreak(
                    voucher.pk,
                    voucher.display_number,
                    seq,
                    "gap",
                    _(
                        "chain positions %(first)s to %(last)s are missing before it: posted "
                        "vouchers were deleted or un-posted"
                    )
                    % {"first": expected_seq, "last": seq - 1},
                )
            elif voucher.prev_hash != prev_hash:
                broken = ChainBreak(
                    voucher.pk,
                    voucher.display_number,
                    seq,
                    "link",
                    _("its link to the previous voucher does not match that voucher's hash"),
                )
            elif calculations.chain_hash(prev_hash, _chained(voucher, lines)) != voucher.hash:
                broken = ChainBreak(
                    voucher.pk,
                    voucher.display_number,
                    seq,
                    "content",
                    _("its content (header or lines) was changed after posting"),
                )
            if broken is not None:
                return ChainReport(checked=checked, last_hash=prev_hash, broken=broken)
            prev_hash, expected_seq, last_seq = voucher.hash, seq + 1, seq
            checked += 1
        if progress:
            progress(len(chunk))


def _chained(voucher: Voucher, lines: dict[int, list[ChainLine]]) -> ChainVoucher:
    return chain_voucher(
        voucher,
        lines.get(voucher.pk, []),
        reverses_chain_seq=voucher.reverses_seq,  # type: ignore[attr-defined]
    )


def _sequence_handed_out(series: str, period: str) -> int:
    """How many numbers a sequence has handed out (0 before its first)."""
    next_value = (
        DocumentSequence.objects.filter(series=series, period=period)
        .values_list("next_value", flat=True)
        .first()
    )
    return (next_value or 1) - 1


def _tail_break(last_seq: int, handed_out: int) -> ChainBreak | None:
    if last_seq >= handed_out:
        return None
    return ChainBreak(
        None,
        "",
        last_seq + 1,
        "tail",
        _(
            "chain positions %(first)s to %(last)s were handed out but no posted voucher "
            "holds them: the newest posted vouchers were deleted or un-posted"
        )
        % {"first": last_seq + 1, "last": handed_out},
    )
