"""Delivery services: drafts, shipping, signing for and cancelling, with stock, order and ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from suanpan.catalog.choices import ProductKind
from suanpan.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from suanpan.inventory.choices import DeliveryStatus, MoveKind
from suanpan.inventory.errors import (
    DeliveryDateInvalid,
    DeliveryLinesInvalid,
    DocumentNotInStatus,
    NegativeStock,
)
from suanpan.inventory.models import ProductCost, StockLevel, StockMove
from suanpan.inventory.services.deliveries import (
    DeliveryLineInput,
    delivery_cancel,
    delivery_create,
    delivery_ship,
    delivery_sign,
    delivery_update,
)
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Voucher
from suanpan.sales.choices import OrderStatus
from suanpan.sales.errors import OrderNotShippable, ShipmentExceedsOrder
from suanpan.users.choices import Role
from tests.factories import ProductFactory, UserFactory, WarehouseFactory, order_build
from tests.inventory.deliveries_support import (
    SHIP_ON,
    balance,
    customer_with_dimension,
    stock_in,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def goods(clerk):
    """Two products in stock (10 units at 60.00 and 5 at 20.00) and a confirmed order for them."""
    warehouse = WarehouseFactory()
    phone, cable = ProductFactory(), ProductFactory()
    stock_in(phone, warehouse, "10", "600.00", actor=clerk)
    stock_in(cable, warehouse, "5", "100.00", actor=clerk)
    customer = customer_with_dimension()
    order = order_build(customer=customer, lines=[(phone, "4", "113.00"), (cable, "3", "11.30")])
    order.delivery_address = "北京市海淀区清河中街68号"
    order.save()
    return {"warehouse": warehouse, "phone": phone, "cable": cable, "order": order}


def test_delivery_create_takes_all_that_remains_when_no_lines_are_given(goods, clerk):
    delivery = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)

    assert delivery.number == f"FH-{timezone.localdate():%Y%m}-0001"
    assert delivery.status == DeliveryStatus.DRAFT
    assert delivery.customer == goods["order"].customer
    assert delivery.delivery_address == "北京市海淀区清河中街68号"
    assert [(line.product, line.quantity) for line in delivery.lines.all()] == [
        (goods["phone"], D("4")),
        (goods["cable"], D("3")),
    ]
    # A draft moves nothing.
    assert not StockMove.objects.filter(kind=MoveKind.DELIVERY).exists()


def test_delivery_create_refuses_quantities_above_what_remains_or_zero(goods, clerk):
    phone_line, cable_line = goods["order"].lines.all()

    with pytest.raises(DeliveryLinesInvalid) as caught:
        delivery_create(
            order=goods["order"],
            warehouse=goods["warehouse"],
            actor=clerk,
            lines=[
                DeliveryLineInput(order_line_id=phone_line.pk, quantity=D("5")),
                DeliveryLineInput(order_line_id=cable_line.pk, quantity=D("0")),
            ],
        )

    assert set(caught.value.fields) == {"lines.0.quantity", "lines.1.quantity"}
    assert "Only 4" in caught.value.fields["lines.0.quantity"][0]


def test_delivery_create_refuses_an_order_that_is_not_confirmed(goods, clerk):
    draft = order_build(lines=[(goods["phone"], "1", "113.00")], status=OrderStatus.DRAFT)

    with pytest.raises(OrderNotShippable):
        delivery_create(order=draft, warehouse=goods["warehouse"], actor=clerk)


def test_delivery_create_is_refused_without_the_permission(goods):
    with pytest.raises(PermissionDeniedError):
        delivery_create(
            order=goods["order"],
            warehouse=goods["warehouse"],
            actor=UserFactory(role=Role.CUSTOMER_SERVICE),
        )


def test_delivery_ship_moves_stock_order_and_ledger_when_part_of_the_order_ships(
    goods, clerk, delivery_books
):
    phone_line, _cable_line = goods["order"].lines.all()
    delivery = delivery_create(
        order=goods["order"],
        warehouse=goods["warehouse"],
        actor=clerk,
        lines=[DeliveryLineInput(order_line_id=phone_line.pk, quantity=D("3"))],
    )

    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)

    delivery.refresh_from_db()
    [line] = delivery.lines.all()
    assert delivery.status == DeliveryStatus.SHIPPED
    assert delivery.shipped_on == SHIP_ON
    # 3 of 10 units worth 600.00 leave at 60.00 each.
    assert line.cost_amount == D("180.00") == delivery.cost_amount
    # The order line: 4 × 113.00 including 13% VAT = 400.00 net + 52.00 tax; 3/4 of it.
    assert (line.net_amount, line.tax_amount) == (D("300.00"), D("39.00"))
    assert (delivery.net_amount, delivery.tax_amount) == (D("300.00"), D("39.00"))
    assert StockLevel.objects.get(product=goods["phone"]).quantity == D("7")
    assert ProductCost.objects.get(product=goods["phone"]).value_amount == D("420.00")
    phone_line.refresh_from_db()
    goods["order"].refresh_from_db()
    assert phone_line.shipped_quantity == D("3")
    assert goods["order"].status == OrderStatus.PARTLY_SHIPPED
    voucher = Voucher.objects.get(source_type="inventory.delivery", source_id=str(delivery.pk))
    assert voucher.source_event.endswith(":ship")
    assert balance(AccountRole.GOODS_SHIPPED) == D("180.00")
    assert balance(AccountRole.INVENTORY) == D("-180.00")


def test_delivery_ship_shares_add_up_to_the_order_line_when_it_ships_one_unit_at_a_time(
    clerk, delivery_books
):
    warehouse, product = WarehouseFactory(), ProductFactory()
    stock_in(product, warehouse, "3", "100.00", actor=clerk)
    order = order_build(customer=customer_with_dimension(), lines=[(product, "3", "33.33")])
    [order_line] = order.lines.all()
    deliveries = []
    for _ in range(3):
        delivery = delivery_create(
            order=order,
            warehouse=warehouse,
            actor=clerk,
            lines=[DeliveryLineInput(order_line_id=order_line.pk, quantity=D("1"))],
        )
        deliveries.append(delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk))

    assert sum(d.net_amount for d in deliveries) == order_line.net_amount
    assert sum(d.tax_amount for d in deliveries) == order_line.tax_amount
    assert sum(d.cost_amount for d in deliveries) == D("100.00")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_delivery_ship_writes_nothing_when_stock_runs_short(goods, clerk, delivery_books):
    phone_line, _ = goods["order"].lines.all()
    stock_out = delivery_create(
        order=order_build(customer=goods["order"].customer, lines=[(goods["phone"], "8", "1")]),
        warehouse=goods["warehouse"],
        actor=clerk,
    )
    delivery_ship(delivery=stock_out, shipped_on=SHIP_ON, actor=clerk)
    delivery = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)

    with pytest.raises(NegativeStock) as caught:
        delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)

    assert caught.value.params["shortfall"] == D("2")
    delivery.refresh_from_db()
    phone_line.refresh_from_db()
    assert delivery.status == DeliveryStatus.DRAFT
    assert phone_line.shipped_quantity == 0
    assert StockLevel.objects.get(product=goods["phone"]).quantity == D("2")
    assert Voucher.objects.filter(source_id=str(delivery.pk)).count() == 0


def test_delivery_ship_refuses_what_another_delivery_shipped_meanwhile(
    goods, clerk, delivery_books
):
    first = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)
    second = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)
    delivery_ship(delivery=first, shipped_on=SHIP_ON, actor=clerk)

    with pytest.raises(OrderNotShippable):
        # Everything shipped: the order itself is no longer open for shipping.
        delivery_ship(delivery=second, shipped_on=SHIP_ON, actor=clerk)


def test_delivery_ship_refuses_more_than_remains_on_a_line(goods, clerk, delivery_books):
    phone_line, _ = goods["order"].lines.all()
    lines = [DeliveryLineInput(order_line_id=phone_line.pk, quantity=D("3"))]
    first = delivery_create(
        order=goods["order"], warehouse=goods["warehouse"], actor=clerk, lines=lines
    )
    second = delivery_create(
        order=goods["order"], warehouse=goods["warehouse"], actor=clerk, lines=lines
    )
    delivery_ship(delivery=first, shipped_on=SHIP_ON, actor=clerk)

    with pytest.raises(ShipmentExceedsOrder):
        delivery_ship(delivery=second, shipped_on=SHIP_ON, actor=clerk)


def test_delivery_ship_moves_no_stock_and_no_cost_for_a_service_line(clerk, delivery_books):
    service = ProductFactory(kind=ProductKind.SERVICE)
    order = order_build(customer=customer_with_dimension(), lines=[(service, "2", "106.00")])
    delivery = delivery_create(order=order, warehouse=WarehouseFactory(), actor=clerk)

    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)

    delivery.refresh_from_db()
    assert delivery.cost_amount == 0
    assert delivery.net_amount + delivery.tax_amount == D("212.00")
    assert not StockMove.objects.exists()
    # Nothing of value left the warehouse: no ship voucher.
    assert not Voucher.objects.exists()


def test_delivery_sign_posts_cost_and_revenue_when_revenue_is_recognised_on_delivery(
    goods, clerk, delivery_books
):
    delivery = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)

    delivery_sign(delivery=delivery, signed_on=date(2026, 11, 12), actor=clerk)

    delivery.refresh_from_db()
    code = delivery.customer.number
    # 4 phones at 60.00 and 3 cables at 20.00.
    assert delivery.cost_amount == D("300.00")
    assert delivery.status == DeliveryStatus.SIGNED
    assert balance(AccountRole.GOODS_SHIPPED) == 0
    assert balance(AccountRole.COGS) == D("300.00")
    assert balance(AccountRole.INVENTORY) == D("-300.00")
    gross = delivery.net_amount + delivery.tax_amount
    assert gross == D("485.90")
    assert balance(AccountRole.RECEIVABLE_UNBILLED, dimension=code) == gross
    assert balance(AccountRole.REVENUE) == -delivery.net_amount
    assert balance(AccountRole.VAT_OUTPUT_PENDING) == -delivery.tax_amount
    sign = Voucher.objects.get(source_event=f"inventory.delivery:{delivery.pk}:sign")
    assert sign.date == date(2026, 11, 12)


def test_delivery_sign_posts_nothing_when_revenue_is_recognised_on_invoice(
    goods, clerk, on_invoice
):
    delivery = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)

    delivery_sign(delivery=delivery, signed_on=SHIP_ON, actor=clerk)

    assert Voucher.objects.count() == 1
    assert balance(AccountRole.GOODS_SHIPPED) == D("300.00")


def test_delivery_sign_refuses_a_date_before_shipping(goods, clerk, delivery_books):
    delivery = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)

    with pytest.raises(DeliveryDateInvalid):
        delivery_sign(delivery=delivery, signed_on=date(2026, 11, 9), actor=clerk)


def test_delivery_cancel_of_a_draft_moves_nothing(goods, clerk):
    delivery = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)

    delivery_cancel(delivery=delivery, actor=clerk)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELLED
    assert not Voucher.objects.exists()


def test_delivery_cancel_of_a_shipped_delivery_brings_goods_back_at_their_cost(
    goods, clerk, delivery_books
):
    delivery = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    # Bought dearer since: the goods must still come back at what they left at.
    stock_in(goods["phone"], goods["warehouse"], "1", "90.00", actor=clerk, ref="RK-2")

    delivery_cancel(delivery=delivery, actor=clerk, on=date(2026, 11, 11))

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELLED
    cost = ProductCost.objects.get(product=goods["phone"])
    assert (cost.quantity, cost.value_amount) == (D("11"), D("690.00"))
    assert StockLevel.objects.get(product=goods["cable"]).quantity == D("5")
    goods["order"].refresh_from_db()
    # Everything came back: the order waits to be shipped again.
    assert goods["order"].status == OrderStatus.PICKING
    assert all(line.shipped_quantity == 0 for line in goods["order"].lines.all())
    red = Voucher.objects.get(source_event=f"inventory.delivery:{delivery.pk}:cancel")
    assert all(line.debit_amount <= 0 and line.credit_amount <= 0 for line in red.lines.all())
    assert balance(AccountRole.GOODS_SHIPPED) == 0
    assert balance(AccountRole.INVENTORY) == 0


def test_delivery_cancel_is_refused_once_signed_for(goods, clerk, delivery_books):
    delivery = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    delivery_sign(delivery=delivery, signed_on=SHIP_ON, actor=clerk)

    with pytest.raises(DocumentNotInStatus):
        delivery_cancel(delivery=delivery, actor=clerk)


def test_delivery_update_changes_a_draft_and_its_lines(goods, clerk):
    delivery = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)
    other = WarehouseFactory()
    phone_line, _ = goods["order"].lines.all()

    delivery_update(
        delivery=delivery,
        data={"warehouse": other, "courier": "顺丰速运", "notes": "  上午送达 "},
        lines=[DeliveryLineInput(order_line_id=phone_line.pk, quantity=D("2"))],
        actor=clerk,
    )

    delivery.refresh_from_db()
    assert (delivery.warehouse, delivery.courier, delivery.notes) == (other, "顺丰速运", "上午送达")
    assert [(line.order_line_id, line.quantity) for line in delivery.lines.all()] == [
        (phone_line.pk, D("2"))
    ]


def test_delivery_update_changes_only_tracking_once_shipped_and_keeps_history(
    goods, clerk, delivery_books
):
    delivery = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    editor = UserFactory(role=Role.SALES)

    delivery_update(
        delivery=delivery,
        data={"courier": "京东物流", "tracking_number": "JD0012345678"},
        actor=editor,
    )

    delivery.refresh_from_db()
    assert delivery.tracking_number == "JD0012345678"
    assert delivery.history.first().history_user == editor
    with pytest.raises(DocumentNotInStatus) as caught:
        delivery_update(delivery=delivery, data={"warehouse": WarehouseFactory()}, actor=clerk)
    assert "warehouse" in caught.value.fields


def test_delivery_update_refuses_a_signed_date_before_shipping(goods, clerk, on_invoice):
    delivery = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    delivery_sign(delivery=delivery, signed_on=date(2026, 11, 12), actor=clerk)

    delivery_update(delivery=delivery, data={"signed_on": date(2026, 11, 11)}, actor=clerk)
    with pytest.raises(DeliveryDateInvalid):
        delivery_update(delivery=delivery, data={"signed_on": date(2026, 11, 1)}, actor=clerk)

    delivery.refresh_from_db()
    assert delivery.signed_on == date(2026, 11, 11)


def test_delivery_update_keeps_a_posted_signed_date(goods, clerk, delivery_books):
    delivery = delivery_create(order=goods["order"], warehouse=goods["warehouse"], actor=clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    delivery_sign(delivery=delivery, signed_on=date(2026, 11, 12), actor=clerk)

    with pytest.raises(ValidationFailed) as caught:
        delivery_update(delivery=delivery, data={"signed_on": date(2026, 11, 13)}, actor=clerk)

    assert "signed_on" in caught.value.fields


def test_delivery_create_refuses_an_order_of_a_customer_the_actor_does_not_see(goods):
    with pytest.raises(NotFound):
        delivery_create(
            order=goods["order"], warehouse=goods["warehouse"], actor=UserFactory(role=Role.SALES)
        )
