"""Customer statements (对账单): the customer's account between two days read from the ledger
(opening, every movement with its running balance, closing, the ageing), and reads of the
statements made, their events and the monthly schedules."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from suanpan.core.history import history_entries
from suanpan.core.listing import list_filtered
from suanpan.core.signed_links import LinkExpired, LinkInvalid, link_token, link_token_read
from suanpan.customers.selectors import customer_scoped
from suanpan.ledger.calculations import Bucket, buckets_from_days
from suanpan.ledger.selectors import (
    AccountDetail,
    DetailLine,
    accounts_detail,
    ageing,
    dimension_by_code,
)
from suanpan.receivables.calculations import postings
from suanpan.receivables.calculations.ageing import RECEIVABLES_BOUNDS
from suanpan.receivables.errors import StatementLinkExpired, StatementLinkInvalid
from suanpan.receivables.filters.statements import StatementFilter
from suanpan.receivables.models import Statement, StatementEvent, StatementSchedule
from suanpan.receivables.selectors.ageing import bucket_label
from suanpan.receivables.selectors.sides import customer_accounts
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

ZERO = Decimal(0)
# Signed answer links: salted for this use only; their age is a setting.
TOKEN_SALT = "suanpan.receivables.statement.answer"  # noqa: S105 - a signing salt, not a secret

# What the document behind a line is called, by the voucher's source type.
SOURCE_LABELS = {
    "invoicing.invoice": _("Invoice"),
    postings.SOURCE_RECEIPT: _("Receipt"),
    postings.SOURCE_SETTLEMENT: _("Settlement"),
    postings.SOURCE_SETTLEMENT_BATCH: _("Settlement"),
}


@dataclass(frozen=True)
class StatementAgeing:
    """What the customer owes on the receivable account at the statement's end, by age."""

    buckets: tuple[Bucket, ...]
    amounts: list[Decimal]
    total: Decimal

    @property
    def rows(self) -> list[tuple[str, Decimal]]:
        return [
            (bucket_label(bucket.low, bucket.high), amount)
            for bucket, amount in zip(self.buckets, self.amounts, strict=True)
        ]


@dataclass(frozen=True)
class CustomerStatement:
    """A customer's receivable and advance accounts as one balance between two days: debit
    positive (what the customer owes), credit negative (what the company holds of theirs).

    `lines` is the ledger's detail queryset (one query when iterated or sliced by a page;
    running balances computed by the database), empty when the customer never posted."""

    customer: Customer
    start_on: date
    end_on: date
    opening: Decimal
    debit: Decimal
    credit: Decimal
    ageing: StatementAgeing
    detail: AccountDetail | None = field(default=None)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit

    @property
    def lines(self) -> QuerySet[Any, DetailLine] | list[DetailLine]:
        return self.detail.lines if self.detail is not None else []


def line_document(line: DetailLine) -> tuple[str, str]:
    """The document a statement line came from: its kind (Invoice, Receipt …) and number as
    the voucher's summary names it ("Invoice 2644…, ACME" → "2644…")."""
    kind = str(SOURCE_LABELS.get(line.source_type, ""))
    head = line.summary.split(",", 1)[0].split("，", 1)[0].strip()
    number = head.rsplit(" ", 1)[-1] if " " in head else ""
    return kind, number


def statement_of(*, customer: Customer, start: date, end: date) -> CustomerStatement:
    """The customer's statement between `start` and `end` (both included): the ledger's detail
    of the receivable and advance accounts on the customer's dimension and the receivable
    ageing at `end`. A fixed number of queries whatever the number of lines."""
    receivable, advance = customer_accounts()
    accounts = [receivable] if advance is None else [receivable, advance]
    buckets = buckets_from_days(RECEIVABLES_BOUNDS)
    dimension = dimension_by_code(code=customer.number)
    if dimension is None:
        return CustomerStatement(
            customer=customer,
            start_on=start,
            end_on=end,
            opening=ZERO,
            debit=ZERO,
            credit=ZERO,
            ageing=StatementAgeing(buckets=buckets, amounts=[ZERO] * len(buckets), total=ZERO),
        )
    detail = accounts_detail(accounts=accounts, date_from=start, date_to=end, dimension=dimension)
    aged = ageing(as_of=end, account=receivable, buckets=buckets, dimension=dimension)
    row = aged.rows[0] if aged.rows else None
    return CustomerStatement(
        customer=customer,
        start_on=start,
        end_on=end,
        opening=detail.opening,
        debit=detail.debit,
        credit=detail.credit,
        ageing=StatementAgeing(
            buckets=buckets,
            amounts=row.amounts if row else [ZERO] * len(buckets),
            total=row.total if row else ZERO,
        ),
        detail=detail,
    )


def customer_history(*, customer: Customer) -> AccountDetail | None:
    """Every movement of the customer on the receivable and advance accounts, oldest first
    with its running balance: the record accountants reconcile against the books. The lines
    are a queryset to page; None when the customer never posted."""
    receivable, advance = customer_accounts()
    dimension = dimension_by_code(code=customer.number)
    if dimension is None:
        return None
    accounts = [receivable] if advance is None else [receivable, advance]
    return accounts_detail(
        accounts=accounts, date_from=date.min, date_to=date.max, dimension=dimension
    )


def statement_lines(report: CustomerStatement) -> Iterator[DetailLine]:
    """Every line of the statement, streamed from the database in chunks (PDF, xlsx)."""
    lines = report.lines
    if isinstance(lines, list):
        yield from lines
        return
    yield from lines.iterator(chunk_size=2000)


def statement_visible(*, user: User) -> QuerySet[Statement]:
    return customer_scoped(Statement.objects.all(), user=user, perm="receivables.view_statement")


def statement_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[Statement], StatementFilter]:
    """Statements, filtered and sorted (newest first unless asked otherwise)."""
    base = statement_visible(user=user).select_related("customer")
    filterset = StatementFilter(data=filters or {}, queryset=base)
    rows = list_filtered(filterset, base=base, default_ordering=("-created_at", "-id"))
    return rows, filterset


def statement_get(*, user: User, pk: int | str) -> Statement:
    """One statement the user may see; any other id answers 404."""
    try:
        return (
            statement_visible(user=user)
            .select_related("customer", "created_by", "answered_by")
            .get(pk=pk)
        )
    except (Statement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def customer_statements(*, user: User, customer: Customer, limit: int = 10) -> QuerySet[Statement]:
    """The customer's latest statements the user sees, for the customer page's tab."""
    return (
        statement_visible(user=user)
        .filter(customer=customer)
        .order_by("-created_at", "-id")[:limit]
    )


def statement_events(*, statement: Statement) -> QuerySet[StatementEvent]:
    return statement.events.select_related("user").order_by("-at", "-id")


def customer_statement_events(*, customer: Customer, limit: int = 20) -> QuerySet[StatementEvent]:
    """The latest events of all the customer's statements, for the customer's tab."""
    return (
        StatementEvent.objects.filter(customer=customer)
        .select_related("statement", "user")
        .order_by("-at", "-id")[:limit]
    )


def statement_history(*, statement: Statement, limit: int = 50) -> list[dict[str, Any]]:
    records = statement.history.select_related("history_user").order_by("-history_id")
    return history_entries(list(records[: limit + 1]), limit=limit)


def statement_schedule_of(*, customer: Customer) -> StatementSchedule | None:
    return StatementSchedule.objects.filter(customer=customer).first()


def link_max_age() -> timedelta:
    return timedelta(days=settings.SUANPAN_STATEMENT_LINK_DAYS)


def statement_token(statement: Statement) -> str:
    """The signed token of the customer's answer page (no login)."""
    return link_token(salt=TOKEN_SALT, key="s", pk=statement.pk)


def statement_token_read(token: str) -> Statement:
    """The statement a token names; StatementLinkInvalid when it was changed (or names no
    statement), StatementLinkExpired past the setting's days."""
    try:
        pk = link_token_read(token, salt=TOKEN_SALT, key="s", max_age=link_max_age())
    except LinkExpired as exc:
        raise StatementLinkExpired from exc
    except LinkInvalid as exc:
        raise StatementLinkInvalid from exc
    statement = Statement.objects.select_related("customer").filter(pk=pk).first()
    if statement is None:
        raise StatementLinkInvalid
    return statement
