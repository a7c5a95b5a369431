"""Demo stock: two warehouses with goods bought in twice at different prices, and the
deliveries (shipped, signed for, partly returned) of the demo's orders."""

# Demo data needs reproducible randomness, not secrecy.

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from suanpan.catalog.choices import ProductKind
from suanpan.inventory.selectors import deliveries as delivery_selectors
from suanpan.inventory.services import deliveries, receipts, returns, warehouses
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.catalog.models import Product
    from suanpan.inventory.models import Warehouse
    from suanpan.sales.models import SalesOrder

WAREHOUSES = [
    ("WH01", "北京总仓", "北京市大兴区物流园8号"),
    ("WH02", "上海仓", "上海市嘉定区仓储路66号"),
]
SUPPLIERS = ["深圳市讯扫电子有限公司", "厦门标签纸业有限公司", "苏州智联通信设备有限公司"]
COURIERS = ["顺丰速运", "京东物流", "德邦快递"]


def demo_stock(
    *, admin: User, goods: list[Product], first: date, rng: random.Random
) -> list[Warehouse]:
    """The warehouses, each stocked with every good on two receipts."""
    stores = [
        warehouses.warehouse_create(actor=admin, data={"code": c, "name": n, "address": a})
        for c, n, a in WAREHOUSES
    ]
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
    return stores


def demo_delivery(
    *,
    order: SalesOrder,
    store: Warehouse,
    admin: User,
    shipped_on: date,
    today: date,
    partial: bool,
    signed: bool,
    returned: bool,
    rng: random.Random,
) -> None:
    """Ship an order from `store`: only half of its goods when `partial`, then maybe signed for
    and one piece returned."""
    goods_lines = [line for line in order.lines.all() if line.product.kind == ProductKind.GOODS]
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
    if signed:
        deliveries.delivery_sign(
            delivery=delivery, signed_on=min(shipped_on + timedelta(days=2), today), actor=admin
        )
    if returned:
        shipped = delivery_selectors.delivery_get(user=admin, pk=delivery.pk)
        line = min(shipped.lines.all(), key=lambda line: line.pk)
        returns.return_create(
            delivery=delivery,
            lines=[returns.ReturnLineInput(delivery_line_id=line.pk, quantity=Decimal(1))],
            reason="包装破损，客户退回一件",
            returned_on=min(shipped_on + timedelta(days=4), today),
            actor=admin,
        )
