"""Two accountants entering the same invoice number at the same moment on PostgreSQL, for two
customers (so no customer lock puts them in a queue): one invoice is recorded and posted, the
other is refused as taken, and nothing of it is left behind."""

from __future__ import annotations

from typing import Any

import pytest

from suanpan.invoicing.errors import InvoiceNumberTaken
from suanpan.invoicing.models import Invoice
from suanpan.invoicing.services import manual
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.selectors import vouchers_for_source
from tests.inventory.deliveries_support import balance, customer_with_dimension
from tests.invoicing.manual_support import entered, line
from tests.invoicing.support import TAX_NUMBER
from tests.lock_order import crossed

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

NUMBER = "26350000000000077777"


def test_same_number_entered_twice_at_once_records_one(delivery_books: Any, clerk: Any) -> None:
    customers = [
        customer_with_dimension(invoice_tax_number=TAX_NUMBER, invoice_title=f"买方{i}")
        for i in range(2)
    ]

    def enter(index: int) -> Any:
        return entered(customers[index], actor=clerk, number=NUMBER, lines=(line("113.00"),))

    # The first has checked that the number is free when the second records it: the first's
    # insert then meets the unique index, not the check.
    results, errors = crossed(
        lambda: enter(0),
        lambda: enter(1),
        first_stops_before=(manual, "invoice_record"),
        second_goes_through=(manual, "invoice_record"),
    )

    assert len(results) == 1, errors
    assert len(errors) == 1 and isinstance(errors[0], InvoiceNumberTaken), errors
    invoice = Invoice.objects.get()
    assert invoice.number == NUMBER
    assert (
        vouchers_for_source(source_type="invoicing.invoice", source_ids=[invoice.pk]).count() == 1
    )
    assert balance(AccountRole.VAT_OUTPUT) == -invoice.tax_amount
