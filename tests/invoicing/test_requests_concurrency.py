"""Invoice requests racing each other on PostgreSQL: the order and its lines are locked while
what remains is worked out, so two requests for the rest of a line cannot both be made.

Each thread has its own database connection (closed when it ends); a barrier starts them
together so the requests really race.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from suanpan.invoicing.errors import RequestExceedsOrder
from suanpan.invoicing.models import InvoiceRequest, InvoiceRequestLine
from suanpan.invoicing.services import RequestLineInput
from tests.invoicing.support import request_for, shipped_order
from tests.ledger.test_concurrency import race

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
D = Decimal


def test_two_requests_racing_for_the_same_order_line_make_one(delivery_books, clerk):
    order = shipped_order(actor=clerk)
    line = order.lines.get()

    def request(_index: int) -> InvoiceRequest:
        return request_for(
            order, actor=clerk, lines=(RequestLineInput(order_line_id=line.pk, quantity=D(7)),)
        )

    results, errors = race(2, request)

    assert len(results) == 1, errors
    assert len(errors) == 1 and isinstance(errors[0], RequestExceedsOrder), errors
    assert errors[0].code == "invoice_request_exceeds_order"
    assert InvoiceRequest.objects.count() == 1
    held = sum(row.quantity for row in InvoiceRequestLine.objects.filter(order_line=line))
    assert held == D(7)


def test_two_requests_that_both_fit_are_both_made(delivery_books, clerk):
    order = shipped_order(actor=clerk)
    line = order.lines.get()

    results, errors = race(
        2,
        lambda _i: request_for(
            order, actor=clerk, lines=(RequestLineInput(order_line_id=line.pk, quantity=D(5)),)
        ),
    )

    assert not errors, errors
    assert len({made.number for made in results}) == 2
    held = sum(row.quantity for row in InvoiceRequestLine.objects.filter(order_line=line))
    assert held == D(10)
