"""Customer returns: goods back at their delivery cost, the order unshipped, the red voucher."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from suanpan.core.errors import PermissionDeniedError, ValidationFailed
from suanpan.inventory.choices import MoveKind
from suanpan.inventory.errors import (
    DeliveryDateInvalid,
    DocumentNotInStatus,
    ReturnExceedsDelivered,
)
from suanpan.inventory.models import (
    DeliveryLine,
    DeliveryReturnLine,
    ProductCost,
    StockLevel,
    StockMove,
)
from suanpan.inventory.services.deliveries import (
    DeliveryLineInput,
    delivery_create,
    delivery_ship,
    delivery_sign,
)
from suanpan.inventory.services.returns import ReturnLineInput, return_create
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Voucher
from suanpan.sales.choices import OrderStatus
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
BACK_ON = date(2026, 11, 20)


@pytest.fixture
def shipped(clerk, delivery_books):
    """3 units of a product bought at 100.00 for 3 (33.33 + 33.33 + 33.34), all shipped."""
    warehouse, product = WarehouseFactory(), ProductFactory()
    stock_in(product, warehouse, "3", "100.00", actor=clerk)
    order = order_build(customer=customer_with_dimension(), lines=[(product, "3", "113.00")])
    delivery = delivery_create(order=order, warehouse=warehouse, actor=clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    delivery.refresh_from_db()
    return delivery


def _line(delivery):
    return delivery.lines.get()


def test_return_create_brings_goods_back_at_their_delivery_cost_and_reverses_in_red(shipped, clerk):
    delivery_sign(delivery=shipped, signed_on=SHIP_ON, actor=clerk)
    line = _line(shipped)

    returned = return_create(
        delivery=shipped,
        lines=[ReturnLineInput(delivery_line_id=line.pk, quantity=D("1"))],
        reason="外壳破损",
        returned_on=BACK_ON,
        actor=clerk,
    )

    assert returned.number == f"TH-{timezone.localdate():%Y%m}-0001"
    assert returned.warehouse == shipped.warehouse
    assert returned.cost_amount == D("33.33")
    # One of three: 339.00 gross = 300.00 net + 39.00 tax.
    assert (returned.net_amount, returned.tax_amount) == (D("100.00"), D("13.00"))
    line.refresh_from_db()
    assert line.returned_quantity == D("1")
    order_line = line.order_line
    order_line.refresh_from_db()
    assert order_line.shipped_quantity == D("2")
    assert order_line.order.status == OrderStatus.PARTLY_SHIPPED
    move = StockMove.objects.get(kind=MoveKind.RETURN)
    assert (move.quantity, move.value_amount, move.reference) == (
        D("1"),
        D("33.33"),
        returned.number,
    )
    assert StockLevel.objects.get(product=line.product).quantity == D("1")
    red = Voucher.objects.get(source_type="inventory.deliveryreturn", source_id=str(returned.pk))
    assert all(x.debit_amount <= 0 and x.credit_amount <= 0 for x in red.lines.all())
    code = shipped.customer.number
    assert balance(AccountRole.RECEIVABLE_UNBILLED, dimension=code) == D("226.00")
    assert balance(AccountRole.COGS) == D("66.67")
    assert balance(AccountRole.INVENTORY) == D("-66.67")
    assert balance(AccountRole.GOODS_SHIPPED) == 0
    assert balance(AccountRole.REVENUE) == D("-200.00")


def test_return_create_in_parts_gives_back_exactly_what_the_line_carried(shipped, clerk):
    line = _line(shipped)
    returns = [
        return_create(
            delivery=shipped,
            lines=[ReturnLineInput(delivery_line_id=line.pk, quantity=D("1"))],
            reason="退货",
            returned_on=BACK_ON,
            actor=clerk,
        )
        for _ in range(3)
    ]

    assert sum(r.cost_amount for r in returns) == line.cost_amount == D("100.00")
    assert sum(r.net_amount for r in returns) == line.net_amount
    assert sum(r.tax_amount for r in returns) == line.tax_amount
    cost = ProductCost.objects.get(product=line.product)
    assert (cost.quantity, cost.value_amount) == (D("3"), D("100.00"))
    assert balance(AccountRole.GOODS_SHIPPED) == 0
    assert balance(AccountRole.INVENTORY) == 0


def test_return_before_signing_leaves_only_the_rest_to_sign_for(shipped, clerk):
    line = _line(shipped)
    return_create(
        delivery=shipped,
        lines=[ReturnLineInput(delivery_line_id=line.pk, quantity=D("1"))],
        reason="多发",
        returned_on=SHIP_ON,
        actor=clerk,
    )

    delivery_sign(delivery=shipped, signed_on=BACK_ON, actor=clerk)

    # Only the ship part was reversed (nothing was signed for yet); signing takes the rest.
    assert balance(AccountRole.COGS) == D("66.67")
    assert balance(AccountRole.GOODS_SHIPPED) == 0
    assert balance(AccountRole.RECEIVABLE_UNBILLED, dimension=shipped.customer.number) == D(
        "226.00"
    )


def test_return_of_goods_signed_for_under_revenue_on_invoice_reverses_the_ship_part_only(
    shipped, clerk, on_invoice
):
    delivery_sign(delivery=shipped, signed_on=SHIP_ON, actor=clerk)

    return_create(
        delivery=shipped,
        lines=[ReturnLineInput(delivery_line_id=_line(shipped).pk, quantity=D("2"))],
        reason="型号不符",
        returned_on=BACK_ON,
        actor=clerk,
    )

    assert balance(AccountRole.GOODS_SHIPPED) == D("33.33")
    assert balance(AccountRole.COGS) == 0
    assert balance(AccountRole.REVENUE) == 0


def test_return_create_refuses_more_than_is_left_to_return(shipped, clerk):
    line = _line(shipped)
    return_create(
        delivery=shipped,
        lines=[ReturnLineInput(delivery_line_id=line.pk, quantity=D("2"))],
        reason="退货",
        returned_on=BACK_ON,
        actor=clerk,
    )

    with pytest.raises(ReturnExceedsDelivered) as caught:
        return_create(
            delivery=shipped,
            lines=[ReturnLineInput(delivery_line_id=line.pk, quantity=D("2"))],
            reason="退货",
            returned_on=BACK_ON,
            actor=clerk,
        )

    assert "only 1" in caught.value.message
    assert "lines.0.quantity" in caught.value.fields


def test_return_create_needs_a_reason_and_a_date_after_shipping(shipped, clerk):
    lines = [ReturnLineInput(delivery_line_id=_line(shipped).pk, quantity=D("1"))]

    with pytest.raises(ValidationFailed) as caught:
        return_create(delivery=shipped, lines=lines, reason="  ", returned_on=BACK_ON, actor=clerk)
    assert "reason" in caught.value.fields
    with pytest.raises(DeliveryDateInvalid):
        return_create(
            delivery=shipped, lines=lines, reason="x", returned_on=date(2026, 11, 1), actor=clerk
        )


def test_return_create_refuses_a_draft_delivery(clerk, delivery_books):
    product, warehouse = ProductFactory(), WarehouseFactory()
    order = order_build(customer=customer_with_dimension(), lines=[(product, "1", "10")])
    draft = delivery_create(order=order, warehouse=warehouse, actor=clerk)

    with pytest.raises(DocumentNotInStatus):
        return_create(
            delivery=draft,
            lines=[ReturnLineInput(delivery_line_id=draft.lines.get().pk, quantity=D("1"))],
            reason="x",
            returned_on=BACK_ON,
            actor=clerk,
        )


def test_return_create_into_another_warehouse(shipped, clerk):
    other = WarehouseFactory()

    return_create(
        delivery=shipped,
        lines=[ReturnLineInput(delivery_line_id=_line(shipped).pk, quantity=D("1"))],
        reason="退回二号库",
        returned_on=BACK_ON,
        actor=clerk,
        warehouse=other,
    )

    assert StockLevel.objects.get(warehouse=other).quantity == D("1")


def test_return_create_is_refused_to_sales(shipped):
    with pytest.raises(PermissionDeniedError):
        return_create(
            delivery=shipped,
            lines=[ReturnLineInput(delivery_line_id=_line(shipped).pk, quantity=D("1"))],
            reason="x",
            returned_on=BACK_ON,
            actor=UserFactory(role=Role.SALES),
        )


def test_reshipping_after_a_return_still_adds_up_to_the_order_line(clerk, delivery_books):
    warehouse, product = WarehouseFactory(), ProductFactory()
    stock_in(product, warehouse, "4", "100.00", actor=clerk)
    order = order_build(customer=customer_with_dimension(), lines=[(product, "3", "37.67")])
    [order_line] = order.lines.all()
    one = [DeliveryLineInput(order_line_id=order_line.pk, quantity=D("1"))]
    deliveries = []
    for _ in range(3):
        delivery = delivery_create(order=order, warehouse=warehouse, actor=clerk, lines=one)
        deliveries.append(delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk))
    # 3 × 37.67 = 113.01 gross: 100.01 net over three units, 33.34 / 33.33 / 33.34.
    middle = deliveries[1]
    return_create(
        delivery=middle,
        lines=[ReturnLineInput(delivery_line_id=middle.lines.get().pk, quantity=D("1"))],
        reason="退回",
        returned_on=BACK_ON,
        actor=clerk,
    )

    again = delivery_create(order=order, warehouse=warehouse, actor=clerk, lines=one)
    delivery_ship(delivery=again, shipped_on=BACK_ON, actor=clerk)

    out = DeliveryLine.objects.filter(order_line=order_line, delivery__status="shipped")
    returned = DeliveryReturnLine.objects.filter(delivery_line__order_line=order_line)
    net = sum(x.net_amount for x in out) - sum(x.net_amount for x in returned)
    tax = sum(x.tax_amount for x in out) - sum(x.tax_amount for x in returned)
    assert (net, tax) == (order_line.net_amount, order_line.tax_amount)
