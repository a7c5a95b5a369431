"""Fixtures and builders shared by the delivery and return tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from suanpan.inventory.choices import MoveKind
from suanpan.inventory.services.stock import MoveInput, stock_moves_apply
from suanpan.ledger.choices import AccountRole, RevenuePolicy
from suanpan.ledger.models import Account, AccountRoleMap, Company, Dimension, VoucherLine
from suanpan.ledger.selectors import account_for_role
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory, UserFactory

D = Decimal
SHIP_ON = date(2026, 11, 10)


@pytest.fixture
def delivery_books(books: Company) -> Company:
    """The ledger's test books plus goods shipped (1406), where goods wait to be signed for."""
    account = Account.objects.create(
        code="1406", name="发出商品", level=1, direction="debit", category="asset"
    )
    AccountRoleMap.objects.create(role=AccountRole.GOODS_SHIPPED, account=account)
    return books


@pytest.fixture
def on_invoice(delivery_books: Company) -> Company:
    delivery_books.revenue_policy = RevenuePolicy.ON_INVOICE
    delivery_books.save()
    return delivery_books


@pytest.fixture
def clerk(db: None) -> User:
    """Books deliveries and returns: the accountant role."""
    return UserFactory(role=Role.ACCOUNTANT)


def customer_with_dimension(**kwargs: Any) -> Any:
    """A customer and its ledger dimension (the customer services keep them in step)."""
    customer = CustomerFactory(**kwargs)
    Dimension.objects.get_or_create(
        kind="customer", code=customer.number, defaults={"name": customer.name}
    )
    return customer


def stock_in(
    product: Any, warehouse: Any, quantity: str, value: str, *, actor: User, ref: str = "RK-T"
) -> None:
    stock_moves_apply(
        moves=[
            MoveInput(
                product=product,
                warehouse=warehouse,
                quantity=D(quantity),
                value=D(value),
                kind=MoveKind.RECEIPT,
                moved_on=date(2026, 11, 1),
                source_type="tests.receipt",
                source_id=ref,
                reference=ref,
            )
        ],
        actor=actor,
    )


def balance(role: str, *, dimension: str | None = None) -> Decimal:
    """Debit minus credit of the role's account over every posted line."""
    account = account_for_role(role)
    assert account is not None
    lines = VoucherLine.objects.filter(account=account)
    if dimension is not None:
        lines = lines.filter(dimension__code=dimension)
    return sum((line.debit_amount - line.credit_amount for line in lines), D(0))
