"""The demo's statements: sent to two customers who owe, one confirmed online and one
disputed with notes, each answer logged with the customer's address."""

import pytest
from django.core import mail

from suanpan.demo.load import demo_load
from suanpan.receivables.models import Statement, StatementEvent

pytestmark = pytest.mark.django_db


def test_demo_has_a_statement_confirmed_online_and_one_disputed():
    demo_load(customers=30)
    answered = {s.status: s for s in Statement.objects.all()}
    assert set(answered) == {"confirmed", "disputed"}
    assert all(s.answered_online and s.sent_at for s in answered.values())
    assert answered["disputed"].answer_notes
    assert StatementEvent.objects.filter(kind="disputed", ip="203.0.113.10").exists()
    # The demo's addresses are fictional: no statement is mailed (the demo's dunning letters
    # go to the in-memory outbox).
    numbers = [s.number for s in answered.values()]
    assert not [m for m in mail.outbox if any(number in m.subject for number in numbers)]
