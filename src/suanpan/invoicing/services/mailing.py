"""The mailing register (发票寄送): invoices put in the post, received or returned, the
customer's confirmation through a signed link, and the invoicing settings.

With the setting `due_from_received` on, receipt moves the invoice's due dates to the received
date plus the customer's payment terms: the ledger's open items of the invoice
(`ledger.services.open_items_redate`) and `Invoice.first_due_on`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import validation_failed_from_django
from suanpan.core.locks import for_update
from suanpan.customers.selectors import customer_is_visible
from suanpan.invoicing.calculations import postings
from suanpan.invoicing.choices import InvoiceKind, InvoiceStatus, MailingStatus
from suanpan.invoicing.errors import (
    InvoicingSettingsInvalid,
    MailingInvalid,
    MailingNotInStatus,
)
from suanpan.invoicing.models import Invoice, InvoiceMailing, InvoicingSettings
from suanpan.invoicing.selectors.mailing import (
    MAILED_STATUSES,
    mailing_defaults,
    mailing_parcel,
    mailing_token_read,
    settings_get,
)
from suanpan.ledger.services import business_dates_require, open_items_redate
from suanpan.ledger.types import Role
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

__all__ = [
    "mailing_confirm_by_customer",
    "mailing_create",
    "mailing_receive",
    "mailing_returned",
    "mailing_update",
    "settings_get",
    "settings_update",
]

# As many invoices as one parcel sensibly holds, and one form posts.
MAX_INVOICES = 200
UNCONFIRMED_DAYS_MAX = 365


def _text(name: str, value: str | None) -> str:
    return " ".join(str(value or "").split()) if name != "notes" else str(value or "").strip()


def _clean(mailing: InvoiceMailing) -> None:
    """The lengths and required fields of the model, as field messages."""
    try:
        mailing.full_clean(exclude=["invoice", "created_by"], validate_unique=False)
    except ValidationError as exc:
        raise MailingInvalid(fields=validation_failed_from_django(exc).fields) from exc


def _invoices_locked(invoice_ids: Sequence[int], actor: User) -> list[Invoice]:
    """The invoices in id order, locked; refuses an empty choice, an unknown id or one the
    actor may not see (named alike: someone else's invoice answers as if missing)."""
    ids = sorted({int(pk) for pk in invoice_ids})
    if not ids:
        raise MailingInvalid(fields={"invoice_ids": [_("Choose at least one invoice.")]})
    if len(ids) > MAX_INVOICES:
        raise MailingInvalid(
            fields={
                "invoice_ids": [_("At most %(count)s invoices at once.") % {"count": MAX_INVOICES}]
            }
        )
    invoices = list(
        for_update(Invoice.objects.all())
        .filter(pk__in=ids)
        .select_related("customer")
        .order_by("pk")
    )
    found = {invoice.pk for invoice in invoices}
    visible = {
        invoice.pk
        for invoice in invoices
        if customer_is_visible(user=actor, customer_id=invoice.customer_id)
    }
    missing = [str(pk) for pk in ids if pk not in found or pk not in visible]
    if missing:
        raise MailingInvalid(
            fields={"invoice_ids": [_("No such invoice: %(ids)s.") % {"ids": ", ".join(missing)}]}
        )
    return invoices


def _invoices_check(invoices: list[Invoice], *, sent_on: date) -> None:
    customers = {invoice.customer_id for invoice in invoices}
    if len(customers) > 1:
        raise MailingInvalid(
            fields={
                "invoice_ids": [
                    _("A parcel goes to one customer; these invoices belong to %(count)s.")
                    % {"count": len(customers)}
                ]
            }
        )
    problems: list[str] = []
    for invoice in invoices:
        if invoice.status == InvoiceStatus.VOIDED:
            problems.append(_("Invoice %(number)s is voided.") % {"number": invoice})
        elif invoice.issued_on > sent_on:
            problems.append(
                _("Invoice %(number)s was issued on %(date)s, after the send date.")
                % {"number": invoice, "date": invoice.issued_on.isoformat()}
            )
    mailed = (
        InvoiceMailing.objects.filter(invoice__in=invoices, status__in=MAILED_STATUSES)
        .select_related("invoice")
        .order_by("invoice_id", "pk")
    )
    for mailing in mailed:
        problems.append(
            _("Invoice %(number)s was already mailed on %(date)s.")
            % {"number": mailing.invoice, "date": mailing.sent_on.isoformat()}
        )
    if problems:
        raise MailingInvalid(fields={"invoice_ids": problems})


@audited
@transaction.atomic
def mailing_create(
    *,
    invoice_ids: Sequence[int],
    sent_on: date,
    courier: str = "",
    tracking_number: str = "",
    recipient: str = "",
    phone: str = "",
    address: str = "",
    notes: str = "",
    actor: User,
) -> list[InvoiceMailing]:
    """Register one parcel: a row per invoice, all of one customer. Recipient, phone and
    address left blank come from the customer (its billing address, else its delivery address,
    and its primary contact). A red invoice needs no mailing, but may be sent all the same."""
    permission_require(actor, "invoicing.add_invoicemailing")
    business_dates_require({"sent_on": sent_on})
    invoices = _invoices_locked(invoice_ids, actor)
    _invoices_check(invoices, sent_on=sent_on)
    defaults = mailing_defaults(customer=invoices[0].customer)
    details = {
        "courier": _text("courier", courier),
        "tracking_number": _text("tracking_number", tracking_number),
        "recipient": _text("recipient", recipient) or defaults.recipient,
        "phone": _text("phone", phone) or defaults.phone,
        "address": _text("address", address) or defaults.address,
        "notes": _text("notes", notes),
    }
    mailings = [
        InvoiceMailing(
            invoice=invoice,
            sent_on=sent_on,
            status=MailingStatus.SENT,
            created_by=actor,
            **details,
        )
        for invoice in invoices
    ]
    _clean(mailings[0])
    for mailing in mailings:
        mailing.save()
    return mailings


def _mailing_locked(mailing: InvoiceMailing) -> InvoiceMailing:
    return for_update(InvoiceMailing.objects.all()).select_related("invoice").get(pk=mailing.pk)


def _status_require(mailing: InvoiceMailing, *statuses: str) -> None:
    if mailing.status not in statuses:
        raise MailingNotInStatus(number=str(mailing.invoice), status=mailing.get_status_display())


def _due_dates_move(mailing: InvoiceMailing, *, actor: User) -> None:
    """With the setting on, the blue posted invoice falls due the customer's payment terms
    after it was received: its open items in the ledger and its first due date."""
    if not settings_get().due_from_received or mailing.received_on is None:
        return
    invoice = (
        for_update(Invoice.objects.all()).select_related("customer").get(pk=mailing.invoice_id)
    )
    if invoice.kind != InvoiceKind.BLUE or invoice.status == InvoiceStatus.VOIDED:
        return
    due_on = mailing.received_on + timedelta(days=invoice.customer.payment_terms_days)
    if invoice.posted:
        open_items_redate(
            source_type=postings.SOURCE_INVOICE,
            source_id=str(invoice.pk),
            due_on=due_on,
            actor=actor,
            role=Role.RECEIVABLE,
        )
    if invoice.first_due_on != due_on:
        invoice.first_due_on = due_on
        invoice.save(update_fields=["first_due_on"])


def _receive(
    mailing: InvoiceMailing, *, received_on: date, confirmed_by_customer: bool, actor: User
) -> InvoiceMailing:
    _status_require(mailing, MailingStatus.SENT)
    business_dates_require({"received_on": received_on})
    if received_on < mailing.sent_on:
        raise MailingInvalid(
            fields={
                "received_on": [
                    _("The invoice cannot arrive before it was sent (%(date)s).")
                    % {"date": mailing.sent_on.isoformat()}
                ]
            }
        )
    mailing.status = MailingStatus.RECEIVED
    mailing.received_on = received_on
    mailing.confirmed_by_customer = confirmed_by_customer
    mailing.save(update_fields=["status", "received_on", "confirmed_by_customer"])
    _due_dates_move(mailing, actor=actor)
    return mailing


@audited
@transaction.atomic
def mailing_receive(
    *,
    mailing: InvoiceMailing,
    received_on: date,
    confirmed_by_customer: bool = False,
    actor: User,
) -> InvoiceMailing:
    """Record that the customer received the invoice (on or after the send date)."""
    permission_require(actor, "invoicing.change_invoicemailing")
    mailing = _mailing_locked(mailing)
    return _receive(
        mailing,
        received_on=received_on,
        confirmed_by_customer=confirmed_by_customer,
        actor=actor,
    )


@audited
@transaction.atomic
def mailing_returned(*, mailing: InvoiceMailing, notes: str = "", actor: User) -> InvoiceMailing:
    """The parcel came back undelivered: the invoice may be mailed again."""
    permission_require(actor, "invoicing.change_invoicemailing")
    mailing = _mailing_locked(mailing)
    _status_require(mailing, MailingStatus.SENT)
    reason = _text("notes", notes)
    if reason:
        mailing.notes = f"{mailing.notes}\n{reason}".strip() if mailing.notes else reason
    mailing.status = MailingStatus.RETURNED
    _clean(mailing)
    mailing.save(update_fields=["status", "notes"])
    return mailing


@audited
@transaction.atomic
def mailing_update(
    *,
    mailing: InvoiceMailing,
    courier: str | None = None,
    tracking_number: str | None = None,
    notes: str | None = None,
    actor: User,
) -> InvoiceMailing:
    """Correct the courier, the tracking number or the notes; None leaves a field as it is."""
    permission_require(actor, "invoicing.change_invoicemailing")
    mailing = _mailing_locked(mailing)
    changes = {
        name: _text(name, value)
        for name, value in (
            ("courier", courier),
            ("tracking_number", tracking_number),
            ("notes", notes),
        )
        if value is not None
    }
    for name, value in changes.items():
        setattr(mailing, name, value)
    _clean(mailing)
    if changes:
        mailing.save(update_fields=list(changes))
    return mailing


@transaction.atomic
def mailing_confirm_by_customer(*, token: str) -> list[InvoiceMailing]:
    """The customer pressed "received" on the signed link: every mailing of the parcel still
    in transit is received today, confirmed by the customer. No login: the signature is the
    authority, and the history names the accountant who registered the mailing. Mailings
    already received or returned are left as they are (the page says so)."""
    first = mailing_token_read(token)
    today = timezone.localdate()
    done: list[InvoiceMailing] = []
    for sibling in mailing_parcel(first):
        mailing = _mailing_locked(sibling)
        if mailing.status != MailingStatus.SENT:
            continue
        done.append(_confirm(mailing, received_on=today, actor=mailing.created_by))
    return done


@audited
def _confirm(mailing: InvoiceMailing, *, received_on: date, actor: User) -> InvoiceMailing:
    return _receive(mailing, received_on=received_on, confirmed_by_customer=True, actor=actor)


@audited
@transaction.atomic
def settings_update(
    *, due_from_received: bool, unconfirmed_after_days: int, actor: User
) -> InvoicingSettings:
    """Save the invoicing settings (the one row, made on first save)."""
    permission_require(actor, "invoicing.change_invoicingsettings")
    if not isinstance(unconfirmed_after_days, int) or not (
        1 <= unconfirmed_after_days <= UNCONFIRMED_DAYS_MAX
    ):
        raise InvoicingSettingsInvalid(
            fields={
                "unconfirmed_after_days": [
                    _("Between 1 and %(max)s days.") % {"max": UNCONFIRMED_DAYS_MAX}
                ]
            }
        )
    row = for_update(InvoicingSettings.objects.all()).order_by("pk").first()
    if row is None:
        row = InvoicingSettings()
    row.due_from_received = bool(due_from_received)
    row.unconfirmed_after_days = unconfirmed_after_days
    row.save()
    return row
