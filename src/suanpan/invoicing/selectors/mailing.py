"""Reads of the mailing register (发票寄送), scoped by the invoice's customer like the invoices;
any other id answers 404. Also the defaults a new mailing starts from and the reading of a
customer's confirmation link."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from suanpan.core.history import history_entries
from suanpan.core.listing import list_filtered
from suanpan.core.signed_links import LinkExpired, LinkInvalid, link_token, link_token_read
from suanpan.customers.choices import AddressKind
from suanpan.customers.selectors import (
    address_list,
    contact_list,
    customer_delivery_address,
    customer_visible,
)
from suanpan.invoicing.choices import InvoiceKind, InvoiceStatus, MailingStatus
from suanpan.invoicing.errors import MailingLinkExpired, MailingLinkInvalid
from suanpan.invoicing.filters.mailing import MailingFilter
from suanpan.invoicing.models import Invoice, InvoiceMailing, InvoicingSettings
from suanpan.invoicing.selectors.invoices import invoice_visible
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

# Signed confirmation links: salted for this use only, good for 60 days.
TOKEN_SALT = "suanpan.invoicing.mailing.confirm"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = timedelta(days=60)
# A mailing in transit or delivered: the invoice needs no other.
MAILED_STATUSES = (MailingStatus.SENT, MailingStatus.RECEIVED)
# Invoices that may go in the post: issued and not voided or fully reversed.
MAILABLE_INVOICE_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_REVERSED)


def settings_get() -> InvoicingSettings:
    """The invoicing settings: the one row, or the defaults while nobody has saved any."""
    return InvoicingSettings.objects.order_by("pk").first() or InvoicingSettings()


def mailing_visible(*, user: User) -> QuerySet[InvoiceMailing]:
    """Mailings of invoices whose customer the user sees (the invoices' own scoping)."""
    if not user.has_perm("invoicing.view_invoicemailing"):
        return InvoiceMailing.objects.none()
    mailings = InvoiceMailing.objects.all()
    if user.has_perm("customers.view_all_customers"):
        return mailings
    return mailings.filter(invoice__customer_id__in=customer_visible(user=user).values("pk"))


def mailing_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[InvoiceMailing], MailingFilter]:
    """The register, filtered and sorted (newest sent first unless asked otherwise)."""
    base = mailing_visible(user=user).select_related("invoice", "invoice__customer")
    filterset = MailingFilter(data=filters or {}, queryset=base)
    rows = list_filtered(filterset, base=base, default_ordering=("-sent_on", "-id"))
    return rows, filterset


def mailing_get(*, user: User, pk: int | str) -> InvoiceMailing:
    try:
        return (
            mailing_visible(user=user)
            .select_related("invoice", "invoice__customer", "created_by")
            .get(pk=pk)
        )
    except (InvoiceMailing.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def unconfirmed_cutoff(days: int | None = None, *, today: date | None = None) -> date:
    """The latest send date a mailing still in transit may have to count as unconfirmed."""
    days = settings_get().unconfirmed_after_days if days is None else days
    return (today or timezone.localdate()) - timedelta(days=days)


def mailings_unconfirmed(*, user: User, days: int | None = None) -> QuerySet[InvoiceMailing]:
    """Sent, not received nor returned, and sent at least `days` ago (the setting when not
    given): the ones to chase, oldest first."""
    return (
        mailing_visible(user=user)
        .filter(status=MailingStatus.SENT, sent_on__lte=unconfirmed_cutoff(days))
        .select_related("invoice", "invoice__customer")
        .order_by("sent_on", "id")
    )


def invoice_mailings(*, invoice: Invoice) -> QuerySet[InvoiceMailing]:
    """The invoice's mailings for its detail page, newest first (the caller already may see
    the invoice)."""
    return invoice.mailings.select_related("created_by").order_by("-sent_on", "-id")


def invoice_mailing_status(invoice: Invoice) -> str:
    """The status of the invoice's latest mailing ("" when it was never mailed)."""
    latest = invoice.mailings.order_by("-sent_on", "-id").values_list("status", flat=True).first()
    return latest or ""


def mailing_history(*, mailing: InvoiceMailing, limit: int = 50) -> list[dict[str, Any]]:
    records = mailing.history.select_related("history_user").order_by("-history_id")
    return history_entries(list(records[: limit + 1]), limit=limit)


def invoices_to_mail(*, user: User, customer_id: int | None = None) -> QuerySet[Invoice]:
    """Issued blue invoices with no mailing in transit or received: what may go in the post
    next, oldest first; one customer's when `customer_id` is given."""
    mailed = InvoiceMailing.objects.filter(invoice=OuterRef("pk"), status__in=MAILED_STATUSES)
    invoices = (
        invoice_visible(user=user)
        .filter(kind=InvoiceKind.BLUE, status__in=MAILABLE_INVOICE_STATUSES)
        .exclude(Exists(mailed))
        .select_related("customer")
        .order_by("customer__name_pinyin", "customer_id", "issued_on", "id")
    )
    if customer_id is not None:
        invoices = invoices.filter(customer_id=customer_id)
    return invoices


def invoices_for_mailing(*, user: User, ids: list[int]) -> list[Invoice]:
    """The invoices a mailing is being made for, in id order; ids the user does not see are
    left out (the service refuses what is missing)."""
    return list(
        invoice_visible(user=user).filter(pk__in=ids).select_related("customer").order_by("pk")
    )


@dataclass(frozen=True)
class MailingDefaults:
    recipient: str
    phone: str
    address: str


def mailing_defaults(*, customer: Customer) -> MailingDefaults:
    """Where the customer's invoices go: its billing address (收票地址) with its receiver and
    phone, else its delivery address; the primary contact names the recipient and phone the
    address leaves blank, the customer's name when it has no contact."""
    billing = next(
        (
            a
            for a in address_list(customer=customer).order_by("id")
            if a.kind == AddressKind.BILLING and a.address.strip()
        ),
        None,
    )
    contact = contact_list(customer=customer).first()
    contact_name = contact.name.strip() if contact else ""
    contact_phone = contact.phone.strip() if contact else ""
    if billing is not None:
        region, street = billing.region.strip(), billing.address.strip()
        address = street if not region or street.startswith(region) else f"{region}{street}"
        return MailingDefaults(
            recipient=billing.receiver.strip() or contact_name or customer.name,
            phone=billing.phone.strip() or contact_phone,
            address=address,
        )
    return MailingDefaults(
        recipient=contact_name or customer.name,
        phone=contact_phone,
        address=customer_delivery_address(customer=customer),
    )


def mailing_token(mailing: InvoiceMailing) -> str:
    """The signed link token the customer confirms receipt with (no login)."""
    return link_token(salt=TOKEN_SALT, key="m", pk=mailing.pk)


def mailing_token_read(token: str) -> InvoiceMailing:
    """The mailing a confirmation token names; MailingLinkInvalid when it was changed (or
    names no mailing), MailingLinkExpired after 60 days."""
    try:
        pk = link_token_read(token, salt=TOKEN_SALT, key="m", max_age=TOKEN_MAX_AGE)
    except LinkExpired as exc:
        raise MailingLinkExpired from exc
    except LinkInvalid as exc:
        raise MailingLinkInvalid from exc
    mailing = (
        InvoiceMailing.objects.select_related("invoice", "invoice__customer").filter(pk=pk).first()
    )
    if mailing is None:
        raise MailingLinkInvalid
    return mailing


def mailing_parcel(mailing: InvoiceMailing) -> list[InvoiceMailing]:
    """The mailings sent in one parcel with this one: same customer, day and tracking number
    (a mailing without a tracking number stands alone)."""
    if not mailing.tracking_number:
        return [mailing]
    return list(
        InvoiceMailing.objects.filter(
            invoice__customer_id=mailing.invoice.customer_id,
            sent_on=mailing.sent_on,
            tracking_number=mailing.tracking_number,
        )
        .select_related("invoice", "invoice__customer")
        .order_by("pk")
    )
