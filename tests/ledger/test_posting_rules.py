"""The posting rules of DESIGN.md "What posts what", exercised with synthetic events under both
revenue policies until the sales and invoicing modules post the real ones.

The rules below are pure functions on the caller's side (as they will be in those modules):
they return role-based lines; the ledger only posts them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.core.tax import split_gross
from suanpan.ledger import selectors, services
from suanpan.ledger.choices import AccountRole, RevenuePolicy
from suanpan.ledger.models import Account, AccountRoleMap, Company, Period
from suanpan.ledger.types import PostingEvent, RoleLine

pytestmark = pytest.mark.django_db
D = Decimal
GROSS, COST = D("1130.00"), D("600.00")
CUSTOMER = "KH-000001"


def delivery_lines(policy: str, *, gross: Decimal, cost: Decimal) -> tuple[RoleLine, ...]:
    net, tax = split_gross(gross, D("0.13"))
    if policy == RevenuePolicy.ON_DELIVERY:
        return (
            RoleLine(AccountRole.COGS, debit=cost),
            RoleLine(AccountRole.INVENTORY, credit=cost),
            RoleLine(AccountRole.RECEIVABLE_UNBILLED, debit=gross, dimension_code=CUSTOMER),
            RoleLine(AccountRole.REVENUE, credit=net),
            RoleLine(AccountRole.VAT_OUTPUT_PENDING, credit=tax),
        )
    return (
        RoleLine(AccountRole.GOODS_SHIPPED, debit=cost),
        RoleLine(AccountRole.INVENTORY, credit=cost),
    )


def invoice_lines(policy: str, *, gross: Decimal, cost: Decimal, due: date) -> tuple[RoleLine, ...]:
    net, tax = split_gross(gross, D("0.13"))
    receivable = RoleLine(AccountRole.RECEIVABLE, debit=gross, dimension_code=CUSTOMER, due_on=due)
    if policy == RevenuePolicy.ON_DELIVERY:
        return (
            receivable,
            RoleLine(AccountRole.RECEIVABLE_UNBILLED, credit=gross, dimension_code=CUSTOMER),
            RoleLine(AccountRole.VAT_OUTPUT_PENDING, debit=tax),
            RoleLine(AccountRole.VAT_OUTPUT, credit=tax),
        )
    return (
        receivable,
        RoleLine(AccountRole.REVENUE, credit=net),
        RoleLine(AccountRole.VAT_OUTPUT, credit=tax),
        RoleLine(AccountRole.COGS, debit=cost),
        RoleLine(AccountRole.GOODS_SHIPPED, credit=cost),
    )


def closing_by_role(period: Period) -> dict[str, Decimal]:
    rows = {
        r.account.pk: r.closing
        for r in selectors.trial_balance(period_from=period, period_to=period).rows
    }
    return {m.role: rows.get(m.account_id, D("0.00")) for m in AccountRoleMap.objects.all()}


@pytest.fixture
def full_roles(books: Company, accounts: dict[str, Account]) -> None:
    """The hand-made chart of the ledger tests, plus 1406 发出商品 for the on-invoice policy."""
    shipped = Account.objects.create(
        code="1406", name="发出商品", direction="debit", category="asset", level=1
    )
    AccountRoleMap.objects.create(role=AccountRole.GOODS_SHIPPED, account=shipped)


@pytest.mark.parametrize("policy", [RevenuePolicy.ON_DELIVERY, RevenuePolicy.ON_INVOICE])
def test_posting_rules_reach_the_same_books_when_delivered_then_invoiced(
    full_roles, customer_dim, accountant, policy
):
    Company.objects.update(revenue_policy=policy)
    policy = services.company_get().revenue_policy
    services.posting_post(
        event=PostingEvent(
            source_type="inventory.delivery",
            source_id="D1",
            event="signed",
            date=date(2026, 1, 10),
            summary="发货签收",
            lines=delivery_lines(policy, gross=GROSS, cost=COST),
        ),
        actor=accountant,
    )
    period = Period.objects.get(year=2026, month=1)
    after_delivery = closing_by_role(period)
    if policy == RevenuePolicy.ON_DELIVERY:
        assert after_delivery[AccountRole.REVENUE] == D("-1000.00")
        assert after_delivery[AccountRole.RECEIVABLE_UNBILLED] == GROSS
    else:
        assert after_delivery[AccountRole.REVENUE] == 0
        assert after_delivery[AccountRole.GOODS_SHIPPED] == COST

    services.posting_post(
        event=PostingEvent(
            source_type="invoicing.invoice",
            source_id="F1",
            event="issued",
            date=date(2026, 1, 20),
            summary="开具发票",
            lines=invoice_lines(policy, gross=GROSS, cost=COST, due=date(2026, 2, 19)),
        ),
        actor=accountant,
    )
    closing = closing_by_role(period)
    # Either way the books end the same: receivable, revenue, output VAT, cost.
    assert closing[AccountRole.RECEIVABLE] == GROSS
    assert closing[AccountRole.REVENUE] == D("-1000.00")
    assert closing[AccountRole.VAT_OUTPUT] == D("-130.00")
    assert closing[AccountRole.COGS] == COST
    assert closing[AccountRole.INVENTORY] == -COST
    for cleared in (
        AccountRole.RECEIVABLE_UNBILLED,
        AccountRole.VAT_OUTPUT_PENDING,
        AccountRole.GOODS_SHIPPED,
    ):
        assert closing[cleared] == 0
    assert selectors.open_items_check(as_of=date(2026, 1, 31)) == []
