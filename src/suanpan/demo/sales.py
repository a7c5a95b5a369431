"""Demo sales and stock: a catalogue, two warehouses with goods bought in at two prices, a
pipeline, quotes, a contract with its payment plan, and orders at every stage of their life —
shipped, signed for and one partly returned — all written through the real services, so the
demo's vouchers are the ones Suanpan itself posts.
"""

# Demo data needs reproducible randomness, not secrecy.
# ruff: noqa: S311

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from suanpan.catalog import services as catalog
from suanpan.catalog.choices import ProductKind
from suanpan.catalog.models import Product
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.models import Customer
from suanpan.inventory.models import Warehouse
from suanpan.inventory.services import deliveries, receipts, returns, warehouses
from suanpan.ledger.models import Company
from suanpan.sales.errors import CreditLimitExceeded
from suanpan.sales.models import OpportunityStage, Quote, SalesOrder
from suanpan.sales.services import contracts, opportunities, orders, quotes
from suanpan.sales.services.contracts import InstalmentInput
from suanpan.sales.services.lines import LineInput
from suanpan.users.models import User

# (code, name, rate key). Codes follow the shape of the 税收分类编码 table; demo data only.
TAX_CATEGORIES = [
    ("1090511030000000000", "计算机外部设备", "13"),
    ("1090512990000000000", "其他通信设备", "13"),
    ("1060512000000000000", "纸制品", "13"),
    ("3040201000000000000", "软件服务", "6"),
    ("3040203000000000000", "信息系统服务", "6"),
]
# (code, name, specification, unit, kind, category index, list price incl. tax, standard cost)
PRODUCTS = [
    ("SP-1001", "条码扫描枪", "有线 1D/2D", "把", ProductKind.GOODS, 0, "299.00", "150.00"),
    ("SP-1002", "热敏标签打印机", "203dpi 108mm", "台", ProductKind.GOODS, 0, "1380.00", "820.00"),
    ("SP-1003", "收银一体机", "15.6寸 双屏", "台", ProductKind.GOODS, 0, "3999.00", "2600.00"),
    ("SP-1004", "工业级平板电脑", "10.1寸 IP65", "台", ProductKind.GOODS, 0, "4580.00", "3100.00"),
    ("SP-2001", "无线数据终端", "安卓 4G", "台", ProductKind.GOODS, 1, "2680.00", "1700.00"),
    ("SP-2002", "无线接入点", "Wi-Fi 6 吸顶式", "个", ProductKind.GOODS, 1, "860.00", "480.00"),
    ("SP-3001", "热敏标签纸", "60×40mm 800张/卷", "卷", ProductKind.GOODS, 2, "12.50", "6.20"),
    ("SP-3002", "碳带", "110mm×300m 混合基", "卷", ProductKind.GOODS, 2, "45.00", "22.00"),
    ("FW-0001", "仓储管理软件授权", "标准版 一年", "套", ProductKind.SERVICE, 3, "12000.00", "0"),
    ("FW-0002", "安装调试服务", "现场 一人天", "人天", ProductKind.SERVICE, 4, "1500.00", "0"),
]
WAREHOUSES = [
    ("WH01", "北京总仓", "北京市大兴区物流园8号"),
    ("WH02", "上海仓", "上海市嘉定区仓储路66号"),
]
SUPPLIERS = ["深圳市讯扫电子有限公司", "厦门标签纸业有限公司", "苏州智联通信设备有限公司"]
COURIERS = ["顺丰速运", "京东物流", "德邦快递"]
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
    if Product.objects.exists() or not Company.objects.exists():
        return
    rng = random.Random(seed + 4)
    today = timezone.localdate()
    first = Company.objects.get().first_period
    admin, finance, manager = users["admin"], users["finance"], users["salesmgr"]

    categories = [
        catalog.tax_category_create(
            actor=admin, data={"code": code, "name": name, "vat_rate_key": key}
        )
        for code, name, key in TAX_CATEGORIES
    ]
    products = [
        catalog.product_create(
            actor=admin,
            data={
                "code": code,
                "name": name,
                "specification": spec,
                "unit": unit,
                "kind": kind,
                "tax_category": categories[category],
                "list_price": Decimal(price),
                "price_includes_tax": True,
                "standard_cost": Decimal(cost),
            },
        )
        for code, name, spec, unit, kind, category, price, cost in PRODUCTS
    ]
    goods = [p for p in products if p.kind == ProductKind.GOODS]
    stores = [
        warehouses.warehouse_create(actor=admin, data={"code": c, "name": n, "address": a})
        for c, n, a in WAREHOUSES
    ]
    _demo_receipts(admin=admin, goods=goods, stores=stores, first=first, rng=rng)

    customers = list(
        Customer.objects.filter(status=CustomerStatus.ACTIVE)
        .select_related("owner")
        .order_by("id")[:24]
    )
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


def _demo_receipts(
    *, admin: User, goods: list[Product], stores: list[Warehouse], first: date, rng: random.Random
) -> None:
    # Bought twice at different prices, so the moving average is visible.
    for batch, on in enumerate((first, first + timedelta(days=20))):
        for store in stores:
            lines = [
                receipts.ReceiptLineInput(
                    product=product,
                    quantity=Decimal(
                        rng.choice([20, 30, 50, 80]) * (10 if product.unit == "卷" else 1)
                    ),
                    unit_cost=(product.standard_cost * Decimal(1 + batch * 0.05)).quantize(
                        Decimal("0.01")
                    ),
                )
                for product in goods
            ]
            receipt = receipts.receipt_create(
                actor=admin,
                data={"warehouse": store, "received_on": on, "supplier": rng.choice(SUPPLIERS)},
                lines=lines,
            )
            receipts.receipt_post(actor=admin, receipt=receipt)


def _demo_pipeline(
    *, customers: list[Customer], manager: User, first: date, today: date, rng: random.Random
) -> None:
    stages = list(OpportunityStage.objects.filter(is_active=True).order_by("position"))
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
        order = SalesOrder.objects.get(pk=order.pk)
        store = stores[index % len(stores)]
        shipped_on = min(ordered_on + timedelta(days=2), today)
        goods_lines = [line for line in order.lines.all() if line.product.kind == ProductKind.GOODS]
        partial = stage == 3
        delivery = deliveries.delivery_create(
            order=order,
            warehouse=store,
            actor=admin,
            lines=[
                deliveries.DeliveryLineInput(
                    order_line_id=line.pk,
                    quantity=(line.quantity / 2).quantize(Decimal(1)) if partial else line.quantity,
                )
                for line in (goods_lines if partial else order.lines.all())
            ],
            courier=rng.choice(COURIERS),
            tracking_number=f"SF{rng.randint(10**11, 10**12 - 1)}",
        )
        deliveries.delivery_ship(delivery=delivery, shipped_on=shipped_on, actor=admin)
        if stage >= 4:
            deliveries.delivery_sign(
                delivery=delivery, signed_on=min(shipped_on + timedelta(days=2), today), actor=admin
            )
        if stage == 5:
            line = delivery.lines.order_by("pk")[0]
            returns.return_create(
                delivery=delivery,
                lines=[returns.ReturnLineInput(delivery_line_id=line.pk, quantity=Decimal(1))],
                reason="包装破损，客户退回一件",
                returned_on=min(shipped_on + timedelta(days=4), today),
                actor=admin,
            )
