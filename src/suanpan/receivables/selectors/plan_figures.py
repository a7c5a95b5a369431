"""The figures of payment plan instalments: what was invoiced for each (its invoices, red
letters netted) and what was received (what has been settled against those invoices' items on
the receivable account), for a whole page of instalments in a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from suanpan.core.spreadsheet_imports import chunks
from suanpan.invoicing.selectors import instalment_invoices
from suanpan.ledger.selectors import account_for_role, open_items_for_source
from suanpan.ledger.types import Role
from suanpan.receivables.calculations.payment_plans import PlanFigures, plan_figures
from suanpan.receivables.choices import PlanStatus
from suanpan.receivables.models import ReceivablesSettings
from suanpan.receivables.selectors.sides import in_subtree

if TYPE_CHECKING:
    from suanpan.sales.models import PaymentInstalment

ZERO = Decimal(0)
INVOICE_SOURCE = "invoicing.invoice"


def receivables_settings_get() -> ReceivablesSettings:
    """The receivables settings: the one row, or the defaults while nobody has saved any."""
    return ReceivablesSettings.objects.order_by("pk").first() or ReceivablesSettings()


@dataclass(frozen=True)
class PlanRow:
    """An instalment of a payment plan (with its contract, customer and owner) and its
    figures."""

    instalment: PaymentInstalment
    figures: PlanFigures

    @property
    def status_label(self) -> str:
        return str(PlanStatus(self.figures.status).label)


def _amounts(instalment_ids: Sequence[int]) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """Invoiced and received per instalment id."""
    invoiced: dict[int, Decimal] = defaultdict(lambda: ZERO)
    received: dict[int, Decimal] = defaultdict(lambda: ZERO)
    instalment_of: dict[int, int] = {}
    for chunk in chunks(list(instalment_ids)):
        for row in instalment_invoices(instalment_ids=chunk):
            invoiced[row.instalment_id] += row.gross_amount
            instalment_of[row.invoice_id] = row.instalment_id
    receivable = account_for_role(Role.RECEIVABLE) if instalment_of else None
    if receivable is None:
        return invoiced, received
    for chunk in chunks(sorted(instalment_of)):
        for item in open_items_for_source(source_type=INVOICE_SOURCE, source_ids=chunk):
            if not in_subtree(item, receivable):
                continue
            # What was settled of the item: receipts against a blue invoice, less what a red
            # letter took off it (the red item settled against the blue one counts negative).
            received[instalment_of[int(item.source_id)]] += item.amount - item.open_amount
    return invoiced, received


def plan_rows(
    instalments: Sequence[PaymentInstalment],
    *,
    today: date | None = None,
    remind_days: int | None = None,
) -> list[PlanRow]:
    """The figures of these instalments, in their order."""
    today = today or timezone.localdate()
    if remind_days is None:
        remind_days = receivables_settings_get().remind_days_before
    invoiced, received = _amounts([row.pk for row in instalments])
    return [
        PlanRow(
            instalment=row,
            figures=plan_figures(
                planned=row.amount,
                invoiced=invoiced.get(row.pk, ZERO),
                received=received.get(row.pk, ZERO),
                due_on=row.due_on,
                today=today,
                remind_days=remind_days,
            ),
        )
        for row in instalments
    ]
