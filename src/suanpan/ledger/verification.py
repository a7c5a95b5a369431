"""Proofs that the books are what was posted: the voucher hash chain, the voucher numbers,
the period totals and the open-item table.

`chain_verify` recomputes every posted voucher's hash from the rows as they are now, in chain
order, and stops at the first voucher whose content, link or chain position does not match:
an edit made behind the application's back (raw SQL, a restored backup) shows there. The chain
alone cannot see its newest links go: the chain sequence remembers how many positions it
handed out, and the walk must reach the last of them. `numbering_verify` does the same per
voucher word and month, `totals_verify` recomputes the period totals the reports read from
the posted lines, and `books_verify` runs all three, for the command line and the close.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Max, Min, Prefetch
from django.utils.translation import gettext as _

from suanpan.core.models import DocumentSequence
from suanpan.core.sums import fen_sum, yuan
from suanpan.ledger import calculations, selectors
from suanpan.ledger.calculations import GENESIS_HASH, ChainVoucher
from suanpan.ledger.choices import VoucherStatus
from suanpan.ledger.models import Account, Dimension, Period, PeriodTotal, Voucher, VoucherLine
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
    and the number of queries grows with the number of chunks only. The number of positions
    handed out is read first: a voucher posted while the walk runs lies beyond it, so only a
    chain that ends short of it is missing vouchers.
    """
    handed_out = _sequence_handed_out(CHAIN_SERIES, "")
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
            return ChainReport(
                checked=checked, last_hash=prev_hash, broken=_tail_break(last_seq, handed_out)
            )
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


@dataclass(frozen=True)
class NumberGap:
    """A voucher word in one month whose posted numbers are not 1, 2, … up to the last one
    handed out."""

    word: str
    period: str  # 202601
    missing: tuple[int, ...]

    @property
    def missing_text(self) -> str:
        """The missing numbers as a person reads them: 3, 5-7."""
        runs: list[list[int]] = []
        for number in self.missing:
            if runs and runs[-1][1] == number - 1:
                runs[-1][1] = number
            else:
                runs.append([number, number])
        return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def numbering_verify() -> list[NumberGap]:
    """Per voucher word and month, the posted numbers that are missing.

    Numbers are gapless and unique per word and month (a constraint), so a month's posted
    vouchers are complete when their count equals the highest number, or the number of
    numbers handed out if that is higher: deleting the last voucher of a month shows as well
    as deleting one in the middle. One grouped query; the numbers of a broken month are read
    only to name what is missing.
    """
    handed_out = {
        (row.series.removeprefix("voucher-"), row.period): row.next_value - 1
        for row in DocumentSequence.objects.filter(series__startswith="voucher-").exclude(
            series=CHAIN_SERIES
        )
    }
    groups = (
        Voucher.objects.filter(status=VoucherStatus.POSTED)
        .values("period__year", "period__month", "word")
        .annotate(count=Count("id"), highest=Max("number"), lowest=Min("number"))
        .order_by()
    )
    seen: dict[tuple[str, str], tuple[int, int, int]] = {
        (g["word"], f"{g['period__year']}{g['period__month']:02d}"): (
            g["count"],
            g["highest"] or 0,
            g["lowest"] or 0,
        )
        for g in groups
    }
    gaps = []
    for key in sorted(set(seen) | {k for k, n in handed_out.items() if n > 0}):
        count, highest, lowest = seen.get(key, (0, 0, 1))
        expected = max(highest, handed_out.get(key, 0))
        if count == expected and lowest >= 1:
            continue
        word, period = key
        present = set(
            Voucher.objects.filter(
                status=VoucherStatus.POSTED,
                word=word,
                period__year=int(period[:4]),
                period__month=int(period[4:]),
            ).values_list("number", flat=True)
        )
        missing = tuple(n for n in range(1, expected + 1) if n not in present)
        gaps.append(NumberGap(word=word, period=period, missing=missing))
    return gaps


@dataclass(frozen=True)
class TotalMismatch:
    """A period total (account, customer, month) that differs from its posted lines."""

    period: str
    account: str
    customer: str
    stored_debit: Decimal
    stored_credit: Decimal
    lines_debit: Decimal
    lines_credit: Decimal


def totals_verify() -> list[TotalMismatch]:
    """The period totals the reports read, recomputed from the posted lines and compared.

    The recomputation is one grouped query over the lines; the stored totals are a second
    query, and only the rows that differ are named (a row changed, added or deleted).
    """
    recomputed = {
        (row["voucher__period_id"], row["account_id"], row["dimension_id"]): (
            yuan(row["debit"]),
            yuan(row["credit"]),
        )
        for row in VoucherLine.objects.filter(voucher__status=VoucherStatus.POSTED)
        .values("voucher__period_id", "account_id", "dimension_id")
        .annotate(debit=fen_sum("debit_amount"), credit=fen_sum("credit_amount"))
        .order_by()
    }
    stored = {
        (period_id, account_id, dimension_id): (Decimal(debit), Decimal(credit))
        for period_id, account_id, dimension_id, debit, credit in PeriodTotal.objects.values_list(
            "period_id", "account_id", "dimension_id", "debit_amount", "credit_amount"
        )
    }
    zero = (Decimal(0), Decimal(0))
    differing = sorted(
        (
            key
            for key in set(recomputed) | set(stored)
            if stored.get(key, zero) != recomputed.get(key, zero)
        ),
        key=lambda k: (k[0], k[1], k[2] or 0),
    )
    if not differing:
        return []
    periods = {p.pk: p.key for p in Period.objects.filter(pk__in={k[0] for k in differing})}
    accounts = {a.pk: str(a) for a in Account.objects.filter(pk__in={k[1] for k in differing})}
    customers = {
        d.pk: str(d) for d in Dimension.objects.filter(pk__in={k[2] for k in differing if k[2]})
    }
    return [
        TotalMismatch(
            period=periods.get(key[0], str(key[0])),
            account=accounts.get(key[1], str(key[1])),
            customer=customers.get(key[2], "") if key[2] else "",
            stored_debit=stored.get(key, zero)[0],
            stored_credit=stored.get(key, zero)[1],
            lines_debit=recomputed.get(key, zero)[0],
            lines_credit=recomputed.get(key, zero)[1],
        )
        for key in differing
    ]


@dataclass(frozen=True)
class BooksReport:
    """Everything `books_verify` found; `problems` says it in sentences."""

    chain: ChainReport
    number_gaps: list[NumberGap]
    total_mismatches: list[TotalMismatch]

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.number_gaps and not self.total_mismatches

    def problems(self, *, limit: int | None = 10) -> list[str]:
        """One sentence per kind of problem; long lists name the first `limit` rows."""
        problems = []
        broken = self.chain.broken
        if broken is not None and broken.voucher_id is None:
            problems.append(_("the hash chain is short: %(reason)s") % {"reason": broken.message})
        elif broken is not None:
            problems.append(
                _("the hash chain is broken at voucher %(voucher)s: %(reason)s")
                % {"voucher": broken.voucher, "reason": broken.message}
            )
        if self.number_gaps:
            problems.append(
                _("posted voucher numbers are missing: %(gaps)s")
                % {
                    "gaps": _more(
                        [
                            _("%(word)s %(period)s no. %(numbers)s")
                            % {"word": g.word, "period": g.period, "numbers": g.missing_text}
                            for g in self.number_gaps
                        ],
                        limit,
                    )
                }
            )
        if self.total_mismatches:
            problems.append(
                _("period totals differ from the posted lines: %(rows)s")
                % {"rows": _more([_total_text(m) for m in self.total_mismatches], limit)}
            )
        return problems


def _total_text(row: TotalMismatch) -> str:
    return _(
        "%(period)s %(account)s%(customer)s stored debit %(stored_debit)s credit "
        "%(stored_credit)s, lines debit %(lines_debit)s credit %(lines_credit)s"
    ) % {
        "period": row.period,
        "account": row.account,
        "customer": f" / {row.customer}" if row.customer else "",
        "stored_debit": f"{row.stored_debit:,.2f}",
        "stored_credit": f"{row.stored_credit:,.2f}",
        "lines_debit": f"{row.lines_debit:,.2f}",
        "lines_credit": f"{row.lines_credit:,.2f}",
    }


def _more(items: list[str], limit: int | None) -> str:
    # Commas, not semicolons: the close joins its problems with "; " and the page splits them.
    shown = ", ".join(items[:limit])
    if limit is not None and len(items) > limit:
        shown += " " + _("and %(count)s more") % {"count": len(items) - limit}
    return shown


def books_verify(*, progress: Callable[[int], object] | None = None) -> BooksReport:
    """The chain, the numbers per word and month, and the period totals, checked together."""
    return BooksReport(
        chain=chain_verify(progress=progress),
        number_gaps=numbering_verify(),
        total_mismatches=totals_verify(),
    )
