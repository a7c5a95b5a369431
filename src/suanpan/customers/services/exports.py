"""Export the customer list a user sees, filtered as on the list page, to xlsx or csv.

The columns are the import's (imports.COLUMNS), so an exported file imports again: one row per
customer with its primary contact, then one row per further contact that repeats the number and
name and fills only the contact columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import QuerySet

from suanpan.core.errors import PermissionDeniedError
from suanpan.core.spreadsheets import Format, sheet_write
from suanpan.customers import selectors
from suanpan.customers.models import Contact, Customer
from suanpan.customers.services.import_columns import COLUMNS, choice_word
from suanpan.users.models import User

EXPORT_PERMISSION = "customers.export_customer"
SHEET_TITLE = "客户"


@dataclass(frozen=True)
class ExportResult:
    customers: int
    rows: int


def customer_export_header() -> list[str]:
    return [column.header for column in COLUMNS]


def _contact_cells(contact: Contact | None) -> dict[str, Any]:
    if contact is None:
        return {}
    return {
        "contact_name": contact.name,
        "contact_title": contact.title,
        "contact_phone": contact.phone,
        "contact_email": contact.email,
    }


def _customer_cells(customer: Customer, contact: Contact | None) -> dict[str, Any]:
    return {
        "number": customer.number,
        "name": customer.name,
        "short_name": customer.short_name,
        "credit_code": customer.credit_code,
        "kind": choice_word("kind", customer.kind),
        "industry": customer.industry,
        "grade": choice_word("grade", customer.grade) if customer.grade else "",
        "source": choice_word("source", customer.source) if customer.source else "",
        "region": customer.region,
        "address": customer.address,
        "owner": customer.owner.username,
        "payment_terms_days": customer.payment_terms_days,
        "credit_limit_amount": customer.credit_limit_amount,
        "status": choice_word("status", customer.status),
        "tags": ", ".join(tag.name for tag in customer.tags.all()),
        "notes": customer.notes,
        "invoice_title": customer.invoice_title,
        "invoice_tax_number": customer.invoice_tax_number,
        "invoice_address_phone": customer.invoice_address_phone,
        "invoice_bank_account": customer.invoice_bank_account,
        **_contact_cells(contact),
    }


def customer_export_rows(
    queryset: QuerySet[Customer], *, progress: Callable[[int], object] | None = None
) -> Iterator[list[Any]]:
    """Spreadsheet rows for the customers of a queryset, read in chunks."""
    keys = [column.key for column in COLUMNS]
    customers = queryset.select_related("owner").prefetch_related("contacts", "tags")
    for customer in customers.iterator(chunk_size=1000):
        contacts = list(customer.contacts.all())  # primary first (Contact.Meta.ordering)
        cells = _customer_cells(customer, contacts[0] if contacts else None)
        yield [cells.get(key, "") for key in keys]
        for contact in contacts[1:]:
            more = {"number": customer.number, "name": customer.name, **_contact_cells(contact)}
            yield [more.get(key, "") for key in keys]
        if progress:
            progress(1)


def customers_export_queryset(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[Customer]:
    """The customers an export holds: the list page's, for the same filters and user."""
    if not user.has_perm(EXPORT_PERMISSION):
        raise PermissionDeniedError()
    queryset, _filterset = selectors.customer_list(user=user, filters=filters)
    return queryset


def customers_export(
    *,
    user: User,
    stream: IO[bytes],
    fmt: Format,
    filters: Mapping[str, Any] | None = None,
    progress: Callable[[int], object] | None = None,
) -> ExportResult:
    """Write the user's filtered customer list to a binary stream as xlsx or csv."""
    queryset = customers_export_queryset(user=user, filters=filters)
    counter = {"customers": 0}

    def count(n: int) -> None:
        counter["customers"] += n
        if progress:
            progress(n)

    rows = sheet_write(
        stream,
        fmt=fmt,
        header=customer_export_header(),
        rows=customer_export_rows(queryset, progress=count),
        title=SHEET_TITLE,
    )
    return ExportResult(customers=counter["customers"], rows=rows)
