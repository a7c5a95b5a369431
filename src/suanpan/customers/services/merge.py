"""Merging a duplicate customer into the one that stays."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from suanpan.core.audit import audited
from suanpan.core.locks import for_update, lock_rank
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.errors import CustomerClosed, CustomerMergeInvalid
from suanpan.customers.models import CUSTOMER_FIELDS, Contact, Customer
from suanpan.customers.services import ledger
from suanpan.customers.services.search import customer_search_refresh
from suanpan.users.models import User
from suanpan.users.permissions import permission_require


def _reverse_foreign_keys() -> list[models.ForeignObject[Any, Any]]:
    """Every foreign key to Customer from another model or itself (history tables excluded),
    in the lock order (docs/locking.md): moving a row locks it, so a delivery is moved before
    its order as shipping locks them."""
    fields = [
        rel.field
        for rel in Customer._meta.related_objects
        if (rel.one_to_many or rel.one_to_one)
        and not rel.related_model.__name__.startswith("Historical")
    ]
    return sorted(fields, key=lambda field: lock_rank(field.model))


@audited
@transaction.atomic
def customer_merge(*, actor: User, source: Customer, target: Customer) -> Customer:
    """Merge a duplicate into the customer that stays.

    Everything that refers to the duplicate (contacts, addresses, follow-ups and any business
    document) is moved to the target; the target's empty fields are filled from the duplicate;
    the duplicate is closed and remembers where it went. Nothing is deleted.
    """
    permission_require(actor, "customers.merge_customer")
    if source.pk == target.pk:
        raise CustomerMergeInvalid(_("A customer cannot be merged into itself."))
    # FOR UPDATE, not the weaker lock: documents for the duplicate being written now wait for
    # the merge, and then find it closed. Both in id order.
    customers = Customer.objects.filter(pk__in=[source.pk, target.pk]).order_by("pk")
    locked = {c.pk: c for c in for_update(customers, key_share=False)}
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise CustomerMergeInvalid(_("One of these customers was already merged."))
    if target.status == CustomerStatus.CLOSED:
        raise CustomerClosed(customer=target.name)

    for field in _reverse_foreign_keys():
        if field.model is Customer:
            field.model._default_manager.filter(**{field.name: source}).update(
                **{field.name: target}
            )
            continue
        for obj in field.model._default_manager.filter(**{field.name: source}):
            setattr(obj, field.name, target)
            if (
                isinstance(obj, Contact)
                and obj.is_primary
                and target.contacts.filter(is_primary=True).exists()
            ):
                obj.is_primary = False
            obj.save()

    for name in CUSTOMER_FIELDS:
        if getattr(target, name) in ("", None) and getattr(source, name) not in ("", None):
            setattr(target, name, getattr(source, name))
    credit_code = source.credit_code
    source.credit_code = ""  # unique when present: it moves to the target
    source.status = CustomerStatus.CLOSED
    source.merged_into = target
    source.save()
    update_change_reason(source, _("Merged into %(number)s") % {"number": target.number})
    if not target.credit_code:
        target.credit_code = credit_code
    target.save()
    update_change_reason(
        target, _("Merged %(number)s into this customer") % {"number": source.number}
    )
    ledger.customer_dimension_merge(source=source, target=target)
    target.tags.add(*source.tags.all())
    target.shared_with.add(*source.shared_with.exclude(pk=target.owner_id))
    customer_search_refresh(customer=source)
    customer_search_refresh(customer=target)
    return target
