"""Contacts and addresses of a customer the caller already may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from suanpan.customers.models import Address, Contact, Customer


def contact_list(*, customer: Customer) -> QuerySet[Contact]:
    return customer.contacts.all()


def address_list(*, customer: Customer) -> QuerySet[Address]:
    return customer.addresses.all()


def contact_get(*, customer: Customer, pk: int | str) -> Contact:
    """One contact of this customer; any other id answers 404."""
    return get_object_or_404(customer.contacts, pk=pk)


def address_get(*, customer: Customer, pk: int | str) -> Address:
    """One address of this customer; any other id answers 404."""
    return get_object_or_404(customer.addresses, pk=pk)
