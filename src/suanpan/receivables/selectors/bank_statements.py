"""Reads of bank statements: the lines and imports, and what the books know about the payers
of many lines at once (the evidence suggestions are scored from)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from suanpan.core.listing import list_filtered
from suanpan.core.spreadsheet_imports import chunks
from suanpan.customers.selectors import (
    customers_by_invoice_title,
    customers_by_reference,
)
from suanpan.invoicing.selectors import invoice_visible
from suanpan.ledger.selectors import account_for_role, open_items
from suanpan.ledger.types import Role
from suanpan.receivables.calculations.bank_layouts import Line
from suanpan.receivables.calculations.bank_matching import (
    Evidence,
    OpenDebit,
    Suggestion,
    suggestion_choose,
)
from suanpan.receivables.calculations.bank_values import invoice_numbers, order_numbers
from suanpan.receivables.choices import ReceiptStatus
from suanpan.receivables.filters.bank_statements import BankLineFilter
from suanpan.receivables.models import BankAccount, BankLine, StatementImport
from suanpan.receivables.selectors.receipts import receipt_visible
from suanpan.sales.selectors.orders import order_visible
from suanpan.users.models import User

INVOICE_SOURCE = "invoicing.invoice"


def bank_line_visible(*, user: User) -> QuerySet[BankLine]:
    """Statement lines are the company's, not a customer's: all of them with the permission."""
    if not user.has_perm("receivables.view_bankline"):
        return BankLine.objects.none()
    return BankLine.objects.all()


def bank_line_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[BankLine], BankLineFilter]:
    """Lines, filtered; the queue is `status=unmatched`. Oldest first unless asked otherwise,
    as they are worked through."""
    base = bank_line_visible(user=user).select_related(
        "bank_account", "suggested_customer", "receipt"
    )
    filterset = BankLineFilter(data=filters or {}, queryset=base)
    rows = list_filtered(filterset, base=base, default_ordering=("booked_on", "id"))
    return rows, filterset


def bank_line_get(*, user: User, pk: int | str) -> BankLine:
    try:
        return (
            bank_line_visible(user=user)
            .select_related("bank_account", "suggested_customer", "receipt", "statement_import")
            .get(pk=pk)
        )
    except (BankLine.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def bank_lines_get(*, user: User, pks: Sequence[int]) -> list[BankLine]:
    """The lines of these ids the user may see, in the order asked."""
    found = {
        line.pk: line
        for line in bank_line_visible(user=user)
        .select_related("bank_account", "suggested_customer", "receipt")
        .filter(pk__in=list(pks))
    }
    return [found[pk] for pk in pks if pk in found]


def statement_import_get(*, user: User, pk: int | str) -> StatementImport:
    if not user.has_perm("receivables.view_statementimport"):
        raise Http404
    try:
        return StatementImport.objects.select_related("bank_account").get(pk=pk)
    except (StatementImport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def bank_account_get(*, pk: int | str) -> BankAccount:
    try:
        return BankAccount.objects.get(pk=pk)
    except (BankAccount.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def bank_account_by_number(*, number: str) -> BankAccount | None:
    return BankAccount.objects.filter(account_number=number.replace(" ", "")).first()


def _payer_accounts(
    user: User, accounts: set[str], numbers: dict[int, str]
) -> dict[str, list[int]]:
    """Payer account → the customers of posted receipts from it, newest first; `numbers`
    gets each customer's number."""
    found: dict[str, list[int]] = defaultdict(list)
    visible = receipt_visible(user=user).filter(status=ReceiptStatus.POSTED)
    for chunk in chunks(sorted(accounts)):
        for account, customer_id, number in (
            visible.filter(payer_account__in=chunk)
            .order_by("-received_on", "-pk")
            .values_list("payer_account", "customer_id", "customer__number")
        ):
            found[account].append(customer_id)
            numbers[customer_id] = number
    return found


# Amounts and document ids asked for per query: a few scans of the open items, whatever the
# size of the statement, within SQLite's limit of bound parameters.
LOOKUP_CHUNK = 5_000


def _open_debits(*, amounts: set[Decimal], invoice_ids: set[int]) -> tuple[list[Any], list[Any]]:
    """The receivable account's open debits of exactly one of `amounts`, and those of the
    invoices `invoice_ids` — only what the lines point at, never every open item."""
    receivable = account_for_role(Role.RECEIVABLE)
    if receivable is None:
        return [], []
    by_amount = [
        row
        for chunk in chunks(sorted(amounts), LOOKUP_CHUNK)
        for row in open_items(account=receivable, open_amounts=chunk)
        if row.open_fen > 0
    ]
    by_invoice = [
        row
        for chunk in chunks(sorted(str(pk) for pk in invoice_ids), LOOKUP_CHUNK)
        for row in open_items(account=receivable, source=(INVOICE_SOURCE, chunk))
        if row.open_fen > 0
    ]
    return by_amount, by_invoice


def bank_line_suggestions(*, user: User, lines: Sequence[Line]) -> list[Suggestion | None]:
    """A suggestion per line (None for lines paid out or that nothing points at), from a
    constant number of queries per 500 distinct payers, names or numbers, whatever the number
    of lines: receipts by payer account, customers by name and invoice title, invoices and
    orders by the numbers in the remarks, and the receivable account's open items of the
    lines' amounts and of the invoices named (a query per 5,000 of each)."""
    incoming = [line for line in lines if line.incoming]
    numbers: dict[int, str] = {}  # customer id → number (its ledger dimension's code)
    accounts = _payer_accounts(
        user,
        {line.counterparty_account for line in incoming if line.counterparty_account},
        numbers,
    )
    names = {line.counterparty_name for line in incoming if line.counterparty_name}
    by_name: dict[str, list[int]] = defaultdict(list)
    for name, found in [
        *customers_by_reference(user=user, references=names).items(),
        *customers_by_invoice_title(user=user, titles=names).items(),
    ]:
        by_name[name].extend(c.pk for c in found)
        numbers.update((c.pk, c.number) for c in found)
    numbers_of = {id(line): invoice_numbers(line.summary) for line in incoming}
    orders_of = {id(line): order_numbers(line.summary) for line in incoming}
    invoices: dict[str, tuple[int, int]] = {}
    for chunk in chunks(sorted({n for found in numbers_of.values() for n in found})):
        for number, pk, customer_id in (
            invoice_visible(user=user)
            .filter(number__in=chunk)
            .values_list("number", "pk", "customer_id")
        ):
            invoices[number] = (pk, customer_id)
    orders: dict[str, int] = {}
    for chunk in chunks(sorted({n for found in orders_of.values() for n in found})):
        for number, customer_id, customer_number in (
            order_visible(user=user)
            .filter(number__in=chunk)
            .values_list("number", "customer_id", "customer__number")
        ):
            orders[number] = customer_id
            numbers[customer_id] = customer_number

    amount_debits, invoice_debits = _open_debits(
        amounts={line.amount for line in incoming if line.amount > 0},
        invoice_ids={pk for pk, _customer in invoices.values()},
    )
    by_source: dict[str, list[Any]] = defaultdict(list)
    by_amount: dict[int, list[Any]] = defaultdict(list)
    by_code: dict[str, list[Any]] = defaultdict(list)
    for row in invoice_debits:
        by_source[row.source_id].append(row)
    # Of a customer's open invoices only those of some line's amount matter: a line settles
    # the one of exactly its amount when the remark names none (`allocations_suggest`).
    for row in amount_debits:
        by_amount[row.open_fen].append(row)
        by_code[row.dimension_code].append(row)
    # Customer numbers of the items that are the only ones of a line's amount.
    wanted_codes = {
        rows[0].dimension_code
        for line in incoming
        if len(rows := by_amount.get(int(line.amount * 100), [])) == 1
    }
    code_customer: dict[str, int] = {
        code: found[0].pk
        for code, found in customers_by_reference(user=user, references=wanted_codes).items()
        if len(found) == 1 and found[0].number == code
    }

    def debit(row: Any, customer_id: int) -> OpenDebit:
        return OpenDebit(
            item_id=row.pk,
            customer_id=customer_id,
            open_amount=row.open_amount,
            label=row.summary[:60],
        )

    evidences: dict[int, Evidence] = {}
    for line in incoming:
        invoice_items = []
        for number in numbers_of[id(line)]:
            if number in invoices:
                pk, customer_id = invoices[number]
                invoice_items += [
                    OpenDebit(r.pk, customer_id, r.open_amount, number)
                    for r in by_source.get(str(pk), [])
                ]
        amount_rows = by_amount.get(int(line.amount * 100), [])
        amount_items = [
            debit(row, code_customer[row.dimension_code])
            for row in amount_rows[:2]
            if row.dimension_code in code_customer
        ]
        if len(amount_rows) != 1:
            amount_items = []
        evidence = Evidence(
            amount=line.amount,
            account_customers=accounts.get(line.counterparty_account, []),
            name_customers=by_name.get(line.counterparty_name.strip(), []),
            invoice_items=invoice_items,
            order_customers=[orders[n] for n in orders_of[id(line)] if n in orders],
            amount_items=amount_items,
            account_label=line.counterparty_account,
            name_label=line.counterparty_name,
            order_label=" ".join(n for n in orders_of[id(line)] if n in orders),
        )
        evidences[id(line)] = evidence
    # The named customers' own open invoices, for an exact amount among them.
    customer_debits = {
        customer_id: [debit(row, customer_id) for row in by_code.get(number, [])]
        for customer_id, number in numbers.items()
    }
    return [
        suggestion_choose(evidences[id(line)], customer_debits) if line.incoming else None
        for line in lines
    ]
