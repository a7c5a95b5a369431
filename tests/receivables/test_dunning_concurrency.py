"""Dunning runs racing on PostgreSQL: five runs of one day at once write the day's letters once;
the others are refused and no customer gets two letters."""

from __future__ import annotations

import pytest
from django.core import mail

from suanpan.receivables.errors import DunningAlreadyRun
from suanpan.receivables.models import DunningLetter, DunningRun
from suanpan.receivables.services import dunning_run
from tests.ledger.test_concurrency import race
from tests.receivables.dunning_support import days_after_due, invoice_due, with_email

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("dunning_levels"),
]


def test_five_runs_of_one_day_write_its_letters_once(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)

    results, errors = race(5, lambda _i: dunning_run(on=days_after_due(10), actor=clerk))

    assert len(results) == 1, errors
    assert len(errors) == 4 and all(isinstance(e, DunningAlreadyRun) for e in errors), errors
    assert DunningRun.objects.count() == 1
    assert DunningLetter.objects.count() == 1
    assert len(mail.outbox) == 1
