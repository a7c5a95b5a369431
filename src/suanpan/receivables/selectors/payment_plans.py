"""Reads of payment plans (回款计划): contracts' instalments with what was invoiced and received
of each, across contracts (filtered, for the page, API and export) or for one contract."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from suanpan.core.listing import list_filtered
from suanpan.receivables.calculations.payment_plans import RECEIVED
from suanpan.receivables.filters.payment_plans import PaymentPlanFilter
from suanpan.receivables.selectors.plan_figures import PlanRow, plan_rows
from suanpan.sales.selectors import contract_instalments, instalment_visible
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer
    from suanpan.sales.models import Contract, PaymentInstalment

ZERO = Decimal(0)
CUSTOMER_TAB_ROWS = 10


def payment_plans(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[PaymentInstalment], PaymentPlanFilter]:
    """Instalments of the contracts of the customers the user sees, filtered, soonest due
    first unless asked otherwise; `plan_rows` gives a page of them its figures."""
    if not user.has_perm("receivables.view_receipt"):
        base = instalment_visible(user=user).none()
    else:
        base = instalment_visible(user=user)
    filterset = PaymentPlanFilter(data=filters or {}, queryset=base)
    rows = list_filtered(filterset, base=base, default_ordering=("due_on", "contract_id", "id"))
    return rows, filterset


@dataclass(frozen=True)
class ContractPlan:
    """A contract's plan, instalment by instalment, with its totals."""

    rows: list[PlanRow]
    planned: Decimal
    invoiced: Decimal
    received: Decimal
    open: Decimal


def payment_plan(*, contract: Contract, today: date | None = None) -> ContractPlan:
    """One contract's plan in due-date order; the caller has checked the user sees it."""
    rows = plan_rows(contract_instalments(contract_id=contract.pk), today=today)
    return ContractPlan(
        rows=rows,
        planned=sum((row.figures.planned for row in rows), ZERO),
        invoiced=sum((row.figures.invoiced for row in rows), ZERO),
        received=sum((row.figures.received for row in rows), ZERO),
        open=sum((row.figures.open for row in rows), ZERO),
    )


def customer_plan(*, user: User, customer: Customer) -> list[PlanRow]:
    """The customer's instalments still to be received, soonest due first (the first ten),
    for the customer's receivables tab."""
    instalments, _filterset = payment_plans(user=user, filters={"customer": str(customer.pk)})
    rows = plan_rows(list(instalments))
    return [row for row in rows if row.figures.status != RECEIVED][:CUSTOMER_TAB_ROWS]
