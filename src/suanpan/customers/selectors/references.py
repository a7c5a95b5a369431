"""Which customers a file means when it names them: by number, credit code or name."""

from __future__ import annotations

from collections.abc import Iterable

from suanpan.core.bulk import in_parts
from suanpan.core.spreadsheet_imports import CHUNK, chunks
from suanpan.customers.calculations import name_key
from suanpan.customers.models import Contact, Customer
from suanpan.customers.selectors.customers import customer_visible
from suanpan.users.models import User


def customers_by_reference(*, user: User, references: Iterable[str]) -> dict[str, list[Customer]]:
    """For each text, the customers the user sees that it names: a customer number (KH000123),
    else an 18-character credit code, else a name compared as names are compared for duplicates
    (customers.calculations.name_key). Merged customers are left out: their documents moved.

    A text that names several customers (two with the same name) maps to all of them, so the
    caller can say so; one that names none is missing from the result. A constant number of
    queries per 500 texts.
    """
    texts = sorted({text.strip() for text in references} - {""})
    keys = {text: name_key(text) for text in texts}
    visible = customer_visible(user=user).filter(merged_into__isnull=True)
    by_number: dict[str, Customer] = {}
    by_code: dict[str, Customer] = {}
    by_name: dict[str, list[Customer]] = {}
    for chunk in chunks(texts):
        codes = [text.upper() for text in chunk if len(text) == 18]
        for customer in visible.filter(number__in=chunk):
            by_number[customer.number] = customer
        for customer in visible.filter(credit_code__in=codes):
            by_code[customer.credit_code] = customer
        for customer in visible.filter(name_key__in=[keys[text] for text in chunk]).order_by("pk"):
            by_name.setdefault(customer.name_key, []).append(customer)
    found: dict[str, list[Customer]] = {}
    for text in texts:
        if text in by_number:
            found[text] = [by_number[text]]
        elif text.upper() in by_code:
            found[text] = [by_code[text.upper()]]
        elif keys[text] in by_name:
            found[text] = by_name[keys[text]]
    return found


def customers_by_invoice_title(*, user: User, titles: Iterable[str]) -> dict[str, list[Customer]]:
    """For each text, the customers the user sees whose invoice title (发票抬头) it is, exactly
    as stored; merged customers left out. A payer often pays under the name it invoices in.

    The column has no index: a few texts are looked up with one query per 500, many (a bank
    statement's payers) by reading the titled customers once instead of scanning per chunk."""
    texts = sorted({text.strip() for text in titles} - {""})
    visible = customer_visible(user=user).filter(merged_into__isnull=True)
    found: dict[str, list[Customer]] = {}
    if len(texts) > 2 * CHUNK:
        wanted = set(texts)
        titled = visible.exclude(invoice_title="").only("pk", "number", "name", "invoice_title")
        for customer in titled.order_by("pk").iterator(chunk_size=5000):
            if customer.invoice_title in wanted:
                found.setdefault(customer.invoice_title, []).append(customer)
        return found
    for chunk in chunks(texts):
        for customer in visible.filter(invoice_title__in=chunk).order_by("pk"):
            found.setdefault(customer.invoice_title, []).append(customer)
    return found


def customer_groups_by_number(
    *, user: User, numbers: Iterable[str]
) -> dict[str, tuple[int, str, str]]:
    """For each customer number the user sees: (id, the owner's name, the region) — what a
    report groups customers by. One query on PostgreSQL, one per 500 numbers elsewhere."""
    found: dict[str, tuple[int, str, str]] = {}
    visible = customer_visible(user=user)
    for part in in_parts(list(numbers)):
        rows = visible.filter(number__in=part).values_list(
            "number", "pk", "owner__display_name", "owner__username", "region"
        )
        for number, pk, display_name, username, region in rows:
            found[number] = (pk, display_name or username or "", region)
    return found


def customer_grades_by_number(*, numbers: Iterable[str]) -> dict[str, str]:
    """Each customer number's grade (A–D, "" when ungraded), over every customer: what the
    bad-debt provision matrix reads for the whole books, whoever runs it. One query on
    PostgreSQL, one per 500 numbers elsewhere."""
    found: dict[str, str] = {}
    for part in in_parts(list(numbers)):
        found.update(Customer.objects.filter(number__in=part).values_list("number", "grade"))
    return found


def customers_for_letters(
    *, numbers: Iterable[str], user: User | None = None
) -> dict[str, tuple[Customer, str]]:
    """For each customer number (those the user sees, or every one when no user asks: the
    company's scheduled work): the customer with its owner, and the e-mail letters go to — the
    primary contact's, else the first contact's that has one, else "". Two queries per 500."""
    found: dict[str, tuple[Customer, str]] = {}
    base = Customer.objects.all() if user is None else customer_visible(user=user)
    for chunk in chunks(sorted(set(numbers))):
        customers = list(base.filter(number__in=chunk).select_related("owner"))
        emails: dict[int, str] = {}
        for customer_id, email in (
            Contact.objects.filter(customer__in=[c.pk for c in customers])
            .exclude(email="")
            .order_by("customer_id", "-is_primary", "name", "id")
            .values_list("customer_id", "email")
        ):
            emails.setdefault(customer_id, email)
        for customer in customers:
            found[customer.number] = (customer, emails.get(customer.pk, ""))
    return found
