"""The checks of one customer file, row by row: each row read into the customer (and contacts) it
would create or, in update mode, change; every error with its row and column. See imports for
the file's layout."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core.errors import DomainError, ValidationFailed
from suanpan.core.spreadsheet_imports import CREATE, RowError, chunks, header_map, word_norm
from suanpan.core.spreadsheets import Sheet, SheetRow
from suanpan.customers.models import Contact, Customer
from suanpan.customers.services import customers as services
from suanpan.customers.services.import_columns import (
    CHOICE_CLASSES,
    CHOICE_INDEX,
    CHOICE_WORDS,
    COLUMNS_BY_KEY,
    CONTACT_KEYS,
    CUSTOMER_KEYS,
    HEADER_INDEX,
    choice_word,
)
from suanpan.customers.services.import_updates import (
    ExistingCustomers,
    change_labels,
    changes_note,
    customer_copy,
)
from suanpan.customers.validators import phone_normalize
from suanpan.users.models import User


@dataclass
class ImportCandidate:
    """One customer to create, with the rows it came from."""

    row: int
    customer: Customer
    contacts: list[Contact] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    name_raw: str = ""
    # Update mode (import_updates): the customer the row names, what it changes.
    action: str = CREATE
    existing: Customer | None = None
    changed_fields: list[str] = field(default_factory=list)
    tags_given: bool = False

    @property
    def changes(self) -> list[str]:
        return change_labels(self)


class RowChecker:
    def __init__(
        self, *, actor: User, sheet: Sheet, default_owner: User, update: bool = False
    ) -> None:
        self.actor = actor
        self.sheet = sheet
        self.default_owner = default_owner
        self.errors: list[RowError] = []
        self.positions, self.headers, ignored = _header_map(sheet)
        self.ignored = ignored
        self.owners = self._owners_load()
        self.existing = (
            ExistingCustomers(
                actor=actor, numbers=self._column("number"), codes=self._column("credit_code")
            )
            if update
            else None
        )

    def _column(self, key: str) -> set[str]:
        position = self.positions.get(key)
        return set() if position is None else {row.get(position) for row in self.sheet.rows}

    def _owners_load(self) -> dict[str, User]:
        position = self.positions.get("owner")
        if position is None:
            return {}
        names = sorted({row.get(position) for row in self.sheet.rows} - {""})
        owners: dict[str, User] = {}
        for chunk in chunks(names):
            owners.update((u.username, u) for u in User.objects.filter(username__in=chunk))
        return owners

    def header(self, key: str) -> str:
        return self.headers.get(key) or COLUMNS_BY_KEY[key].header

    def error(self, row: int, key: str | None, message: Any) -> None:
        self.errors.append(RowError(row, self.header(key) if key else "", str(message)))

    def field_errors(self, row: int, errors: dict[str, list[str]], prefix: str = "") -> None:
        for name, messages in errors.items():
            key = f"{prefix}{name}" if name != "__all__" else None
            if key is not None and key not in COLUMNS_BY_KEY:
                key = None
            for message in messages:
                self.error(row, key, message)

    def values(self, row: SheetRow) -> dict[str, str]:
        return {key: row.get(position) for key, position in self.positions.items()}

    def _existing(self, row: int, values: dict[str, str]) -> Customer | None:
        if self.existing is None:
            return None
        existing = self.existing.match(
            number=values.get("number", ""), credit_code=values.get("credit_code", "")
        )
        if existing is not None and existing.pk not in self.existing.visible:
            key = "number" if values.get("number") in self.existing.by_number else "credit_code"
            self.error(row, key, _("This is another user's customer; it cannot be updated."))
        return existing

    def customer_build(self, row: int, values: dict[str, str]) -> ImportCandidate:
        existing = self._existing(row, values)
        customer = (
            Customer(owner=self.default_owner) if existing is None else customer_copy(existing)
        )
        failed: dict[str, list[str]] = {}
        tags: list[str] = []
        customer.name = values.get("name", "") or customer.name
        for key in CUSTOMER_KEYS:
            value = values.get(key, "")
            if not value or key == "number":
                continue
            if key in CHOICE_WORDS:
                choice = CHOICE_INDEX[key].get(word_norm(value))
                if choice is None:
                    allowed = ", ".join(choice_word(key, c.value) for c in CHOICE_CLASSES[key])
                    failed[key] = [
                        _("“%(value)s” is not one of: %(allowed)s.")
                        % {"value": value, "allowed": allowed}
                    ]
                else:
                    setattr(customer, key, choice)
            elif key == "owner":
                owner = self.owners.get(value)
                if owner is None:
                    failed[key] = [_("There is no user “%(value)s”.") % {"value": value}]
                else:
                    customer.owner = owner
            elif key == "tags":
                tags = _tags_split(value)
            elif key == "credit_limit_amount":
                amount = value.replace("¥", "").replace("￥", "").replace("元", "").strip()
                customer.credit_limit_amount = amount
            else:
                setattr(customer, key, value)
        if existing is None or customer.owner != existing.owner:
            self._owner_check(customer, failed)
        try:
            services.customer_identifiers_normalize(customer)
        except ValidationFailed as exc:
            for name, messages in exc.fields.items():
                failed.setdefault(name, []).extend(messages)
        if existing is None:
            customer.number = "pending"
        try:
            # Uniqueness is checked for the whole file at once (_duplicates_*); the owner was
            # looked up above. Both would cost a query per row here.
            customer.full_clean(
                exclude=["owner", "number", *failed],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                failed.setdefault(name, []).extend(messages)
        self.field_errors(row, failed)
        return ImportCandidate(
            row=row,
            customer=customer,
            tags=tags,
            name_raw=values.get("name", "") or customer.name,
            existing=existing,
            tags_given=bool(values.get("tags")),
        )

    def _owner_check(self, customer: Customer, failed: dict[str, list[str]]) -> None:
        if "owner" in failed:
            return
        try:
            services.customer_owner_check(actor=self.actor, owner=customer.owner)
        except DomainError as exc:
            failed["owner"] = [msg for msgs in exc.fields.values() for msg in msgs] or [exc.message]

    def contact_build(self, row: int, values: dict[str, str]) -> Contact:
        contact = Contact(
            name=values.get("contact_name", ""),
            title=values.get("contact_title", ""),
            phone=values.get("contact_phone", ""),
            email=values.get("contact_email", ""),
        )
        failed: dict[str, list[str]] = {}
        try:
            contact.phone = phone_normalize(contact.phone)
        except ValidationError as exc:
            failed["phone"] = exc.messages
        try:
            contact.full_clean(
                exclude=["customer", *failed], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                failed.setdefault(name, []).extend(messages)
        if failed:
            self.field_errors(row, failed, prefix="contact_")
        return contact

    def run(self, progress: Callable[[int], object] | None) -> list[ImportCandidate]:
        candidates: list[ImportCandidate] = []
        current: ImportCandidate | None = None
        for row in self.sheet.rows:
            values = self.values(row)
            name = values.get("name", "")
            has_customer = any(values.get(k) for k in CUSTOMER_KEYS if k != "number")
            has_contact = any(values.get(k) for k in CONTACT_KEYS)
            continues = (
                current is not None
                and has_contact
                and not has_customer
                and name in ("", current.name_raw)
            )
            if continues and current is not None:
                current.contacts.append(self.contact_build(row.number, values))
            else:
                current = self.customer_build(row.number, values)
                if has_contact:
                    current.contacts.append(self.contact_build(row.number, values))
                candidates.append(current)
            if progress:
                progress(1)
        for candidate in candidates:
            if candidate.existing is not None:
                changes_note(candidate, candidate.existing)
        return candidates


def _header_map(sheet: Sheet) -> tuple[dict[str, int], dict[str, str], list[str]]:
    return header_map(
        sheet,
        index=HEADER_INDEX,
        required="name",
        missing=gettext_lazy(
            "The header row (row %(row)s) has no “%(column)s” (name) column. "
            "The first row must hold the column names."
        ),
        missing_header=COLUMNS_BY_KEY["name"].header,
    )


def _tags_split(value: str) -> list[str]:
    for separator in ("，", "、", ";", "；"):
        value = value.replace(separator, ",")
    # Same rule as the service: trimmed, at most 40 characters, no repeats.
    return list(dict.fromkeys(t.strip()[:40] for t in value.split(",") if t.strip()))
