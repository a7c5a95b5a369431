"""The customer import's update mode: rows that name an existing customer by its number (客户编号)
or credit code update it instead of being refused as duplicates, so a customer export, edited or
not, imports again. An empty cell keeps the current value; contacts whose name the customer has
already are left as they are, others are added; the tags column, when filled, replaces the tags.
A row that changes nothing is counted "unchanged" and not written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from suanpan.core.spreadsheet_imports import UNCHANGED, UPDATE, chunks
from suanpan.customers import selectors
from suanpan.customers.models import Contact, Customer
from suanpan.customers.services import customers as services
from suanpan.customers.services.contacts import contact_save
from suanpan.customers.services.import_columns import CUSTOMER_KEYS
from suanpan.customers.services.search import customer_search_refresh
from suanpan.customers.validators import credit_code_normalize
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.services.import_rows import ImportCandidate

UPDATE_PERMISSION = "customers.change_customer"
# What a row may change on an existing customer: the name and the other customer columns, less
# the key and the tags (which are not a field of the row's customer object).
UPDATED_FIELDS = ("name", *(key for key in CUSTOMER_KEYS if key not in ("number", "tags")))


class ExistingCustomers:
    """The customers a file's numbers and credit codes name, loaded a chunk at a time, and
    which of them the importing user may see."""

    def __init__(self, *, actor: User, numbers: Iterable[str], codes: Iterable[str]) -> None:
        self.by_number: dict[str, Customer] = {}
        self.by_code: dict[str, Customer] = {}
        normalised = sorted({_code(code) for code in codes} - {""})
        rows = Customer.objects.select_related("owner").prefetch_related("contacts", "tags")
        for chunk in chunks(sorted(set(numbers) - {""})):
            self.by_number.update((c.number, c) for c in rows.filter(number__in=chunk))
        for chunk in chunks(normalised):
            self.by_code.update((c.credit_code, c) for c in rows.filter(credit_code__in=chunk))
        found = sorted({c.pk for c in (*self.by_number.values(), *self.by_code.values())})
        self.visible: set[int] = set()
        for chunk in chunks(found):
            seen = selectors.customer_visible(user=actor).filter(pk__in=chunk)
            self.visible.update(seen.values_list("pk", flat=True))

    def match(self, *, number: str, credit_code: str) -> Customer | None:
        """The customer a row names: by number first, else by credit code."""
        if number and number in self.by_number:
            return self.by_number[number]
        return self.by_code.get(_code(credit_code)) if credit_code else None


def _code(text: str) -> str:
    try:
        return credit_code_normalize(text)
    except ValidationError:
        return ""


def customer_copy(customer: Customer) -> Customer:
    """A detached copy the row's values are set on, so the original shows what changes."""
    copy = Customer(
        **{f.attname: getattr(customer, f.attname) for f in Customer._meta.concrete_fields}
    )
    copy._state.adding = False
    copy._state.db = customer._state.db
    copy.owner = customer.owner
    return copy


def changes_note(candidate: ImportCandidate, existing: Customer) -> None:
    """Set the candidate's action and what it changes on the existing customer."""
    customer = candidate.customer
    fields = [
        name
        for name in UPDATED_FIELDS
        if getattr(existing, _attname(name)) != getattr(customer, _attname(name))
    ]
    if candidate.tags_given and sorted(candidate.tags) != sorted(
        t.name for t in existing.tags.all()
    ):
        fields.append("tags")
    known = {contact.name for contact in existing.contacts.all()}
    candidate.contacts = [c for c in candidate.contacts if c.name not in known]
    if candidate.contacts:
        fields.append("contacts")
    candidate.existing = existing
    candidate.changed_fields = fields
    candidate.action = UPDATE if fields else UNCHANGED


def _attname(name: str) -> str:
    return str(getattr(Customer._meta.get_field(name), "attname", name))


def _label(name: str) -> str:
    return str(getattr(Customer._meta.get_field(name), "verbose_name", name))


def change_labels(candidate: ImportCandidate) -> list[str]:
    return [_label(name) for name in candidate.changed_fields]


def customers_update_save(
    *, actor: User, candidates: Sequence[ImportCandidate], change_reason: str
) -> int:
    """Write the update rows of a clean report through customer_update (owner rules, ledger
    dimension, search fields and history as for one edit); inside the caller's transaction."""
    count = 0
    for candidate in candidates:
        if candidate.action != UPDATE or candidate.existing is None:
            continue
        data: dict[str, Any] = {
            name: getattr(candidate.customer, name)
            for name in candidate.changed_fields
            if name not in ("tags", "contacts")
        }
        if "tags" in candidate.changed_fields:
            data["tags"] = candidate.tags
        customer = services.customer_update(actor=actor, customer=candidate.existing, data=data)
        for contact in candidate.contacts:
            contact_save(
                customer=customer,
                contact=Contact(customer=customer),
                data={
                    "name": contact.name,
                    "title": contact.title,
                    "phone": contact.phone,
                    "email": contact.email,
                },
            )
        if candidate.contacts:
            customer_search_refresh(customer=customer)
        _history_reason(customer, change_reason)
        count += 1
    return count


def _history_reason(customer: Customer, reason: str) -> None:
    latest = customer.history.order_by("-history_id").first()
    if latest is not None and not latest.history_change_reason:
        latest.history_change_reason = reason
        latest.save(update_fields=["history_change_reason"])
