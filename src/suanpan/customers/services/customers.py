"""Customers: create (one or many), update, close and reopen, delete."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, update_change_reason

from suanpan.core.audit import audited
from suanpan.core.errors import ValidationFailed, validation_failed_from_django
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_format, number_next, sequence_reserve
from suanpan.core.writes import fields_assign, instance_clean
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.errors import (
    CustomerHasDocuments,
    CustomerMergeInvalid,
    CustomerOwnerNotAllowed,
)
from suanpan.customers.models import CUSTOMER_FIELDS, Contact, Customer, Tag
from suanpan.customers.services import ledger
from suanpan.customers.services.contacts import contact_save
from suanpan.customers.services.search import customer_search_refresh, search_fields_set
from suanpan.customers.validators import credit_code_normalize
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

CUSTOMER_SERIES = "KH"
RELATIONS = ("tags", "shared_with")  # set by _set_relations after the save


def customer_identifiers_normalize(customer: Customer) -> None:
    """Normalise the credit code and tax number in place; a bad code is a field error."""
    errors: dict[str, list[str]] = {}
    try:
        customer.credit_code = credit_code_normalize(customer.credit_code)
    except ValidationError as exc:
        errors["credit_code"] = exc.messages
    if customer.invoice_tax_number:
        customer.invoice_tax_number = "".join(customer.invoice_tax_number.split()).upper()
    if errors:
        raise validation_failed_from_django(ValidationError(errors))


def customer_owner_check(*, actor: User, owner: User | None) -> None:
    """A salesperson owns only what they create; managers may hand customers to anyone active."""
    if owner is None:
        return
    if owner != actor and not actor.has_perm("customers.view_all_customers"):
        raise CustomerOwnerNotAllowed()
    if not owner.is_active:
        raise validation_failed_from_django(
            ValidationError({"owner": _("This user is deactivated.")})
        )


def _credit_code_unique_check(customer: Customer) -> None:
    """Report a taken credit code on its field (the database constraint is the last guard)."""
    if (
        customer.credit_code
        and Customer.objects.filter(credit_code=customer.credit_code)
        .exclude(pk=customer.pk)
        .exists()
    ):
        raise validation_failed_from_django(
            ValidationError({"credit_code": _("A customer with this credit code already exists.")})
        )


def _save_unique(customer: Customer) -> None:
    """Save; a credit code taken by a concurrent request since full_clean() is a field error."""
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError:
        _credit_code_unique_check(customer)
        raise


def _set_relations(customer: Customer, data: Mapping[str, Any]) -> None:
    if "tags" in data:
        names = [n.strip() for n in data["tags"] or [] if n and n.strip()]
        tags = [Tag.objects.get_or_create(name=n[:40])[0] for n in dict.fromkeys(names)]
        customer.tags.set(tags)
    if "shared_with" in data:
        customer.shared_with.set([u for u in data["shared_with"] or [] if u != customer.owner])


@audited
@transaction.atomic
def customer_create(
    *, actor: User, data: Mapping[str, Any], contacts: Iterable[Mapping[str, Any]] = ()
) -> Customer:
    """Create a customer (with optional contacts); the owner defaults to the actor."""
    permission_require(actor, "customers.add_customer")
    customer = Customer(owner=actor)
    fields_assign(customer, data, CUSTOMER_FIELDS, handled=RELATIONS)
    customer_owner_check(actor=actor, owner=customer.owner)
    customer_identifiers_normalize(customer)
    customer.number = "pending"
    _credit_code_unique_check(customer)
    instance_clean(customer)
    customer.number = number_next(series=CUSTOMER_SERIES, width=6)
    _save_unique(customer)
    ledger.customer_dimension_sync(customer=customer)
    _set_relations(customer, data)
    for index, contact_data in enumerate(contacts):
        try:
            contact_save(customer=customer, contact=Contact(customer=customer), data=contact_data)
        except ValidationFailed as exc:
            # Say which contact: the API sends several at once.
            raise ValidationFailed(
                fields={f"contacts.{index}.{name}": msgs for name, msgs in exc.fields.items()}
            ) from exc
    customer_search_refresh(customer=customer)
    return customer


@audited
@transaction.atomic
def customer_bulk_create(
    *,
    actor: User,
    rows: list[tuple[Customer, list[Contact]]],
    tags: Sequence[Sequence[str]] = (),
    change_reason: str = "",
    batch_size: int = 2000,
) -> list[Customer]:
    """Create many customers at once (import, demo data): all of them or none.

    `tags`, when given, holds one list of tag names per row.

    Each customer must already be validated (full_clean) by the caller; numbers are reserved as
    one consecutive block, and search fields are computed here.
    """
    permission_require(actor, "customers.add_customer")
    if not rows:
        return []
    first = sequence_reserve(series=CUSTOMER_SERIES, count=len(rows))
    customers = []
    for offset, (customer, contacts) in enumerate(rows):
        customer.number = number_format(series=CUSTOMER_SERIES, value=first + offset, width=6)
        search_fields_set(
            customer,
            contact_names=[c.name for c in contacts],
            phones=[c.phone for c in contacts if c.phone],
        )
        customers.append(customer)
    # Both databases return primary keys from bulk inserts, which the contacts need.
    bulk_create_with_history(
        customers,
        Customer,
        batch_size=batch_size,
        default_user=actor,
        default_change_reason=change_reason,
    )
    ledger.customers_dimension_sync(customers=customers)
    contacts_to_save = []
    for customer, contacts in rows:
        for index, contact in enumerate(contacts):
            contact.customer = customer
            contact.is_primary = index == 0
            contacts_to_save.append(contact)
    bulk_create_with_history(
        contacts_to_save,
        Contact,
        batch_size=batch_size,
        default_user=actor,
        default_change_reason=change_reason,
    )
    if tags:
        _tags_attach_bulk(customers, tags, batch_size=batch_size)
    return customers


def _tags_attach_bulk(
    customers: Sequence[Customer], tags: Sequence[Sequence[str]], *, batch_size: int
) -> None:
    """Tag many new customers with a constant number of queries per batch."""
    rows = [[name.strip()[:40] for name in row if name.strip()] for row in tags]
    names = sorted({name for row in rows for name in row})
    if not names:
        return
    Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
    tag_ids: dict[str, int] = {}
    for start in range(0, len(names), batch_size):
        chunk = names[start : start + batch_size]
        tag_ids.update(Tag.objects.filter(name__in=chunk).values_list("name", "pk"))
    through = Customer.tags.through
    through.objects.bulk_create(
        [
            through(customer_id=customer.pk, tag_id=tag_ids[name])
            for customer, row in zip(customers, rows, strict=True)
            for name in dict.fromkeys(row)
        ],
        batch_size=batch_size,
    )


@audited
@transaction.atomic
def customer_update(*, actor: User, customer: Customer, data: Mapping[str, Any]) -> Customer:
    permission_require(actor, "customers.change_customer")
    customer = for_update(Customer.objects.all()).get(pk=customer.pk)
    old_owner, old_number = customer.owner, customer.number
    fields_assign(customer, data, CUSTOMER_FIELDS, handled=RELATIONS)
    if customer.owner != old_owner:
        customer_owner_check(actor=actor, owner=customer.owner)
    if data.get("status") == CustomerStatus.CLOSED:
        permission_require(actor, "customers.deactivate_customer")
    customer_identifiers_normalize(customer)
    _credit_code_unique_check(customer)
    instance_clean(customer)
    _save_unique(customer)
    ledger.customer_dimension_sync(customer=customer, previous_number=old_number)
    _set_relations(customer, data)
    customer_search_refresh(customer=customer)
    return customer


@audited
@transaction.atomic
def customer_deactivate(*, actor: User, customer: Customer, reason: str = "") -> Customer:
    """Close a customer: it stays in reports and history but takes no new business."""
    permission_require(actor, "customers.deactivate_customer")
    customer = for_update(Customer.objects.all()).get(pk=customer.pk)
    if customer.status != CustomerStatus.CLOSED:
        customer.status = CustomerStatus.CLOSED
        customer.save(update_fields=["status", "updated_at"])
        update_change_reason(customer, reason or _("Deactivated"))
        ledger.customer_dimension_sync(customer=customer)
    return customer


@audited
@transaction.atomic
def customer_reactivate(*, actor: User, customer: Customer) -> Customer:
    permission_require(actor, "customers.deactivate_customer")
    customer = for_update(Customer.objects.all()).get(pk=customer.pk)
    if customer.merged_into_id is not None:
        raise CustomerMergeInvalid(_("A merged customer cannot be reactivated."))
    if customer.status == CustomerStatus.CLOSED:
        customer.status = CustomerStatus.ACTIVE
        customer.save(update_fields=["status", "updated_at"])
        update_change_reason(customer, _("Reactivated"))
        ledger.customer_dimension_sync(customer=customer)
    return customer


def _document_names(objs: Iterable[models.Model]) -> str:
    labels = sorted({str(type(o)._meta.verbose_name_plural) for o in objs})
    return ", ".join(labels)


@audited
@transaction.atomic
def customer_delete(*, actor: User, customer: Customer) -> None:
    """Delete a customer entered by mistake; refused once any business document refers to it.

    Business documents hold PROTECT foreign keys to the customer, so the database decides what
    counts; contacts, addresses and follow-ups go with the customer.
    """
    permission_require(actor, "customers.delete_customer")
    customer = for_update(Customer.objects.all(), key_share=False).get(pk=customer.pk)
    try:
        with transaction.atomic():
            customer.delete()
            ledger.customer_dimension_retire(customer=customer)
    except (ProtectedError, RestrictedError) as exc:
        objs = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        raise CustomerHasDocuments(customer=customer.name, documents=_document_names(objs)) from exc
