"""Import customers (with contacts) from xlsx or csv: a dry run that lists every bad row, then an
all-or-nothing commit.

File layout (the export writes the same, so an exported file imports again):

* Row 1 is the header. Chinese headers (客户名称, 统一社会信用代码 …) or their English names
  (name, credit_code …) are accepted, in any order; only 客户名称 / name is required. Unknown
  columns are ignored and listed in the report; 客户编号 (number) is read past, because
  numbers are assigned on import.
* One row per customer, with optional contact columns (联系人, 职务, 电话, 邮箱).
* A customer with several contacts takes one more row per contact: the name is repeated (or left
  empty, as in merged cells) and only contact columns are filled. The first contact becomes
  the primary one.
* Choices take the Chinese word or the English value (类型: 企业 / enterprise, 个人, 政府;
  状态: 潜在客户 / prospect, 活跃 / active, 暂停 / on_hold, 停用 / closed; 等级: A–D; 来源 …).
* 负责人 is a username; empty means the default owner (the importing user unless chosen).

Rows are checked with the services' rules (credit code checksum, phone numbers, model
full_clean, choices, ranges, owner rules) and every error is collected with its row and column.
Duplicates by credit code or name are errors, against existing customers and within the file; names
are compared after NFKC, trimming, collapsing spaces and case folding (customers.calculations).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from suanpan.core.spreadsheet_imports import (
    ImportInvalid,
    RowError,
    chunks,
    header_map,
    word_norm,
)
from suanpan.core.spreadsheet_imports import ImportReport as BaseImportReport
from suanpan.core.spreadsheets import Sheet, SheetRow, sheet_read
from suanpan.customers import selectors
from suanpan.customers.calculations import name_key
from suanpan.customers.models import Contact, Customer
from suanpan.customers.services import customers as services
from suanpan.customers.services.import_columns import (
    CHOICE_CLASSES,
    CHOICE_INDEX,
    CHOICE_WORDS,
    COLUMNS,
    COLUMNS_BY_KEY,
    CONTACT_KEYS,
    CUSTOMER_KEYS,
    HEADER_INDEX,
    choice_word,
)
from suanpan.customers.validators import phone_normalize
from suanpan.users.models import User

IMPORT_PERMISSION = "customers.import_customer"


class CustomerImportInvalid(ImportInvalid):
    code = "customer_import_invalid"


@dataclass
class ImportCandidate:
    """One customer to create, with the rows it came from."""

    row: int
    customer: Customer
    contacts: list[Contact] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    name_raw: str = ""


@dataclass
class ImportReport(BaseImportReport):
    candidates: list[ImportCandidate] = field(default_factory=list)

    @property
    def customer_count(self) -> int:
        return len(self.candidates)

    @property
    def contact_count(self) -> int:
        return sum(len(c.contacts) for c in self.candidates)


def import_permission_require(actor: User) -> None:
    # The commit creates through customer_bulk_create, which also needs add_customer.
    if not (actor.has_perm(IMPORT_PERMISSION) and actor.has_perm("customers.add_customer")):
        raise PermissionDeniedError()


def customers_import_read(
    *,
    actor: User,
    data: bytes | IO[bytes],
    filename: str,
    encoding: str | None = None,
    default_owner: User | None = None,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Read a file and check every row: the dry run. Writes nothing.

    A file that cannot be read at all raises SpreadsheetInvalid; row errors go in the report.
    """
    import_permission_require(actor)
    sheet = sheet_read(data, filename=filename, encoding=encoding)
    return customers_import_validate(
        actor=actor, sheet=sheet, filename=filename, default_owner=default_owner, progress=progress
    )


class _Validator:
    def __init__(self, *, actor: User, sheet: Sheet, default_owner: User) -> None:
        self.actor = actor
        self.sheet = sheet
        self.default_owner = default_owner
        self.errors: list[RowError] = []
        self.positions, self.headers, ignored = _header_map(sheet)
        self.ignored = ignored
        self.owners = self._owners_load()

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

    def customer_build(self, row: int, values: dict[str, str]) -> ImportCandidate:
        customer = Customer(owner=self.default_owner)
        failed: dict[str, list[str]] = {}
        tags: list[str] = []
        customer.name = values.get("name", "")
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
        self._owner_check(customer, failed)
        try:
            services.customer_identifiers_normalize(customer)
        except ValidationFailed as exc:
            for name, messages in exc.fields.items():
                failed.setdefault(name, []).extend(messages)
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
        return ImportCandidate(row=row, customer=customer, tags=tags, name_raw=customer.name)

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
        return candidates


def customers_import_validate(
    *,
    actor: User,
    sheet: Sheet,
    filename: str,
    default_owner: User | None = None,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Check every row of a sheet already read; collect all errors with row and column."""
    import_permission_require(actor)
    validator = _Validator(actor=actor, sheet=sheet, default_owner=default_owner or actor)
    candidates = validator.run(progress)
    errors = validator.errors
    errors.extend(_duplicates_in_file(candidates, validator))
    errors.extend(_duplicates_in_db(actor, candidates, header=validator.header))
    return ImportReport(
        filename=filename,
        format=sheet.format,
        row_count=len(sheet.rows),
        candidates=candidates,
        errors=sorted(errors, key=lambda e: (e.row, _column_order(e.column, validator))),
        ignored_columns=validator.ignored,
    )


def _column_order(header: str, validator: _Validator) -> int:
    for index, column in enumerate(COLUMNS):
        if validator.header(column.key) == header:
            return index
    return -1


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


def _name_key(name: str) -> str:
    # Names are the same name after NFKC, trimming and collapsing spaces, and case folding:
    # 北京（海淀）科技 and 北京(海淀)科技 are one customer, as the stored name_key says.
    return name_key(name)


def _duplicates_in_file(
    candidates: Iterable[ImportCandidate], validator: _Validator
) -> list[RowError]:
    errors = []
    codes: dict[str, int] = {}
    names: dict[str, int] = {}
    for candidate in candidates:
        customer = candidate.customer
        code = customer.credit_code
        if code and len(code) == 18:
            if code in codes:
                errors.append(
                    RowError(
                        candidate.row,
                        validator.header("credit_code"),
                        _("Same credit code as row %(row)s.") % {"row": codes[code]},
                    )
                )
            else:
                codes[code] = candidate.row
        name = _name_key(customer.name)
        if name:
            if name in names:
                errors.append(
                    RowError(
                        candidate.row,
                        validator.header("name"),
                        _("Same customer name as row %(row)s.") % {"row": names[name]},
                    )
                )
            else:
                names[name] = candidate.row
    return errors


def _duplicates_in_db(
    actor: User,
    candidates: Sequence[ImportCandidate],
    *,
    header: Callable[[str], str],
    exclude_pks: Iterable[int] = (),
) -> list[RowError]:
    """Customers that exist already with the same credit code or (case-insensitive) name."""
    exclude = set(exclude_pks)
    codes = sorted({c.customer.credit_code for c in candidates if c.customer.credit_code})
    names = sorted({_name_key(c.customer.name) for c in candidates if c.customer.name.strip()})
    by_code: dict[str, tuple[int, str]] = {}
    by_name: dict[str, tuple[int, str]] = {}
    for chunk in chunks(codes):
        rows = Customer.objects.filter(credit_code__in=chunk)
        for pk, code, number in rows.values_list("pk", "credit_code", "number"):
            if pk not in exclude:  # filtered here: tens of thousands of ids make poor SQL
                by_code[code] = (pk, number)
    # Matched on the stored, indexed name_key: one indexed lookup per 500 names, however many
    # customers there are.
    for chunk in chunks(names):
        rows = Customer.objects.filter(name_key__in=chunk, merged_into__isnull=True)
        for pk, key, number in rows.values_list("pk", "name_key", "number"):
            if pk not in exclude:
                by_name.setdefault(key, (pk, number))
    if not by_code and not by_name:
        return []
    found = {pk for pk, _number in (*by_code.values(), *by_name.values())}
    visible = set(
        selectors.customer_visible(user=actor).filter(pk__in=found).values_list("pk", flat=True)
    )

    def existing(pk: int, number: str) -> str:
        # Tell the number only of customers the importing user may see.
        return number if pk in visible else _("another user's customer")

    errors = []
    for candidate in candidates:
        code = candidate.customer.credit_code
        if code in by_code:
            errors.append(
                RowError(
                    candidate.row,
                    header("credit_code"),
                    _("A customer with this credit code exists already (%(existing)s).")
                    % {"existing": existing(*by_code[code])},
                )
            )
        name = _name_key(candidate.customer.name)
        if name in by_name:
            errors.append(
                RowError(
                    candidate.row,
                    header("name"),
                    _("A customer with this name exists already (%(existing)s).")
                    % {"existing": existing(*by_name[name])},
                )
            )
    return errors


def customers_import_commit(*, actor: User, report: ImportReport) -> list[Customer]:
    """Create every customer of a clean report in one transaction, or none.

    Duplicates are checked again inside the transaction, after the customer number sequence is
    locked (customer_bulk_create locks it first), so a customer created meanwhile by someone
    else is seen and the whole import rolls back.
    """
    import_permission_require(actor)
    if report.errors:
        raise CustomerImportInvalid(errors=report.errors)
    if not report.candidates:
        return []
    change_reason = f"import {report.filename}"[:100]
    try:
        with transaction.atomic():
            customers = services.customer_bulk_create(
                actor=actor,
                rows=[(c.customer, c.contacts) for c in report.candidates],
                tags=[c.tags for c in report.candidates],
                change_reason=change_reason,
            )
            duplicates = _duplicates_in_db(
                actor,
                report.candidates,
                header=lambda key: COLUMNS_BY_KEY[key].header,
                exclude_pks=[c.pk for c in customers],
            )
            if duplicates:
                raise CustomerImportInvalid(errors=duplicates)
    except IntegrityError as exc:
        # The credit code constraint caught a customer created meanwhile; say which rows.
        for candidate in report.candidates:
            candidate.customer.pk = None  # the rows were rolled back
        duplicates = _duplicates_in_db(
            actor, report.candidates, header=lambda key: COLUMNS_BY_KEY[key].header
        )
        raise CustomerImportInvalid(
            gettext_lazy(
                "Another user created one of these customers meanwhile; nothing was imported."
            ),
            errors=duplicates,
        ) from exc
    except CustomerImportInvalid:
        for candidate in report.candidates:
            candidate.customer.pk = None
        raise
    return customers
