"""All the checks together, for `suanpan ledger verify` and the period close."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from suanpan.ledger.verification.chain import ChainReport, chain_verify
from suanpan.ledger.verification.numbers import NumberGap, numbering_verify
from suanpan.ledger.verification.totals import TotalMismatch, totals_verify


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
