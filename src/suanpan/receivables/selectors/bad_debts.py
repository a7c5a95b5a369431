"""Reads of bad debts (坏账): the provision matrix, individual provisions, the period-end
preview (required against existing, from the ledger's own ageing by posting date), provision
runs, write-offs and what a customer can still write off."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from suanpan.core.history import history_entries
from suanpan.customers.selectors import customer_grades_by_number, customer_scoped
from suanpan.ledger.choices import AccountingStandard
from suanpan.ledger.selectors import (
    AgeingBasis,
    AgeingStream,
    account_balance,
    account_for_role,
    company_get,
    vouchers_for_source,
)
from suanpan.ledger.types import Role
from suanpan.receivables.calculations import provisions
from suanpan.receivables.calculations.provisions import Cell, Required
from suanpan.receivables.choices import ProvisionBucket
from suanpan.receivables.errors import BadDebtInvalid, ProvisionNotUsed
from suanpan.receivables.models import (
    IndividualProvision,
    ProvisionRate,
    ProvisionRun,
    WriteOff,
)
from suanpan.users.models import User

ZERO = Decimal(0)
DEFAULT_GRADE = ""


def books_keep_provision() -> bool:
    """Whether the books provide for bad debts (企业会计准则) or write them off directly
    (小企业会计准则)."""
    return company_get().standard == AccountingStandard.CAS


def period_end(period: str) -> tuple[str, date]:
    """A period as YYYY-MM or YYYYMM: its key (YYYYMM) and its last day."""
    text = period.strip().replace("-", "")
    if len(text) != 6 or not text.isdigit() or not 1 <= int(text[4:]) <= 12:
        raise BadDebtInvalid(fields={"period": [_("Give the period as YYYY-MM.")]})
    year, month = int(text[:4]), int(text[4:])
    if year < 1900:
        raise BadDebtInvalid(fields={"period": [_("Give the period as YYYY-MM.")]})
    return text, date(year, month, calendar.monthrange(year, month)[1])


def provision_rates() -> dict[tuple[str, int], Decimal]:
    """The matrix: (grade, bucket) → rate; grade "" holds the rates for every customer."""
    return {(r.grade, r.bucket): r.rate for r in ProvisionRate.objects.all()}


@dataclass(frozen=True)
class MatrixRow:
    """One grade's rates across the buckets, as the matrix editor shows them."""

    grade: str
    rates: list[Decimal | None]


def provision_matrix() -> list[MatrixRow]:
    """The default row first, then each grade with rates of its own."""
    rates = provision_rates()
    grades = sorted({grade for grade, _bucket in rates} - {DEFAULT_GRADE})
    return [
        MatrixRow(grade=grade, rates=[rates.get((grade, b)) for b in ProvisionBucket.values])
        for grade in [DEFAULT_GRADE, *grades]
    ]


@dataclass(frozen=True)
class NamedProvision:
    """A named customer's line of the preview."""

    customer_id: int
    number: str
    name: str
    balance: Decimal
    amount: Decimal | None
    rate: Decimal | None
    provision: Decimal
    reason: str


@dataclass(frozen=True)
class ProvisionPreview:
    """What a period-end run would post: the matrix cells (per grade group and bucket), the
    named customers, the provision account's balance (credit positive) and the difference."""

    period: str
    as_of: date
    cells: tuple[Cell, ...]
    named: tuple[NamedProvision, ...]
    required: Required
    existing: Decimal
    change: Decimal

    @property
    def grades(self) -> list[str]:
        return sorted({cell.grade for cell in self.cells})

    def cells_of(self, grade: str) -> list[Cell]:
        return [cell for cell in self.cells if cell.grade == grade]


def provision_preview(*, period: str) -> ProvisionPreview:
    """The required provision as of the period's last day, against the provision account's
    balance then. The receivable is aged by posting date with the ledger's ageing (one
    query); customers provided for individually stay out of the matrix."""
    key, as_of = period_end(period)
    if not books_keep_provision():
        raise ProvisionNotUsed(reason=_("Accounting Standard for Small Enterprises"))
    receivable = account_for_role(Role.RECEIVABLE)
    provision_account = account_for_role(Role.BAD_DEBT_PROVISION)
    if receivable is None or provision_account is None:
        raise ProvisionNotUsed(reason=_("no account for the receivable or the provision"))
    stream = AgeingStream(
        as_of=as_of,
        account=receivable,
        buckets=provisions.PROVISION_BUCKETS,
        basis=AgeingBasis.POSTING,
    )
    named_rows = {
        p.customer.number: p
        for p in IndividualProvision.objects.filter(is_active=True).select_related("customer")
    }
    owed: dict[str, Decimal] = {}
    matrix_rows: list[tuple[str, list[Decimal]]] = []
    for row in stream:
        if row.code in named_rows:
            owed[row.code] = row.total
        else:
            matrix_rows.append((row.code, row.amounts))
    rates = provision_rates()
    graded = {grade for grade, _bucket in rates} - {DEFAULT_GRADE}
    grades = customer_grades_by_number(numbers=[code for code, _amounts in matrix_rows])
    balances: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for code, amounts in matrix_rows:
        grade = grades.get(code, DEFAULT_GRADE)
        group = grade if grade in graded else DEFAULT_GRADE
        for bucket, amount in enumerate(amounts):
            balances[group, bucket] += amount
    cells = tuple(
        Cell(
            grade=group,
            bucket=bucket,
            balance=balances[group, bucket],
            # A grade's bucket without a rate of its own takes the default one.
            rate=rates.get((group, bucket), rates.get((DEFAULT_GRADE, bucket), ZERO)),
        )
        for group in [DEFAULT_GRADE, *sorted(graded)]
        for bucket in ProvisionBucket.values
    )
    named = tuple(
        NamedProvision(
            customer_id=p.customer_id,
            number=number,
            name=p.customer.name,
            balance=owed.get(number, ZERO),
            amount=p.amount,
            rate=p.rate,
            provision=provisions.individual_provision(
                owed.get(number, ZERO), amount=p.amount, rate=p.rate
            ),
            reason=p.reason,
        )
        for number, p in sorted(named_rows.items())
    )
    required = provisions.required_provision(cells, [n.provision for n in named])
    existing = -account_balance(account=provision_account, as_of=as_of)
    return ProvisionPreview(
        period=key,
        as_of=as_of,
        cells=cells,
        named=named,
        required=required,
        existing=existing,
        change=provisions.provision_change(required=required.total, existing=existing),
    )


def individual_provision_list(*, user: User, q: str = "") -> QuerySet[IndividualProvision]:
    rows = customer_scoped(
        IndividualProvision.objects.all(), user=user, perm="receivables.view_individualprovision"
    ).select_related("customer")
    if q.strip():
        text = q.strip()
        rows = rows.filter(
            Q(customer__name__icontains=text)
            | Q(customer__number__icontains=text)
            | Q(reason__icontains=text)
        )
    return rows.order_by("-is_active", "customer__number")


def individual_provision_get(*, user: User, pk: int | str) -> IndividualProvision:
    try:
        return individual_provision_list(user=user).get(pk=pk)
    except (IndividualProvision.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def provision_run_list() -> QuerySet[ProvisionRun]:
    return ProvisionRun.objects.select_related("created_by").order_by("-as_of", "-pk")


def writeoff_visible(*, user: User) -> QuerySet[WriteOff]:
    return customer_scoped(WriteOff.objects.all(), user=user, perm="receivables.view_writeoff")


def writeoff_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[WriteOff]:
    """Write-offs the user sees, newest first; `q` searches the number, customer and reason,
    `status` keeps one status."""
    filters = filters or {}
    rows = writeoff_visible(user=user).select_related("customer", "created_by", "approved_by")
    q = str(filters.get("q") or "").strip()[:100]
    if q:
        rows = rows.filter(
            Q(number__icontains=q)
            | Q(customer__name__icontains=q)
            | Q(customer__number__icontains=q)
            | Q(reason__icontains=q)
        )
    status = filters.get("status")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-written_off_on", "-pk")


def writeoff_get(*, user: User, pk: int | str) -> WriteOff:
    try:
        return (
            writeoff_visible(user=user)
            .select_related("customer", "created_by", "approved_by", "cancelled_by")
            .prefetch_related("lines", "recoveries")
            .get(pk=pk)
        )
    except (WriteOff.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def writeoff_vouchers(*, writeoff: WriteOff) -> list[Any]:
    """The write-off's voucher and its recoveries', in date order."""
    found = list(
        vouchers_for_source(source_type=provisions.SOURCE_WRITEOFF, source_ids=[writeoff.pk])
    )
    found += list(
        vouchers_for_source(
            source_type=provisions.SOURCE_RECOVERY,
            source_ids=[r.pk for r in writeoff.recoveries.all()],
        )
    )
    return sorted(found, key=lambda v: (v.date, v.pk))


def writeoff_history(*, writeoff: WriteOff, limit: int = 50) -> list[dict[str, Any]]:
    records = writeoff.history.select_related("history_user").order_by("-history_id")
    return history_entries(list(records[: limit + 1]), limit=limit)


def provision_run_vouchers(*, runs: list[ProvisionRun]) -> dict[int, Any]:
    """Each run's voucher, by run id."""
    vouchers = vouchers_for_source(
        source_type=provisions.SOURCE_PROVISION, source_ids=[r.pk for r in runs]
    )
    return {int(v.source_id): v for v in vouchers}
