"""Answers racing on PostgreSQL: the customer pressing twice (or in two tabs) and a user
marking at the same moment answer the statement once; the others are refused."""

from __future__ import annotations

from datetime import date

import pytest

from suanpan.receivables.errors import CustomerStatementAnswered
from suanpan.receivables.models import StatementEvent
from suanpan.receivables.selectors import statement_token
from suanpan.receivables.services import (
    StatementInput,
    statement_answer_online,
    statement_create,
    statement_mark,
    statement_send,
)
from tests.ledger.test_concurrency import race

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_a_statement_answered_at_once_from_several_places_is_answered_once(customer, clerk):
    statement = statement_send(
        statement=statement_create(
            data=StatementInput(
                customer_id=customer.pk, start_on=date(2026, 1, 1), end_on=date(2026, 1, 31)
            ),
            actor=clerk,
        ),
        email="ap@example.com",
        actor=clerk,
    )
    token = statement_token(statement)

    def answer(index: int):
        if index == 0:
            return statement_mark(statement=statement, answer="disputed", notes="x", actor=clerk)
        return statement_answer_online(
            token=token, answer="confirmed", notes="", ip=f"203.0.113.{index}", user_agent=""
        )

    results, errors = race(6, answer)

    assert len(results) == 1, errors
    assert all(isinstance(e, CustomerStatementAnswered) for e in errors), errors
    answers = StatementEvent.objects.filter(kind__in=["confirmed", "disputed", "marked"])
    assert answers.count() == 1
