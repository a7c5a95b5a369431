"""The demo's finished months closed as an accountant closes them: the period-end transfers
(VAT out, the company's templates, 结转损益) posted, then each month before this one closed."""

from __future__ import annotations

from django.utils import timezone

from suanpan.ledger import selectors as ledger_selectors
from suanpan.ledger import services as ledger
from suanpan.ledger.choices import PeriodStatus
from suanpan.users.models import User

TRANSFERS = "vat,templates,pnl"


def demo_close(*, users: dict[str, User]) -> list[str]:
    """Close every open month before the current one, oldest first, after its transfers (and
    in December the year-end); the keys closed. A month that cannot close stops the demo with
    the problems named: the demo's books must close."""
    finance = users["finance"]
    this_month = timezone.localdate().replace(day=1)
    closed = []
    for period in sorted(ledger_selectors.period_list(), key=lambda p: (p.year, p.month)):
        if (period.year, period.month) >= (this_month.year, this_month.month):
            break
        if period.status == PeriodStatus.CLOSED:
            continue
        wanted = TRANSFERS + (",year-end" if period.month == 12 else "")
        ledger.transfers_post(
            actor=finance, period=period, transfers=ledger.transfer_keys_parse(wanted)
        )
        ledger.period_close(actor=finance, period=period)
        closed.append(period.key)
    return closed
