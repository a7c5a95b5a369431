"""The search fields of a customer (pinyin, initials, search text), kept in step with its data."""

from __future__ import annotations

from suanpan.customers import calculations
from suanpan.customers.models import Customer


def search_fields_set(customer: Customer, *, contact_names: list[str], phones: list[str]) -> None:
    fields = calculations.search_fields(
        name=customer.name,
        short_name=customer.short_name,
        number=customer.number,
        credit_code=customer.credit_code,
        contact_names=contact_names,
        phones=phones,
    )
    customer.name_pinyin = fields.name_pinyin
    customer.name_initials = fields.name_initials
    customer.search_text = fields.search_text
    customer.name_key = calculations.name_key(customer.name)[:600]


def customer_search_refresh(*, customer: Customer) -> None:
    """Recompute what search matches; called after every write that changes it."""
    contacts = list(customer.contacts.values_list("name", "phone"))
    search_fields_set(
        customer,
        contact_names=[name for name, _phone in contacts],
        phones=[phone for _name, phone in contacts if phone],
    )
    Customer.objects.filter(pk=customer.pk).update(
        name_pinyin=customer.name_pinyin,
        name_initials=customer.name_initials,
        search_text=customer.search_text,
        name_key=customer.name_key,
    )
