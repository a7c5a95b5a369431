"""Demo dunning (催款): the shipped levels, the overdue customers given a dunning address, one
customer who promised to pay, one excluded while in dispute, and this morning's run with its
letters (kept in memory, not e-mailed: the demo's addresses are nobody's)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.test.utils import override_settings
from django.utils import timezone

from suanpan.receivables.selectors import dunning_preview, dunning_run_for
from suanpan.receivables.services import (
    ProfileInput,
    dunning_profile_update,
    dunning_run,
    promise_create,
)
from suanpan.users.models import User


def demo_dunning(*, users: dict[str, User], today: date | None = None) -> int:
    """Run dunning once for `today` after setting the scene; returns the letters written."""
    accountant = users["accountant"]
    today = today or timezone.localdate()
    if dunning_run_for(on=today) is not None:
        return 0
    due = [row for row in dunning_preview(on=today, user=accountant) if row.is_due]
    for index, row in enumerate(due):
        customer = row.customer
        if index == 0:
            promise_create(
                customer_id=customer.pk,
                amount=(row.total_amount / 2).quantize(Decimal("0.01")),
                promised_on=today + timedelta(days=7),
                notes="财务答应下周付一半",
                actor=accountant,
            )
        dunning_profile_update(
            customer_id=customer.pk,
            data=ProfileInput(
                is_excluded=index == 1,
                excluded_reason="货款有争议，协商中" if index == 1 else "",
                email=f"finance+{customer.number.lower()}@example.com",
                language="en" if index % 4 == 3 else "zh-hans",
            ),
            actor=accountant,
        )
    # The demo's letters stay in memory instead of filling the console during set-up.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        run = dunning_run(on=today, actor=accountant)
    return run.letters_sent + run.letters_recorded
