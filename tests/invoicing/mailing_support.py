"""Builders for the mailing tests: issued invoices of one or two customers, mailings of them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from suanpan.inventory.services.deliveries import delivery_create, delivery_ship
from suanpan.invoicing.models import Invoice, InvoiceMailing
from suanpan.invoicing.services import mailing_create
from suanpan.users.models import User
from tests.factories import ProductFactory, WarehouseFactory, order_build
from tests.inventory.deliveries_support import stock_in
from tests.invoicing.support import issued, shipped_order

SENT_ON = date(2026, 11, 14)


def issued_invoice(*, maker: User, approver: User, **customer: Any) -> Invoice:
    return issued(shipped_order(actor=maker, **customer), maker=maker, approver=approver)


def second_invoice(invoice: Invoice, *, maker: User, approver: User) -> Invoice:
    """Another invoice for the same customer (a second order shipped and invoiced)."""
    warehouse = WarehouseFactory()
    product = ProductFactory()
    stock_in(product, warehouse, "5", "300", actor=maker, ref=f"RK-{product.pk}")
    order = order_build(customer=invoice.customer, lines=[(product, Decimal(5), Decimal("113"))])
    delivery = delivery_create(order=order, warehouse=warehouse, actor=maker, lines=None)
    delivery_ship(delivery=delivery, shipped_on=date(2026, 11, 10), actor=maker)
    return issued(order, maker=maker, approver=approver)


def mailed(invoice: Invoice, *, actor: User, **kwargs: Any) -> InvoiceMailing:
    values: dict[str, Any] = {"sent_on": SENT_ON, "courier": "顺丰", "tracking_number": "SF1001"}
    values.update(kwargs)
    return mailing_create(invoice_ids=[invoice.pk], actor=actor, **values)[0]
