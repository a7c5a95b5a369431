"""Stage rules racing on PostgreSQL: writers lock the stage list, so the rule holds for both.

Two managers each deactivate one of the two lost stages at the same moment; each check alone
passes, together they would leave no lost stage. Exactly one succeeds.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from suanpan.sales.errors import StageOutcomesIncomplete
from suanpan.sales.models import OpportunityStage
from suanpan.sales.services.opportunities import stage_deactivate
from suanpan.users.choices import Role
from tests.factories import UserFactory
from tests.ledger.test_concurrency import race

pytestmark = [
    pytest.mark.postgres_only,
    # Decided before any fixture runs: on SQLite the serialized rollback would reload rows the
    # role fixture then inserts again.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    # The tests' conftest seeds the default stages again after the flush that ends this test.
    pytest.mark.django_db(transaction=True),
]


def test_two_managers_deactivating_the_two_lost_stages_leave_one_active() -> None:
    OpportunityStage.objects.all().delete()
    OpportunityStage.objects.bulk_create(
        [
            OpportunityStage(name="接洽", probability=Decimal("0.1"), outcome="open", position=10),
            OpportunityStage(name="赢单", probability=Decimal(1), outcome="won", position=20),
            OpportunityStage(name="输单", probability=Decimal(0), outcome="lost", position=30),
            OpportunityStage(name="放弃", probability=Decimal(0), outcome="lost", position=40),
        ]
    )
    lost = list(OpportunityStage.objects.filter(outcome="lost"))
    managers = [UserFactory(role=Role.SALES_MANAGER) for _ in lost]

    results, errors = race(2, lambda i: stage_deactivate(actor=managers[i], stage=lost[i]))

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], StageOutcomesIncomplete), errors
    assert OpportunityStage.objects.filter(outcome="lost", is_active=True).count() == 1
