"""Fixtures for receivables tests: books with cash and notes receivable mapped, an accountant,
a customer with invoices posted as open items; the bad-debt accounts of either standard and a
finance manager who approves write-offs."""

from __future__ import annotations

import pytest

from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Account, AccountRoleMap, Company
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import UserFactory
from tests.inventory.deliveries_support import (  # noqa: F401
    clerk,
    customer_with_dimension,
    delivery_books,
)
from tests.invoicing.support import TAX_NUMBER
from tests.receivables.bad_debt_support import CAS_ACCOUNTS, SMALL_ACCOUNTS, accounts_add
from tests.receivables.dunning_support import shipped_levels


@pytest.fixture
def receivable_books(delivery_books: Company) -> Company:  # noqa: F811 (the fixture it extends)
    """The test books plus cash (1001) and notes receivable (1121)."""
    for code, name, role in (
        ("1001", "库存现金", AccountRole.CASH),
        ("1121", "应收票据", AccountRole.NOTES_RECEIVABLE),
    ):
        account = Account.objects.create(
            code=code, name=name, level=1, direction="debit", category="asset"
        )
        AccountRoleMap.objects.create(role=role, account=account)
    return delivery_books


@pytest.fixture
def seller(db: None) -> User:
    return UserFactory(role=Role.SALES)


@pytest.fixture
def customer(receivable_books, seller):
    return customer_with_dimension(
        owner=seller,
        invoice_tax_number=TAX_NUMBER,
        invoice_title="上海测试贸易有限公司",
        payment_terms_days=30,
    )


@pytest.fixture
def other_customer(receivable_books):
    """A customer of another salesperson: the `seller` does not see it."""
    return customer_with_dimension(
        owner=UserFactory(role=Role.SALES),
        invoice_tax_number=TAX_NUMBER,
        invoice_title="福州另一家贸易有限公司",
        payment_terms_days=30,
    )


@pytest.fixture
def cas_books(receivable_books: Company) -> Company:
    """企业会计准则 books with 坏账准备, 信用减值损失 and the non-operating accounts."""
    accounts_add(CAS_ACCOUNTS)
    return receivable_books


@pytest.fixture
def small_books(receivable_books: Company) -> Company:
    """A 小企业会计准则 company: non-operating accounts, no provision."""
    receivable_books.standard = "asbe_se"
    receivable_books.save()
    accounts_add(SMALL_ACCOUNTS)
    return receivable_books


@pytest.fixture
def approver(db: None) -> User:
    """Approves write-offs: the finance manager."""
    return UserFactory(role=Role.FINANCE_MANAGER)


@pytest.fixture
def finance_manager(db: None) -> User:
    return UserFactory(role=Role.FINANCE_MANAGER)


@pytest.fixture
def dunning_levels(db: None) -> None:
    """The shipped dunning levels, also after a test on the live server flushed them."""
    shipped_levels()
