"""Addresses of a customer (billing, delivery, office)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from suanpan.core.audit import audited
from suanpan.core.writes import fields_assign, instance_clean
from suanpan.customers.models import Address, Customer
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

ADDRESS_FIELDS = ("kind", "region", "address", "postcode", "receiver", "phone")


@audited
@transaction.atomic
def address_create(*, actor: User, customer: Customer, data: Mapping[str, Any]) -> Address:
    permission_require(actor, "customers.add_address")
    address = Address(customer=customer)
    fields_assign(address, data, ADDRESS_FIELDS)
    instance_clean(address, exclude=["customer"])
    address.save()
    return address


@audited
@transaction.atomic
def address_update(*, actor: User, address: Address, data: Mapping[str, Any]) -> Address:
    permission_require(actor, "customers.change_address")
    fields_assign(address, data, ADDRESS_FIELDS)
    instance_clean(address, exclude=["customer"])
    address.save()
    return address


@audited
@transaction.atomic
def address_delete(*, actor: User, address: Address) -> None:
    permission_require(actor, "customers.delete_address")
    address.delete()
