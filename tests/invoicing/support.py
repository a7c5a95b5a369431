"""Builders shared by the invoicing tests: an order shipped (and signed) with stock behind it,
a request raised, approved and issued."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from suanpan.inventory.services.deliveries import (
    delivery_create,
    delivery_ship,
    delivery_sign,
)
from suanpan.invoicing.choices import InvoiceType, RequestSource
from suanpan.invoicing.models import Invoice, InvoiceRequest
from suanpan.invoicing.services import (
    IssueInput,
    RequestInput,
    RequestLineInput,
    invoice_issue,
    request_approve,
    request_create,
)
from suanpan.users.models import User
from tests.factories import ProductFactory, WarehouseFactory, order_build
from tests.inventory.deliveries_support import customer_with_dimension, stock_in

D = Decimal
ON = date(2026, 11, 12)
TAX_NUMBER = "91350100M000100Y43"
_numbers = count(1)


def invoice_number() -> str:
    return f"2635{next(_numbers):016d}"


def shipped_order(
    *,
    actor: User,
    lines: list[tuple[str, str]] = (("10", "113.00"),),
    sign: bool = True,
    **customer: Any,
) -> Any:
    """An order of one product per (quantity, price incl. tax) line, all of it shipped."""
    warehouse = WarehouseFactory()
    customer_obj = customer_with_dimension(
        invoice_tax_number=TAX_NUMBER, invoice_title="测试客户有限公司", **customer
    )
    products = []
    for quantity, _price in lines:
        product = ProductFactory()
        stock_in(
            product, warehouse, quantity, str(D(quantity) * 60), actor=actor, ref=f"RK-{product.pk}"
        )
        products.append(product)
    order = order_build(
        customer=customer_obj,
        lines=[(product, D(q), D(p)) for product, (q, p) in zip(products, lines, strict=True)],
    )
    delivery = delivery_create(order=order, warehouse=warehouse, actor=actor, lines=None)
    delivery_ship(delivery=delivery, shipped_on=date(2026, 11, 10), actor=actor)
    if sign:
        delivery_sign(delivery=delivery, signed_on=date(2026, 11, 11), actor=actor)
    return order


def request_for(
    order: Any,
    *,
    actor: User,
    lines: tuple[RequestLineInput, ...] | None = None,
    invoice_type: str = InvoiceType.E_SPECIAL,
) -> InvoiceRequest:
    return request_create(
        data=RequestInput(
            source=RequestSource.ORDER,
            invoice_type=invoice_type,
            order_id=order.pk,
            lines=lines,
            requested_on=ON,
        ),
        actor=actor,
    )


def issued(order: Any, *, maker: User, approver: User) -> Invoice:
    request = request_for(order, actor=maker)
    request_approve(request=request, actor=approver)
    return invoice_issue(
        request=request, data=IssueInput(number=invoice_number(), issued_on=ON), actor=approver
    )
