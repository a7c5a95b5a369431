"""Contacts and addresses of a customer the caller already may see."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from suanpan.customers.choices import AddressKind
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


def customer_delivery_addresses(*, customers: Iterable[Customer]) -> dict[int, str]:
    """Where each customer's goods go when an order names no address: its first shipping
    address (region and street), else its own address; customers with neither are left out.
    One query however many customers (order imports ask for a batch at once)."""
    by_id = {customer.pk: customer for customer in customers}
    found: dict[int, str] = {}
    shipping = Address.objects.filter(customer_id__in=by_id, kind=AddressKind.SHIPPING)
    for customer_id, region, street in shipping.order_by("customer_id", "id").values_list(
        "customer_id", "region", "address"
    ):
        if customer_id not in found and street.strip():
            found[customer_id] = _address_text(region, street)
    for customer_id, customer in by_id.items():
        if customer_id not in found and customer.address.strip():
            found[customer_id] = customer.address.strip()
    return found


def customer_delivery_address(*, customer: Customer) -> str:
    """The one customer's default delivery address, or "" when it has none."""
    return customer_delivery_addresses(customers=[customer]).get(customer.pk, "")


def _address_text(region: str, street: str) -> str:
    """广东省深圳市 + 南山区科技园 → one line; a street already naming its region is kept."""
    region, street = region.strip(), street.strip()
    return street if not region or street.startswith(region) else f"{region}{street}"
