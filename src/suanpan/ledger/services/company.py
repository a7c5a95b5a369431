"""The company, its chart of accounts and the roles that name accounts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from suanpan.core.date_checks import report_dates_require
from suanpan.core.locks import for_update
from suanpan.ledger.charts import chart_rows
from suanpan.ledger.choices import (
    AccountingStandard,
    RevenuePolicy,
)
from suanpan.ledger.errors import (
    AccountInUse,
    AccountInvalid,
    LedgerAlreadySetUp,
)
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    Company,
    Voucher,
    VoucherLine,
)
from suanpan.ledger.selectors import company_get
from suanpan.ledger.services.periods import _period_get_or_create
from suanpan.users.models import User
from suanpan.users.permissions import permission_require


@transaction.atomic
def company_setup(
    *,
    actor: User,
    name: str,
    standard: str,
    first_period: date,
    tax_number: str = "",
    revenue_policy: str = RevenuePolicy.ON_DELIVERY,
    voucher_words: str = "记",
) -> Company:
    """Set up the books once: company, the chart of the chosen standard, its roles, first period."""
    permission_require(actor, "ledger.add_company")
    if for_update(Company.objects.all()).exists():
        raise LedgerAlreadySetUp()
    if standard not in AccountingStandard.values:
        raise AccountInvalid(fields={"standard": [_("Unknown accounting standard.")]})
    # The books' first month within the window too (from 2000 to the set distance ahead): every
    # later date is held to it.
    report_dates_require({"first_period": first_period})
    company = Company.objects.create(
        name=name,
        tax_number=tax_number,
        standard=standard,
        revenue_policy=revenue_policy,
        first_period=first_period.replace(day=1),
        voucher_words=voucher_words,
        default_word=voucher_words[0],
    )
    chart_load(standard=standard)
    _period_get_or_create(company.first_period)
    return company


@transaction.atomic
def company_update(*, actor: User, data: Mapping[str, Any]) -> Company:
    """Change settings; the standard and first period are fixed once anything is posted."""
    permission_require(actor, "ledger.change_company")
    company = for_update(Company.objects.all()).get(pk=company_get().pk)
    fixed = {"standard", "first_period"}
    if fixed & set(data) and Voucher.objects.exists():
        changed = [k for k in fixed & set(data) if getattr(company, k) != data[k]]
        if changed:
            raise AccountInvalid(
                fields={k: [_("Cannot change once vouchers exist.")] for k in changed}
            )
    for name, value in data.items():
        if name in {
            "name",
            "tax_number",
            "revenue_policy",
            "voucher_words",
            "default_word",
            "credit_hold_overdue_days",
        }:
            setattr(company, name, value)
    if company.default_word not in company.voucher_words:
        raise AccountInvalid(
            fields={"default_word": [_("The default word must be one of the words in use.")]}
        )
    company.full_clean()
    company.save()
    return company


def chart_load(*, standard: str) -> int:
    """Create the accounts and role mappings of a chart template; returns the account count."""
    rows = chart_rows(standard)
    by_code: dict[str, Account] = {}
    for row in rows:  # parents come before their children in the files
        account = Account.objects.create(
            code=row.code,
            name=row.name,
            parent=by_code.get(row.parent),
            level=row.code.count(".") + 1,
            direction=row.direction,
            category=row.category,
            requires_customer=row.customer_dimension,
            is_open_item=row.open_item,
        )
        by_code[row.code] = account
        for role in row.roles:
            AccountRoleMap.objects.create(role=role, account=account)
    return len(rows)


@transaction.atomic
def account_create(
    *,
    actor: User,
    parent: Account | None,
    code: str,
    name: str,
    direction: str | None = None,
    category: str | None = None,
    requires_customer: bool = False,
    is_open_item: bool = False,
) -> Account:
    """Add an account; a sub-account inherits direction and category from its parent.

    A parent that has postings cannot take sub-accounts (its balance would have no leaf).
    """
    permission_require(actor, "ledger.add_account")
    errors: dict[str, list[str]] = {}
    if parent is not None:
        if not code.startswith(parent.code + "."):
            errors["code"] = [_("A sub-account's code starts with its parent's code and a dot.")]
        if VoucherLine.objects.filter(account=parent).exists():
            errors["parent"] = [_("This account has postings; it cannot take sub-accounts.")]
    elif not code.isdigit() or len(code) != 4:
        errors["code"] = [_("A first-level account code has four digits.")]
    if Account.objects.filter(code=code).exists():
        errors["code"] = [_("This code is taken.")]
    if is_open_item and not requires_customer:
        errors["is_open_item"] = [_("Open-item accounts need the customer dimension.")]
    if errors:
        raise AccountInvalid(fields=errors)
    account = Account(
        code=code,
        name=name,
        parent=parent,
        level=code.count(".") + 1,
        direction=direction or (parent.direction if parent else ""),
        category=category or (parent.category if parent else ""),
        requires_customer=requires_customer,
        is_open_item=is_open_item,
    )
    try:
        account.full_clean()
    except Exception as exc:
        from suanpan.core.errors import validation_failed_from_django

        raise validation_failed_from_django(exc) from exc
    account.save()
    return account


@transaction.atomic
def account_set_active(*, actor: User, account: Account, active: bool) -> Account:
    permission_require(actor, "ledger.change_account")
    if not active and AccountRoleMap.objects.filter(account=account).exists():
        raise AccountInvalid(
            fields={"is_active": [_("This account plays a role; map the role elsewhere first.")]}
        )
    Account.objects.filter(pk=account.pk).update(is_active=active)
    account.is_active = active
    return account


@transaction.atomic
def account_delete(*, actor: User, account: Account) -> None:
    """Delete an account entered by mistake; never once used."""
    permission_require(actor, "ledger.delete_account")
    if VoucherLine.objects.filter(account=account).exists():
        raise AccountInUse(account=str(account))
    if account.children.exists() or AccountRoleMap.objects.filter(account=account).exists():
        raise AccountInvalid(fields={"code": [_("It has sub-accounts or plays a role.")]})
    account.delete()


@transaction.atomic
def account_role_set(*, actor: User, role: str, account: Account) -> AccountRoleMap:
    permission_require(actor, "ledger.change_company")
    if account.children.exists() or not account.is_active:
        raise AccountInvalid(fields={"account": [_("Roles map to active leaf accounts.")]})
    mapping, _created = AccountRoleMap.objects.update_or_create(
        role=role, defaults={"account": account}
    )
    return mapping
