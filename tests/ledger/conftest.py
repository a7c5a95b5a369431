"""Books set up with a small chart by hand, so ledger tests do not depend on the templates."""

from __future__ import annotations

from datetime import date

import pytest

from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Account, AccountRoleMap, Company, Dimension, Period
from suanpan.users.choices import Role
from suanpan.users.models import User

# code, name, parent, direction, category, customer, open item, role
CHART = [
    ("1002", "银行存款", None, "debit", "asset", False, False, AccountRole.BANK),
    ("1122", "应收账款", None, "debit", "asset", False, False, None),
    ("1122.01", "应收账款-客户", "1122", "debit", "asset", True, True, AccountRole.RECEIVABLE),
    (
        "1122.99",
        "已发货未开票",
        "1122",
        "debit",
        "asset",
        True,
        False,
        AccountRole.RECEIVABLE_UNBILLED,
    ),
    ("1405", "库存商品", None, "debit", "asset", False, False, AccountRole.INVENTORY),
    ("2205", "合同负债", None, "credit", "liability", True, True, AccountRole.CUSTOMER_ADVANCE),
    ("2221", "应交税费", None, "credit", "liability", False, False, None),
    (
        "2221.01",
        "应交增值税(销项税额)",
        "2221",
        "credit",
        "liability",
        False,
        False,
        AccountRole.VAT_OUTPUT,
    ),
    (
        "2221.02",
        "待转销项税额",
        "2221",
        "credit",
        "liability",
        False,
        False,
        AccountRole.VAT_OUTPUT_PENDING,
    ),
    ("6001", "主营业务收入", None, "credit", "profit_loss", False, False, AccountRole.REVENUE),
    ("6401", "主营业务成本", None, "debit", "profit_loss", False, False, AccountRole.COGS),
]


@pytest.fixture
def books(db: None) -> Company:
    company = Company.objects.create(
        name="算盘测试公司", standard="cas", first_period=date(2026, 1, 1), voucher_words="记收付转"
    )
    made: dict[str, Account] = {}
    for code, name, parent, direction, category, customer, open_item, role in CHART:
        made[code] = Account.objects.create(
            code=code,
            name=name,
            parent=made.get(parent) if parent else None,
            level=code.count(".") + 1,
            direction=direction,
            category=category,
            requires_customer=customer,
            is_open_item=open_item,
        )
        if role:
            AccountRoleMap.objects.create(role=role, account=made[code])
    Period.objects.create(year=2026, month=1)
    return company


@pytest.fixture
def accounts(books: Company) -> dict[str, Account]:
    return {a.code: a for a in Account.objects.all()}


@pytest.fixture
def customer_dim(books: Company) -> Dimension:
    return Dimension.objects.create(kind="customer", code="KH-000001", name="北京小米科技有限公司")


@pytest.fixture
def accountant(make_user) -> User:
    return make_user(Role.ACCOUNTANT)


@pytest.fixture
def finance_manager(make_user) -> User:
    return make_user(Role.FINANCE_MANAGER)
