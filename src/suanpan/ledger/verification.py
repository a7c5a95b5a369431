"""Proofs that the books are what was posted: the voucher hash chain and the open-item table.

`chain_verify` recomputes every posted voucher's hash from the rows as they are now, in chain
order, and stops at the first voucher whose content, link or chain position does not match:
an edit made behind the application's back (raw SQL, a restored backup) shows there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, Prefetch
from django.utils.translation import gettext as _

from suanpan.ledger import calculations, selectors
from suanpan.ledger.calculations import GENESIS_HASH, ChainVoucher
from suanpan.ledger.choices import VoucherStatus
from suanpan.ledger.models import Account, Dimension, Voucher, VoucherLine
from suanpan.ledger.services.effects import chain_voucher

CHUNK = 1000


@dataclass(frozen=True)
class ChainBreak:
    """The first voucher where the chain does not hold, and why."""

    voucher_id: int
    voucher: str  # the number a person reads, e.g. 记-202601-0003
    chain_seq: int
    reason: str  # "content" | "link" | "gap"
    message: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    last_hash: str
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _chain_voucher(voucher: Voucher) -> ChainVoucher:
    return chain_voucher(
        voucher,
        voucher.lines.all(),
        reverses_chain_seq=voucher.reverses_seq,  # type: ignore[attr-defined]
    )


def chain_verify(
    *, chunk_size: int = CHUNK, progress: Callable[[int], object] | None = None
) -> ChainReport:
    """Recompute the chain of posted vouchers; report the first break.

    Reads chunk by chunk (keyed on the chain position, lines prefetched), so memory stays flat
    and the number of queries grows with the number of chunks only.
    """
    lines = VoucherLine.objects.select_related("account", "dimension").order_by("line_no")
    base = (
        Voucher.objects.filter(status=VoucherStatus.POSTED)
        .select_related("period")
        .annotate(reverses_seq=F("reverses__chain_seq"))
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("chain_seq")
    )
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    last_seq = 0
    while True:
        chunk = list(base.filter(chain_seq__gt=last_seq)[:chunk_size])
        if not chunk:
            return ChainReport(checked=checked, last_hash=prev_hash, broken=None)
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
            elif calculations.chain_hash(prev_hash, _chain_voucher(voucher)) != voucher.hash:
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


@dataclass(frozen=True)
class OpenItemMismatch:
    account: str
    customer: str
    open_items: Decimal
    balance: Decimal
    # Items whose kept open amount differs from what their matches give.
    wrong_open_items: int = 0


def open_items_verify(*, as_of: date) -> list[OpenItemMismatch]:
    """Where the open-item table differs from its account's balance per customer, or keeps
    wrong open amounts, named."""
    rows = selectors.open_items_check(as_of=as_of)
    accounts = {a.pk: str(a) for a in Account.objects.filter(pk__in={r[0] for r in rows})}
    customers = {
        d.pk: str(d) for d in Dimension.objects.filter(pk__in={r[1] for r in rows if r[1]})
    }
    return [
        OpenItemMismatch(
            account=accounts.get(row.account_id, str(row.account_id)),
            customer=customers.get(row.dimension_id, "") if row.dimension_id else "",
            open_items=row.items,
            balance=row.balance,
            wrong_open_items=row.wrong_open_items,
        )
        for row in rows
    ]
