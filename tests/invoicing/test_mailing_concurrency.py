"""Mailings racing on PostgreSQL: the invoice's row lock keeps one parcel per invoice in the
post, and the mailing's row lock records one receipt however many press at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from suanpan.invoicing.choices import MailingStatus
from suanpan.invoicing.errors import MailingInvalid, MailingNotInStatus
from suanpan.invoicing.models import InvoiceMailing
from suanpan.invoicing.selectors.mailing import mailing_token
from suanpan.invoicing.services import (
    mailing_confirm_by_customer,
    mailing_create,
    mailing_receive,
    settings_update,
)
from suanpan.ledger.models import OpenItem
from suanpan.ledger.selectors import open_items_check
from suanpan.users.choices import Role
from tests.factories import UserFactory
from tests.invoicing.mailing_support import SENT_ON, issued_invoice, mailed
from tests.ledger.test_concurrency import race

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_parcels_racing_for_one_invoice_register_one(delivery_books, clerk, approver):
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市1号")

    results, errors = race(
        2,
        lambda i: mailing_create(
            invoice_ids=[invoice.pk], sent_on=SENT_ON, tracking_number=f"SF{i}", actor=clerk
        ),
    )

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], MailingInvalid), errors
    assert InvoiceMailing.objects.filter(invoice=invoice).count() == 1


def test_link_pressed_while_the_accountant_records_receipt_receives_once(
    delivery_books, clerk, approver
):
    settings_update(
        due_from_received=True,
        unconfirmed_after_days=7,
        actor=UserFactory(role=Role.FINANCE_MANAGER),
    )
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市1号")
    mailing = mailed(invoice, actor=clerk)
    token = mailing_token(mailing)
    accountant_day = SENT_ON + timedelta(days=2)

    def work(i: int):  # type: ignore[no-untyped-def]
        if i == 0:
            return mailing_confirm_by_customer(token=token)
        return mailing_receive(mailing=mailing, received_on=accountant_day, actor=clerk)

    _results, errors = race(2, work)

    # Either the link went first (the accountant's receipt is refused) or the accountant did
    # (the link finds nothing left to confirm); never two receipts.
    assert not errors or (len(errors) == 1 and isinstance(errors[0], MailingNotInStatus)), errors
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.RECEIVED
    assert mailing.history.filter(status=MailingStatus.RECEIVED).count() == 1
    item = OpenItem.objects.get(source_type="invoicing.invoice", source_id=str(invoice.pk))
    assert item.due_on == mailing.received_on + timedelta(days=invoice.customer.payment_terms_days)
    assert open_items_check(as_of=date(2026, 12, 31)) == []
