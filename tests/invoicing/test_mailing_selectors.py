"""Reads of the mailing register: the unconfirmed list by the setting or a given number of
days, an invoice's mailing status, what is left to mail, and who sees which mailing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from suanpan.invoicing.choices import InvoiceStatus, MailingStatus
from suanpan.invoicing.selectors import (
    invoice_mailing_status,
    invoice_mailings,
    mailing_list,
    mailings_unconfirmed,
)
from suanpan.invoicing.selectors.mailing import invoices_to_mail, mailing_defaults
from suanpan.invoicing.services import mailing_receive, mailing_returned, settings_update
from suanpan.users.choices import Role
from tests.factories import UserFactory
from tests.invoicing.mailing_support import SENT_ON, issued_invoice, mailed, second_invoice

pytestmark = pytest.mark.django_db


def _days_ago(days: int):  # type: ignore[no-untyped-def]
    return timezone.localdate() - timedelta(days=days)


def test_unconfirmed_counts_from_the_setting_or_the_days_given(delivery_books, clerk, approver):
    first = issued_invoice(maker=clerk, approver=approver, address="福州市1号")
    old = mailed(first, actor=clerk, sent_on=_days_ago(10))
    recent = mailed(
        second_invoice(first, maker=clerk, approver=approver),
        actor=clerk,
        sent_on=_days_ago(3),
        tracking_number="SF2",
    )
    received = mailed(
        issued_invoice(maker=clerk, approver=approver, address="厦门市1号"),
        actor=clerk,
        sent_on=_days_ago(20),
    )
    mailing_receive(mailing=received, received_on=_days_ago(18), actor=clerk)
    assert list(mailings_unconfirmed(user=clerk)) == [old]  # 7 days by default
    assert list(mailings_unconfirmed(user=clerk, days=2)) == [old, recent]  # oldest first
    settings_update(
        due_from_received=False,
        unconfirmed_after_days=11,
        actor=UserFactory(role=Role.FINANCE_MANAGER),
    )
    assert list(mailings_unconfirmed(user=clerk)) == []
    mailing_returned(mailing=old, actor=clerk)
    assert list(mailings_unconfirmed(user=clerk, days=0)) == [recent]


def test_invoice_mailing_status_and_mailings(delivery_books, clerk, approver):
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市1号")
    assert invoice_mailing_status(invoice) == ""
    first = mailed(invoice, actor=clerk)
    assert invoice_mailing_status(invoice) == MailingStatus.SENT
    mailing_returned(mailing=first, actor=clerk)
    assert invoice_mailing_status(invoice) == MailingStatus.RETURNED
    again = mailed(invoice, actor=clerk, sent_on=SENT_ON + timedelta(days=5))
    mailing_receive(mailing=again, received_on=SENT_ON + timedelta(days=6), actor=clerk)
    assert invoice_mailing_status(invoice) == MailingStatus.RECEIVED
    assert list(invoice_mailings(invoice=invoice)) == [again, first]


def test_invoices_to_mail_leave_out_mailed_and_voided(delivery_books, clerk, approver):
    first = issued_invoice(maker=clerk, approver=approver, address="福州市1号")
    second = second_invoice(first, maker=clerk, approver=approver)
    voided = issued_invoice(maker=clerk, approver=approver, address="厦门市1号")
    voided.status = InvoiceStatus.VOIDED
    voided.save()
    assert set(invoices_to_mail(user=clerk)) == {first, second}
    mailing = mailed(first, actor=clerk)
    assert list(invoices_to_mail(user=clerk)) == [second]
    mailing_returned(mailing=mailing, actor=clerk)
    assert set(invoices_to_mail(user=clerk, customer_id=first.customer_id)) == {first, second}


def test_a_salesperson_sees_the_mailings_of_their_customers_only(delivery_books, clerk, approver):
    owner, stranger = UserFactory(role=Role.SALES), UserFactory(role=Role.SALES)
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市1号", owner=owner)
    mailing = mailed(invoice, actor=clerk)
    assert list(mailing_list(user=owner)[0]) == [mailing]
    assert list(mailing_list(user=stranger)[0]) == []
    assert list(mailings_unconfirmed(user=stranger)) == []
    assert list(invoices_to_mail(user=stranger)) == []


def test_defaults_without_contact_or_address(delivery_books, clerk, approver):
    invoice = issued_invoice(maker=clerk, approver=approver)
    defaults = mailing_defaults(customer=invoice.customer)
    assert (defaults.recipient, defaults.phone, defaults.address) == (invoice.customer.name, "", "")
