"""Red-letter forms racing on PostgreSQL: the blue invoice's row lock keeps what forms reverse
within the blue line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suanpan.invoicing.choices import InvoiceType
from suanpan.invoicing.errors import RedLetterExceedsBlue
from suanpan.invoicing.models import Invoice, RedLetterForm
from suanpan.invoicing.selectors import red_remaining
from suanpan.invoicing.services import (
    IssueInput,
    RedLineInput,
    RequestLineInput,
    invoice_issue,
    invoice_void,
    invoices,
    red_form_create,
    request_approve,
    voids,
)
from suanpan.ledger.choices import AccountRole
from tests.inventory.deliveries_support import balance
from tests.invoicing.red_support import blue_invoice
from tests.invoicing.support import ON, invoice_number, request_for, shipped_order
from tests.ledger.test_concurrency import race
from tests.lock_order import crossed, deadlocks

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


def test_void_crossing_an_issue_on_the_same_order_queues(delivery_books, clerk, approver):
    """A void holds its request and invoice and wants the order's lines while another request
    of the order is issued (order lines, then the ledger): in the lock order they queue."""
    order = shipped_order(actor=clerk)
    line = order.lines.get()
    first = request_for(
        order, actor=clerk, lines=(RequestLineInput(order_line_id=line.pk, quantity=D(6)),)
    )
    request_approve(request=first, actor=approver)
    voided = invoice_issue(
        request=first, data=IssueInput(number=invoice_number(), issued_on=ON), actor=approver
    )
    Invoice.objects.filter(pk=voided.pk).update(
        invoice_type=InvoiceType.PAPER_SPECIAL, code="3500123456", number="00000009"
    )
    voided.refresh_from_db()
    second = request_for(order, actor=clerk)
    request_approve(request=second, actor=approver)

    results, errors = crossed(
        lambda: invoice_void(invoice=voided, reason="抬头错", actor=approver, on=ON),
        lambda: invoice_issue(
            request=second, data=IssueInput(number=invoice_number(), issued_on=ON), actor=approver
        ),
        first_stops_before=(voids, "order_lines_uninvoice"),
        second_goes_through=(invoices, "order_lines_invoice"),
    )

    assert not deadlocks(errors), errors
    assert not errors, errors
    assert len(results) == 2
    line.refresh_from_db()
    assert line.invoiced_quantity == D(4)
    assert balance(AccountRole.RECEIVABLE, dimension=order.customer.number) == D("452.00")
