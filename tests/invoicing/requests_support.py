"""Builders of the invoice request tests: a contract with its payment plan, an order of goods
partly shipped beside a service, deliveries shipped one by one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from suanpan.inventory.services.deliveries import (
    DeliveryLineInput,
    delivery_create,
    delivery_ship,
)
from suanpan.sales.models import Contract, PaymentInstalment
from suanpan.users.models import User
from tests.factories import ProductFactory, TaxCategoryFactory, WarehouseFactory, order_build
from tests.inventory.deliveries_support import customer_with_dimension, stock_in
from tests.invoicing.support import TAX_NUMBER

D = Decimal
SERVICE_CODE = "3040201000000000000"


def invoicing_customer(**kwargs: Any) -> Any:
    return customer_with_dimension(
        invoice_tax_number=TAX_NUMBER, invoice_title="测试客户有限公司", **kwargs
    )


def service_product() -> Any:
    category = TaxCategoryFactory(code=SERVICE_CODE, name="信息技术服务", vat_rate_key="6")
    return ProductFactory(kind="service", tax_category=category, unit="项")


def goods_and_service_order(*, actor: User, shipped: str = "4", customer: Any = None) -> Any:
    """10 goods at 113.00 (only `shipped` of them shipped) and 2 services at 106.00."""
    warehouse, goods = WarehouseFactory(), ProductFactory()
    stock_in(goods, warehouse, "10", "600.00", actor=actor, ref=f"RK-{goods.pk}")
    order = order_build(
        customer=customer or invoicing_customer(),
        lines=[(goods, "10", "113.00"), (service_product(), "2", "106.00")],
    )
    goods_line = order.lines.get(position=1)
    if D(shipped):
        ship(order, actor=actor, quantities={goods_line.pk: shipped}, warehouse=warehouse)
    return order


def ship(order: Any, *, actor: User, quantities: dict[int, str], warehouse: Any = None) -> Any:
    """A delivery of the given order line quantities, shipped."""
    delivery = delivery_create(
        order=order,
        warehouse=warehouse or WarehouseFactory(code="WH01"),
        actor=actor,
        lines=[DeliveryLineInput(order_line_id=pk, quantity=D(q)) for pk, q in quantities.items()],
    )
    return delivery_ship(delivery=delivery, shipped_on=date(2026, 11, 10), actor=actor)


def goods_order_in_two_deliveries(*, actor: User, customer: Any = None) -> tuple[Any, Any, Any]:
    """10 goods shipped as 4 then 6: (order, first delivery, second delivery)."""
    warehouse, goods = WarehouseFactory(), ProductFactory()
    stock_in(goods, warehouse, "10", "600.00", actor=actor, ref=f"RK-{goods.pk}")
    order = order_build(customer=customer or invoicing_customer(), lines=[(goods, "10", "113.00")])
    line = order.lines.get()
    first = ship(order, actor=actor, quantities={line.pk: "4"}, warehouse=warehouse)
    second = ship(order, actor=actor, quantities={line.pk: "6"}, warehouse=warehouse)
    return order, first, second


def contract_instalment(
    *, amount: str = "10000.00", customer: Any = None, with_order_of: Any = None
) -> PaymentInstalment:
    """An active contract of `amount` paid in one instalment; `with_order_of` (a product)
    gives the contract an order of it, so the contract's products have a tax category."""
    customer = customer or invoicing_customer()
    contract = Contract.objects.create(
        number=f"HT-{Contract.objects.count() + 1:04d}",
        title="软件实施合同",
        customer=customer,
        amount=D(amount),
        status="active",
        owner=customer.owner,
    )
    if with_order_of is not None:
        order = order_build(customer=customer, lines=[(with_order_of, "1", amount)])
        order.contract = contract
        order.save(update_fields=["contract"])
    return PaymentInstalment.objects.create(
        contract=contract,
        position=1,
        due_on=date(2026, 12, 31),
        amount=D(amount),
        description="首付款",
    )
