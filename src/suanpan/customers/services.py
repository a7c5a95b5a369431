"""Every write to customers. Services check the actor's permissions, so UI, API and CLI agree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, update_change_reason

from suanpan.core.audit import audited
from suanpan.core.errors import (
    ValidationFailed,
    validation_failed_from_django,
)
from suanpan.core.numbering import number_format, number_next, sequence_reserve
from suanpan.customers import calculations, ledger_sync
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.errors import (
    CustomerClosed,
    CustomerHasDocuments,
    CustomerMergeInvalid,
    CustomerOwnerNotAllowed,
)
from suanpan.customers.models import (
    CUSTOMER_FIELDS,
    Address,
    Contact,
    Customer,
    FollowUp,
    Tag,
)
from suanpan.customers.validators import credit_code_normalize, phone_normalize
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

CONTACT_FIELDS = ("name", "title", "phone", "email", "is_primary")
ADDRESS_FIELDS = ("kind", "region", "address", "postcode", "receiver", "phone")
FOLLOWUP_FIELDS = ("followed_on", "way", "content", "next_step", "next_on")
CUSTOMER_SERIES = "KH"


def _assign(instance: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed) - {"tags", "shared_with"}
    if unknown:
        raise validation_failed_from_django(
            ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
        )
    for name, value in data.items():
        if name in allowed:
            setattr(instance, name, value.strip() if isinstance(value, str) else value)


def _clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise validation_failed_from_django(exc) from exc


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


def _search_fields_set(customer: Customer, *, contact_names: list[str], phones: list[str]) -> None:
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


def customer_search_refresh(*, customer: Customer) -> None:
    """Recompute what search matches; called after every write that changes it."""
    contacts = list(customer.contacts.values_list("name", "phone"))
    _search_fields_set(
        customer,
        contact_names=[name for name, _phone in contacts],
        phones=[phone for _name, phone in contacts if phone],
    )
    Customer.objects.filter(pk=customer.pk).update(
        name_pinyin=customer.name_pinyin,
        name_initials=customer.name_initials,
        search_text=customer.search_text,
    )


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
    _assign(customer, data, CUSTOMER_FIELDS)
    customer_owner_check(actor=actor, owner=customer.owner)
    customer_identifiers_normalize(customer)
    customer.number = "pending"
    _credit_code_unique_check(customer)
    _clean(customer)
    customer.number = number_next(series=CUSTOMER_SERIES, width=6)
    _save_unique(customer)
    ledger_sync.customer_dimension_sync(customer=customer)
    _set_relations(customer, data)
    for index, contact_data in enumerate(contacts):
        try:
            _contact_save(customer=customer, contact=Contact(customer=customer), data=contact_data)
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
        _search_fields_set(
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
    ledger_sync.customers_dimension_sync(customers=customers)
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
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    old_owner, old_number = customer.owner, customer.number
    _assign(customer, data, CUSTOMER_FIELDS)
    if customer.owner != old_owner:
        customer_owner_check(actor=actor, owner=customer.owner)
    if data.get("status") == CustomerStatus.CLOSED:
        permission_require(actor, "customers.deactivate_customer")
    customer_identifiers_normalize(customer)
    _credit_code_unique_check(customer)
    _clean(customer)
    _save_unique(customer)
    ledger_sync.customer_dimension_sync(customer=customer, previous_number=old_number)
    _set_relations(customer, data)
    customer_search_refresh(customer=customer)
    return customer


@audited
@transaction.atomic
def customer_deactivate(*, actor: User, customer: Customer, reason: str = "") -> Customer:
    """Close a customer: it stays in reports and history but takes no new business."""
    permission_require(actor, "customers.deactivate_customer")
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.status != CustomerStatus.CLOSED:
        customer.status = CustomerStatus.CLOSED
        customer.save(update_fields=["status", "updated_at"])
        update_change_reason(customer, reason or _("Deactivated"))
        ledger_sync.customer_dimension_sync(customer=customer)
    return customer


@audited
@transaction.atomic
def customer_reactivate(*, actor: User, customer: Customer) -> Customer:
    permission_require(actor, "customers.deactivate_customer")
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.merged_into_id is not None:
        raise CustomerMergeInvalid(_("A merged customer cannot be reactivated."))
    if customer.status == CustomerStatus.CLOSED:
        customer.status = CustomerStatus.ACTIVE
        customer.save(update_fields=["status", "updated_at"])
        update_change_reason(customer, _("Reactivated"))
        ledger_sync.customer_dimension_sync(customer=customer)
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
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    try:
        with transaction.atomic():
            customer.delete()
            ledger_sync.customer_dimension_retire(customer=customer)
    except (ProtectedError, RestrictedError) as exc:
        objs = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        raise CustomerHasDocuments(customer=customer.name, documents=_document_names(objs)) from exc


def _reverse_foreign_keys() -> list[models.ForeignObject[Any, Any]]:
    """Every foreign key to Customer from another model or itself (history tables excluded)."""
    return [
        rel.field
        for rel in Customer._meta.related_objects
        if (rel.one_to_many or rel.one_to_one)
        and not rel.related_model.__name__.startswith("Historical")
    ]


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
    locked = {
        c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
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
    ledger_sync.customer_dimension_merge(source=source, target=target)
    target.tags.add(*source.tags.all())
    target.shared_with.add(*source.shared_with.exclude(pk=target.owner_id))
    customer_search_refresh(customer=source)
    customer_search_refresh(customer=target)
    return target


def _contact_save(*, customer: Customer, contact: Contact, data: Mapping[str, Any]) -> Contact:
    _assign(contact, data, CONTACT_FIELDS)
    try:
        contact.phone = phone_normalize(contact.phone)
    except ValidationError as exc:
        raise validation_failed_from_django(ValidationError({"phone": exc.messages})) from exc
    _clean(contact, exclude=["customer"])
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
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    contact = _contact_save(customer=customer, contact=Contact(customer=customer), data=data)
    customer_search_refresh(customer=customer)
    return contact


@audited
@transaction.atomic
def contact_update(*, actor: User, contact: Contact, data: Mapping[str, Any]) -> Contact:
    permission_require(actor, "customers.change_contact")
    customer = Customer.objects.select_for_update().get(pk=contact.customer_id)
    contact = _contact_save(customer=customer, contact=contact, data=data)
    customer_search_refresh(customer=customer)
    return contact


@audited
@transaction.atomic
def contact_delete(*, actor: User, contact: Contact) -> None:
    permission_require(actor, "customers.delete_contact")
    customer = Customer.objects.select_for_update().get(pk=contact.customer_id)
    was_primary = contact.is_primary
    contact.delete()
    if was_primary:
        successor = customer.contacts.order_by("id").first()
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
    customer_search_refresh(customer=customer)


@audited
@transaction.atomic
def address_create(*, actor: User, customer: Customer, data: Mapping[str, Any]) -> Address:
    permission_require(actor, "customers.add_address")
    address = Address(customer=customer)
    _assign(address, data, ADDRESS_FIELDS)
    _clean(address, exclude=["customer"])
    address.save()
    return address


@audited
@transaction.atomic
def address_update(*, actor: User, address: Address, data: Mapping[str, Any]) -> Address:
    permission_require(actor, "customers.change_address")
    _assign(address, data, ADDRESS_FIELDS)
    _clean(address, exclude=["customer"])
    address.save()
    return address


@audited
@transaction.atomic
def address_delete(*, actor: User, address: Address) -> None:
    permission_require(actor, "customers.delete_address")
    address.delete()


@audited
@transaction.atomic
def followup_create(*, actor: User, customer: Customer, data: Mapping[str, Any]) -> FollowUp:
    permission_require(actor, "customers.add_followup")
    followup = FollowUp(customer=customer, author=actor)
    _assign(followup, data, FOLLOWUP_FIELDS)
    _clean(followup, exclude=["customer", "author"])
    if followup.next_on and followup.next_on < followup.followed_on:
        raise validation_failed_from_django(
            ValidationError({"next_on": _("The next step cannot be before the follow-up.")})
        )
    followup.save()
    return followup
