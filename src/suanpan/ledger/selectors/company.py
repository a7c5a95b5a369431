"""The company whose books these are."""

from __future__ import annotations

from suanpan.ledger.errors import LedgerNotSetUp
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    Company,
    PeriodTotal,
)


def company_get() -> Company:
    """The one company whose books these are; refuses when the books are not set up."""
    company = Company.objects.first()
    if company is None:
        raise LedgerNotSetUp()
    return company


def has_postings() -> bool:
    return PeriodTotal.objects.exists()


def role_mappings() -> dict[str, Account]:
    return {m.role: m.account for m in AccountRoleMap.objects.select_related("account")}
