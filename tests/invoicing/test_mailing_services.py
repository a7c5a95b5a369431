"""The mailing register: parcels of one customer's invoices, receipt, returns, the settings, and
due dates that count from receipt (the ledger's open items and the ageing follow)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from suanpan.core.errors import DateOutOfRange, PermissionDeniedError
from suanpan.invoicing.choices import InvoiceStatus, MailingStatus
from suanpan.invoicing.errors import (
    InvoicingSettingsInvalid,
    MailingInvalid,
    MailingNotInStatus,
)
from suanpan.invoicing.models import InvoiceMailing, InvoicingSettings
from suanpan.invoicing.services import (
    mailing_create,
    mailing_receive,
    mailing_returned,
    mailing_update,
    settings_get,
    settings_update,
)
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Account, OpenItem, VoucherLine
from suanpan.ledger.selectors import account_for_role, ageing, open_items_check
from suanpan.ledger.services import open_items_redate
from suanpan.ledger.verification.chain import chain_verify
from suanpan.users.choices import Role
from tests.factories import ContactFactory, UserFactory
from tests.invoicing.mailing_support import SENT_ON, issued_invoice, mailed, second_invoice
from tests.invoicing.support import ON

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db: None):
    return UserFactory(role=Role.FINANCE_MANAGER)


def _receivable_items(invoice):
    return list(OpenItem.objects.filter(source_type="invoicing.invoice", source_id=str(invoice.pk)))


def test_create_defaults_recipient_and_address_from_the_billing_address(
    delivery_books, clerk, approver
):
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市鼓楼区五四路1号")
    customer = invoice.customer
    ContactFactory(customer=customer, name="王会计", phone="13900000001", is_primary=True)
    customer.addresses.create(
        kind="billing", region="福建省福州市", address="台江区收票路8号", receiver="李出纳"
    )
    mailing = mailed(invoice, actor=clerk)
    assert mailing.recipient == "李出纳"
    assert mailing.phone == "13900000001"
    assert mailing.address == "福建省福州市台江区收票路8号"
    assert mailing.status == MailingStatus.SENT
    assert mailing.created_by == clerk


def test_create_without_billing_address_takes_contact_and_delivery_address(
    delivery_books, clerk, approver
):
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市鼓楼区五四路1号")
    ContactFactory(customer=invoice.customer, name="王会计", phone="13900000001", is_primary=True)
    mailing = mailed(invoice, actor=clerk, recipient="", phone="", address="")
    assert (mailing.recipient, mailing.phone, mailing.address) == (
        "王会计",
        "13900000001",
        "福州市鼓楼区五四路1号",
    )
    typed = mailed(
        second_invoice(invoice, maker=clerk, approver=approver),
        actor=clerk,
        recipient=" 张三 ",
        address="厦门市思明区1号",
    )
    assert (typed.recipient, typed.address) == ("张三", "厦门市思明区1号")


def test_create_with_no_address_anywhere_is_refused(delivery_books, clerk, approver):
    invoice = issued_invoice(maker=clerk, approver=approver)
    with pytest.raises(MailingInvalid) as caught:
        mailed(invoice, actor=clerk)
    assert "address" in caught.value.fields
    assert not InvoiceMailing.objects.exists()


def test_one_parcel_holds_several_invoices_of_one_customer(delivery_books, clerk, approver):
    first = issued_invoice(maker=clerk, approver=approver, address="福州市1号")
    second = second_invoice(first, maker=clerk, approver=approver)
    mailings = mailing_create(
        invoice_ids=[second.pk, first.pk], sent_on=SENT_ON, tracking_number="SF9", actor=clerk
    )
    assert [m.invoice_id for m in mailings] == sorted([first.pk, second.pk])
    assert {m.tracking_number for m in mailings} == {"SF9"}


def test_invoices_of_different_customers_are_refused(delivery_books, clerk, approver):
    first = issued_invoice(maker=clerk, approver=approver, address="福州市1号")
    other = issued_invoice(maker=clerk, approver=approver, address="厦门市2号")
    with pytest.raises(MailingInvalid) as caught:
        mailing_create(invoice_ids=[first.pk, other.pk], sent_on=SENT_ON, actor=clerk)
    assert "invoice_ids" in caught.value.fields
    assert not InvoiceMailing.objects.exists()


def test_voided_invoice_unknown_id_and_empty_choice_are_refused(delivery_books, clerk, approver):
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市1号")
    invoice.status = InvoiceStatus.VOIDED
    invoice.save()
    with pytest.raises(MailingInvalid) as caught:
        mailing_create(invoice_ids=[invoice.pk], sent_on=SENT_ON, actor=clerk)
    assert "voided" in caught.value.fields["invoice_ids"][0]
    with pytest.raises(MailingInvalid):
        mailing_create(invoice_ids=[invoice.pk + 1000], sent_on=SENT_ON, actor=clerk)
    with pytest.raises(MailingInvalid):
        mailing_create(invoice_ids=[], sent_on=SENT_ON, actor=clerk)
    assert not InvoiceMailing.objects.exists()


def test_an_invoice_in_the_post_is_not_mailed_twice_until_returned(delivery_books, clerk, approver):
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市1号")
    first = mailed(invoice, actor=clerk)
    with pytest.raises(MailingInvalid):
        mailed(invoice, actor=clerk)
    mailing_returned(mailing=first, notes="查无此人", actor=clerk)
    first.refresh_from_db()
    assert first.status == MailingStatus.RETURNED
    assert "查无此人" in first.notes
    again = mailed(invoice, actor=clerk, sent_on=SENT_ON + timedelta(days=3))
    assert again.status == MailingStatus.SENT


def test_send_date_checked(delivery_books, clerk, approver):
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市1号")
    with pytest.raises(MailingInvalid):  # before the invoice was issued
        mailed(invoice, actor=clerk, sent_on=ON - timedelta(days=1))
    with pytest.raises(DateOutOfRange):
        mailed(invoice, actor=clerk, sent_on=date(2019, 1, 1))
    assert not InvoiceMailing.objects.exists()


def test_salesperson_may_not_register_a_mailing(delivery_books, clerk, approver, seller):
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市1号")
    with pytest.raises(PermissionDeniedError):
        mailed(invoice, actor=seller)


def test_received_before_sent_is_refused_and_writes_nothing(delivery_books, clerk, approver):
    mailing = mailed(
        issued_invoice(maker=clerk, approver=approver, address="福州市1号"), actor=clerk
    )
    with pytest.raises(MailingInvalid) as caught:
        mailing_receive(mailing=mailing, received_on=SENT_ON - timedelta(days=1), actor=clerk)
    assert "received_on" in caught.value.fields
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENT and mailing.received_on is None


def test_receive_then_no_second_receipt_nor_return(delivery_books, clerk, approver):
    mailing = mailed(
        issued_invoice(maker=clerk, approver=approver, address="福州市1号"), actor=clerk
    )
    mailing_receive(mailing=mailing, received_on=SENT_ON + timedelta(days=2), actor=clerk)
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.RECEIVED
    assert mailing.received_on == SENT_ON + timedelta(days=2)
    assert mailing.confirmed_by_customer is False
    with pytest.raises(MailingNotInStatus):
        mailing_receive(mailing=mailing, received_on=SENT_ON + timedelta(days=3), actor=clerk)
    with pytest.raises(MailingNotInStatus):
        mailing_returned(mailing=mailing, actor=clerk)


def test_update_tracking(delivery_books, clerk, approver):
    mailing = mailed(
        issued_invoice(maker=clerk, approver=approver, address="福州市1号"), actor=clerk
    )
    mailing_update(mailing=mailing, courier="EMS", tracking_number=" E123 ", actor=clerk)
    mailing.refresh_from_db()
    assert (mailing.courier, mailing.tracking_number, mailing.recipient) == (
        "EMS",
        "E123",
        mailing.recipient,
    )
    with pytest.raises(MailingInvalid):
        mailing_update(mailing=mailing, tracking_number="9" * 61, actor=clerk)


def _due(invoice):
    items = _receivable_items(invoice)
    assert len(items) == 1
    return items[0].due_on


def test_due_dates_stay_with_the_setting_off(delivery_books, clerk, approver):
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市1号")
    issued_due = ON + timedelta(days=invoice.customer.payment_terms_days)
    assert _due(invoice) == issued_due == invoice.first_due_on
    mailing = mailed(invoice, actor=clerk)
    mailing_receive(mailing=mailing, received_on=date(2026, 11, 20), actor=clerk)
    invoice.refresh_from_db()
    assert _due(invoice) == issued_due == invoice.first_due_on


def test_due_dates_move_with_the_setting_on(delivery_books, clerk, approver, manager):
    settings_update(due_from_received=True, unconfirmed_after_days=5, actor=manager)
    invoice = issued_invoice(
        maker=clerk, approver=approver, address="福州市1号", payment_terms_days=45
    )
    line = VoucherLine.objects.get(
        voucher__source_type="invoicing.invoice",
        voucher__source_id=str(invoice.pk),
        open_item__isnull=False,
    )
    line_due = line.due_on
    assert _due(invoice) == ON + timedelta(days=45)
    mailing = mailed(invoice, actor=clerk)
    received = date(2026, 11, 20)
    mailing_receive(mailing=mailing, received_on=received, actor=clerk)
    invoice.refresh_from_db()
    assert _due(invoice) == received + timedelta(days=45) == invoice.first_due_on
    # The posted line is in the hash chain: it keeps its due date, and the books still verify.
    line.refresh_from_db()
    assert line.due_on == line_due
    assert chain_verify().ok
    assert open_items_check(as_of=date(2026, 12, 31)) == []
    # Ageing by due date on 2027-01-01: past the old due date (12-27), before the new (01-04).
    account = account_for_role(AccountRole.RECEIVABLE)
    report = ageing(as_of=date(2027, 1, 1), account=account)
    row = next(r for r in report.rows if r.code == invoice.customer.number)
    assert row.amounts[0] == invoice.gross_amount  # "current"


def test_redate_leaves_settled_items_and_other_sources(delivery_books, clerk, approver):
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市1号")
    other = issued_invoice(maker=clerk, approver=approver, address="厦门市1号")
    before = _due(other)
    item = _receivable_items(invoice)[0]
    with transaction.atomic():
        moved = open_items_redate(
            source_type="invoicing.invoice",
            source_id=str(invoice.pk),
            due_on=date(2027, 1, 31),
            actor=clerk,
        )
    assert moved == 1
    item.refresh_from_db()
    assert item.due_on == date(2027, 1, 31)
    assert _due(other) == before
    OpenItem.objects.filter(pk=item.pk).update(open_amount=0)  # as if settled
    with transaction.atomic():
        assert (
            open_items_redate(
                source_type="invoicing.invoice",
                source_id=str(invoice.pk),
                due_on=date(2027, 3, 1),
                actor=clerk,
            )
            == 0
        )


def test_settings_defaults_update_and_limits(db, manager, clerk):
    assert settings_get().due_from_received is False
    assert settings_get().unconfirmed_after_days == 7
    assert not InvoicingSettings.objects.exists()
    settings_update(due_from_received=True, unconfirmed_after_days=10, actor=manager)
    settings_update(due_from_received=True, unconfirmed_after_days=12, actor=manager)
    assert InvoicingSettings.objects.count() == 1
    assert settings_get().unconfirmed_after_days == 12
    with pytest.raises(InvoicingSettingsInvalid):
        settings_update(due_from_received=True, unconfirmed_after_days=0, actor=manager)
    with pytest.raises(InvoicingSettingsInvalid):
        settings_update(due_from_received=True, unconfirmed_after_days=366, actor=manager)
    with pytest.raises(PermissionDeniedError):
        settings_update(due_from_received=False, unconfirmed_after_days=3, actor=clerk)
    assert settings_get().unconfirmed_after_days == 12


def test_today_is_a_business_date():
    # The confirmation link records "today": the tests below rely on it lying in the window.
    assert timezone.localdate().year >= 2026


def test_only_the_receivable_item_moves_when_unbilled_is_open_item_managed(
    delivery_books, clerk, approver, manager
):
    Account.objects.filter(code="1122.99").update(is_open_item=True)
    settings_update(due_from_received=True, unconfirmed_after_days=7, actor=manager)
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市1号")
    items = OpenItem.objects.filter(source_type="invoicing.invoice", source_id=str(invoice.pk))
    unbilled = items.get(account__code="1122.99")
    assert unbilled.amount < 0
    before = unbilled.due_on
    mailing_receive(
        mailing=mailed(invoice, actor=clerk), received_on=date(2026, 11, 20), actor=clerk
    )
    unbilled.refresh_from_db()
    assert unbilled.due_on == before
    receivable = items.get(account__code="1122.01")
    assert receivable.due_on == date(2026, 11, 20) + timedelta(
        days=invoice.customer.payment_terms_days
    )
    assert open_items_check(as_of=date(2026, 12, 31)) == []
