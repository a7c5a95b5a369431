"""Posted voucher numbers per word and month: 1, 2, … up to the last one handed out."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Min

from suanpan.core.models import DocumentSequence
from suanpan.ledger.choices import VoucherStatus
from suanpan.ledger.models import Voucher
from suanpan.ledger.services.effects import CHAIN_SERIES


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
