"""Demo sales: a pipeline, quotes, a contract with its payment plan, and orders at every stage
of their life — shipped, signed for and one partly returned — on top of the demo catalogue and
stock, all written through the real services, so the demo's vouchers are the ones Suanpan
itself posts.
"""

# Demo data needs reproducible randomness, not secrecy.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from suanpan.catalog.choices import ProductKind
from suanpan.demo.catalog import catalog_exists, demo_catalog
from suanpan.demo.customers import active_customers
from suanpan.demo.inventory import demo_delivery, demo_stock
from suanpan.demo.ledger import books_company
from suanpan.sales.errors import CreditLimitExceeded
from suanpan.sales.selectors import opportunities as opportunity_selectors
from suanpan.sales.selectors import orders as order_selectors
from suanpan.sales.services import contracts, opportunities, orders, quotes
from suanpan.sales.services.contracts import InstalmentInput
from suanpan.sales.services.lines import LineInput
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.catalog.models import Product
    from suanpan.customers.models import Customer
    from suanpan.inventory.models import Warehouse
    from suanpan.sales.models import Quote

OPPORTUNITY_TITLES = [
    "门店收银系统升级",
    "仓库条码化改造",
    "冷链标签打印方案",
    "移动盘点终端采购",
    "分仓无线网络覆盖",
    "年度耗材框架采购",
]


def _day(first: date, today: date, rng: random.Random, *, low: int, high: int) -> date:
    return min(first + timedelta(days=rng.randint(low, high)), today)


def demo_sales(*, users: dict[str, User], seed: int) -> None:
    """Idempotent: does nothing once a product exists, or before the books are set up."""
    admin, finance, manager = users["admin"], users["finance"], users["salesmgr"]
    company = books_company()
    if company is None or catalog_exists(user=admin):
        return
    rng = random.Random(seed + 4)
    today = timezone.localdate()
    first = company.first_period

    products = demo_catalog(admin=admin)
    goods = [p for p in products if p.kind == ProductKind.GOODS]
    stores = demo_stock(admin=admin, goods=goods, first=first, rng=rng)

    customers = list(active_customers(user=admin, limit=24))
    _demo_pipeline(customers=customers, manager=manager, first=first, today=today, rng=rng)
    accepted = _demo_quotes(
        customers=customers[:6], manager=manager, products=products, today=today, rng=rng
    )
    if accepted is not None:
        _demo_contract(quote=accepted, manager=manager, today=today)
    _demo_orders(
        customers=customers[6:18],
        manager=manager,
        finance=finance,
        admin=admin,
        goods=goods,
        services=[p for p in products if p.kind == ProductKind.SERVICE],
        stores=stores,
        first=first,
        today=today,
        rng=rng,
    )


def _demo_contract(*, quote: Quote, manager: User, today: date) -> None:
    contract = contracts.contract_create_from_quote(
        actor=manager, quote=quote, data={"title": f"{quote.customer.name} 设备采购合同"}
    )
    contracts.contract_plan_set(
        actor=manager,
        contract=contract,
        instalments=[
            InstalmentInput(today, percentage=Decimal("0.30"), description="预付款"),
            InstalmentInput(
                today + timedelta(days=30), percentage=Decimal("0.60"), description="到货款"
            ),
            InstalmentInput(
                today + timedelta(days=365), percentage=Decimal("0.10"), description="质保金"
            ),
        ],
    )
    contracts.contract_activate(actor=manager, contract=contract, signed_on=today)


def _demo_pipeline(
    *, customers: list[Customer], manager: User, first: date, today: date, rng: random.Random
) -> None:
    stages = list(opportunity_selectors.stage_list(active_only=True))
    for index, customer in enumerate(customers[:14]):
        stage = stages[index % len(stages)]
        opportunity = opportunities.opportunity_create(
            actor=manager,
            data={
                "customer": customer,
                "title": OPPORTUNITY_TITLES[index % len(OPPORTUNITY_TITLES)],
                "amount": Decimal(rng.randint(20, 400) * 1000),
                "expected_close_on": today + timedelta(days=rng.randint(-20, 150)),
                "owner": customer.owner,
                "competitor": rng.choice(["", "", "某外资品牌", "本地集成商"]),
                "next_step": rng.choice(["约技术交流", "提交方案", "商务谈判", "等待招标结果"]),
            },
        )
        if stage.outcome != "open":
            opportunities.opportunity_stage_move(
                actor=manager,
                opportunity=opportunity,
                stage=stage,
                loss_reason="价格高于竞争对手" if stage.outcome == "lost" else "",
            )
        elif stage.pk != opportunity.stage_id:
            opportunities.opportunity_stage_move(
                actor=manager, opportunity=opportunity, stage=stage
            )


def _demo_quotes(
    *,
    customers: list[Customer],
    manager: User,
    products: list[Product],
    today: date,
    rng: random.Random,
) -> Quote | None:
    made = []
    for index, customer in enumerate(customers):
        picked = rng.sample(products, 3)
        quote = quotes.quote_create(
            actor=manager,
            customer=customer,
            data={
                "quoted_on": today - timedelta(days=index * 3),
                "terms": "报价含税含运费，有效期30天。",
            },
            lines=[
                LineInput(
                    product_id=p.pk,
                    quantity=Decimal(rng.randint(1, 20)),
                    discount_rate=Decimal("0.05") if i == 0 else Decimal(0),
                )
                for i, p in enumerate(picked)
            ],
        )
        if index % 3 != 0:
            quotes.quote_send(actor=manager, quote=quote)
        made.append(quote)
    if len(made) < 2:
        return None
    quotes.quote_accept(actor=manager, quote=made[1])
    return made[1]


def _demo_orders(
    *,
    customers: list[Customer],
    manager: User,
    finance: User,
    admin: User,
    goods: list[Product],
    services: list[Product],
    stores: list[Warehouse],
    first: date,
    today: date,
    rng: random.Random,
) -> None:
    for index, customer in enumerate(customers):
        ordered_on = _day(first, today, rng, low=25, high=45)
        lines = [
            LineInput(product_id=p.pk, quantity=Decimal(rng.randint(2, 12)))
            for p in rng.sample(goods, 2)
        ]
        if index % 4 == 0:
            lines.append(LineInput(product_id=services[1].pk, quantity=Decimal(2)))
        order = orders.order_create(
            actor=manager,
            data=orders.OrderInput(
                customer=customer,
                ordered_on=ordered_on,
                lines=lines,
                delivery_address=customer.address,
                owner=customer.owner,
            ),
        )
        stage = index % 6
        if stage == 0:
            continue  # a draft
        try:
            orders.order_confirm(actor=manager, order=order)
        except CreditLimitExceeded:
            orders.order_confirm(
                actor=finance, order=order, credit_approval_reason="老客户，回款记录良好"
            )
        if stage == 1:
            continue  # confirmed
        orders.order_pick(actor=manager, order=order)
        if stage == 2:
            continue  # picking
        order = order_selectors.order_get(user=admin, pk=order.pk)
        shipped_on = min(ordered_on + timedelta(days=2), today)
        demo_delivery(
            order=order,
            store=stores[index % len(stores)],
            admin=admin,
            shipped_on=shipped_on,
            today=today,
            partial=stage == 3,
            signed=stage >= 4,
            returned=stage == 5,
            rng=rng,
        )
