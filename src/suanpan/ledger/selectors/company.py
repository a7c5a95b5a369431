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


def company_letterhead() -> tuple[str, str]:
    """The company's name and taxpayer number as printed on documents and letters; both blank
    while the books are not set up, so a quote or a letter can still be made."""
    company = Company.objects.only("name", "tax_number").first()
    if company is None:
        return "", ""
    return company.name, company.tax_number


def has_postings() -> bool:
    return PeriodTotal.objects.exists()


def role_mappings() -> dict[str, Account]:
    return {m.role: m.account for m in AccountRoleMap.objects.select_related("account")}
