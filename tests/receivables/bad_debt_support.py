"""Builders for bad-debt tests: the accounts 企业会计准则 and 小企业会计准则 books add for bad
debts, and a write-off made (and approved)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Account, AccountRoleMap, OpenItem
from suanpan.receivables.models import WriteOff
from suanpan.receivables.services import (
    WriteOffInput,
    WriteOffItem,
    writeoff_approve,
    writeoff_create,
)
from suanpan.users.models import User
from tests.receivables.support import ON

D = Decimal
CAS_ACCOUNTS = (
    ("1231", "坏账准备", "credit", "asset", AccountRole.BAD_DEBT_PROVISION),
    ("6702", "信用减值损失", "debit", "profit_loss", AccountRole.CREDIT_LOSS),
    ("6711", "营业外支出", "debit", "profit_loss", AccountRole.NON_OPERATING_EXPENSE),
    ("6301", "营业外收入", "credit", "profit_loss", AccountRole.NON_OPERATING_INCOME),
)
# 小企业会计准则 keeps no provision: no 坏账准备, no 信用减值损失.
SMALL_ACCOUNTS = (
    ("5711", "营业外支出", "debit", "profit_loss", AccountRole.NON_OPERATING_EXPENSE),
    ("5301", "营业外收入", "credit", "profit_loss", AccountRole.NON_OPERATING_INCOME),
)


def accounts_add(rows: tuple[tuple[str, str, str, str, str], ...]) -> None:
    for code, name, direction, category, role in rows:
        account = Account.objects.create(
            code=code, name=name, level=1, direction=direction, category=category
        )
        AccountRoleMap.objects.create(role=role, account=account)


def written_off(
    customer: Any,
    items: tuple[tuple[OpenItem, str], ...],
    *,
    maker: User,
    approver: User | None = None,
    reason: str = "客户破产清算",
) -> WriteOff:
    writeoff = writeoff_create(
        data=WriteOffInput(
            customer_id=customer.pk,
            reason=reason,
            items=tuple(WriteOffItem(item.pk, D(amount)) for item, amount in items),
            written_off_on=ON,
        ),
        actor=maker,
    )
    if approver is not None:
        writeoff = writeoff_approve(writeoff=writeoff, actor=approver, on=ON)
    return writeoff
