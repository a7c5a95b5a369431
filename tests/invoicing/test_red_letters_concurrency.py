"""Red-letter forms racing on PostgreSQL: the blue invoice's row lock keeps what forms reverse
within the blue line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suanpan.invoicing.errors import RedLetterExceedsBlue
from suanpan.invoicing.models import RedLetterForm
from suanpan.invoicing.selectors import red_remaining
from suanpan.invoicing.services import RedLineInput, red_form_create
from tests.invoicing.red_support import blue_invoice
from tests.ledger.test_concurrency import race

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
D = Decimal


def test_two_partial_forms_for_the_rest_of_a_line_one_wins(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    line = blue.lines.get()
    red_form_create(
        blue_invoice=blue,
        initiator="0",
        reason="1",
        lines=[RedLineInput(blue_line_id=line.pk, quantity=D(4))],
        actor=approver,
    )

    def enter(index: int) -> RedLetterForm:
        return red_form_create(
            blue_invoice=blue,
            initiator=str(index),
            reason="1",
            lines=[RedLineInput(blue_line_id=line.pk, quantity=D(6))],
            actor=approver,
        )

    results, errors = race(2, enter)

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], RedLetterExceedsBlue), errors
    assert RedLetterForm.objects.filter(blue_invoice=blue).count() == 2
    left = red_remaining(blue)[line.pk]
    assert (left.quantity, left.net_amount, left.tax_amount) == (D(0), D(0), D(0))
