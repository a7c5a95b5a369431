"""Contacts of a customer: at most one primary, and the only contact is always the primary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from suanpan.core.audit import audited
from suanpan.core.errors import validation_failed_from_django
from suanpan.core.locks import for_update
from suanpan.core.writes import fields_assign, instance_clean
from suanpan.customers.models import Contact, Customer
from suanpan.customers.services.search import customer_search_refresh
from suanpan.customers.validators import phone_normalize
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

CONTACT_FIELDS = ("name", "title", "phone", "email", "is_primary")


def contact_save(*, customer: Customer, contact: Contact, data: Mapping[str, Any]) -> Contact:
    fields_assign(contact, data, CONTACT_FIELDS)
    try:
        contact.phone = phone_normalize(contact.phone)
    except ValidationError as exc:
        raise validation_failed_from_django(ValidationError({"phone": exc.messages})) from exc
    instance_clean(contact, exclude=["customer"])
    if contact.is_primary:
        customer.contacts.exclude(pk=contact.pk).filter(is_primary=True).update(is_primary=False)
    elif not customer.contacts.exclude(pk=contact.pk).exists():
        contact.is_primary = True  # the only contact is the primary one
    contact.save()
    return contact


@audited
@transaction.atomic
def contact_create(*, actor: User, customer: Customer, data: Mapping[str, Any]) -> Contact:
    permission_require(actor, "customers.add_contact")
    customer = for_update(Customer.objects.all()).get(pk=customer.pk)
    contact = contact_save(customer=customer, contact=Contact(customer=customer), data=data)
    customer_search_refresh(customer=customer)
    return contact


@audited
@transaction.atomic
def contact_update(*, actor: User, contact: Contact, data: Mapping[str, Any]) -> Contact:
    permission_require(actor, "customers.change_contact")
    customer = for_update(Customer.objects.all()).get(pk=contact.customer_id)
    contact = contact_save(customer=customer, contact=contact, data=data)
    customer_search_refresh(customer=customer)
    return contact


@audited
@transaction.atomic
def contact_delete(*, actor: User, contact: Contact) -> None:
    permission_require(actor, "customers.delete_contact")
    customer = for_update(Customer.objects.all()).get(pk=contact.customer_id)
    was_primary = contact.is_primary
    contact.delete()
    if was_primary:
        successor = customer.contacts.order_by("id").first()
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
    customer_search_refresh(customer=customer)
