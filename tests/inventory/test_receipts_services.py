"""Goods receipts: drafts, posting (stock in, Dr inventory / Cr payable), cancelling."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from suanpan.catalog.choices import ProductKind
from suanpan.core.errors import PermissionDeniedError, ValidationFailed
from suanpan.inventory.choices import MoveKind, StockDocumentStatus
from suanpan.inventory.errors import DocumentNotInStatus, NegativeStock
from suanpan.inventory.models import GoodsReceipt, ProductCost, StockLevel, StockMove
from suanpan.inventory.services.receipts import (
    ReceiptLineInput,
    receipt_cancel,
    receipt_create,
    receipt_post,
    receipt_update,
)
from suanpan.inventory.services.stock import MoveInput, stock_moves_apply
from suanpan.ledger.models import Company, Voucher, VoucherLine
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ProductFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 2)


def balance(code: str) -> Decimal:
    sums = VoucherLine.objects.filter(account__code=code).aggregate(
        d=Sum("debit_amount"), c=Sum("credit_amount")
    )
    return (sums["d"] or Decimal(0)) - (sums["c"] or Decimal(0))


def make_receipt(actor: User, warehouse, *lines, supplier: str = "华强电子") -> GoodsReceipt:  # type: ignore[no-untyped-def]
    return receipt_create(
        actor=actor,
        data={"warehouse": warehouse, "received_on": ON, "supplier": supplier},
        lines=[ReceiptLineInput(p, Decimal(q), Decimal(c)) for p, q, c in lines],
    )


def test_receipt_create_numbers_by_month_and_rounds_line_amounts_half_up(
    storekeeper: User,
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()

    first = make_receipt(storekeeper, warehouse, (product, "3", "0.125"))
    second = make_receipt(storekeeper, warehouse, (product, "1", "10"))

    assert (first.number, second.number) == ("RK-202611-0001", "RK-202611-0002")
    assert first.status == StockDocumentStatus.DRAFT
    assert first.lines.get().amount == Decimal("0.38")  # 0.375 → 0.38
    assert first.total_amount == Decimal("0.38")
    assert not StockMove.objects.exists()


def test_receipt_create_refuses_services_nonpositive_quantities_and_negative_costs(
    storekeeper: User,
) -> None:
    service = ProductFactory(kind=ProductKind.SERVICE)
    goods = ProductFactory()

    with pytest.raises(ValidationFailed) as caught:
        make_receipt(
            storekeeper,
            WarehouseFactory(),
            (service, "1", "1"),
            (goods, "0", "1"),
            (goods, "1", "-1"),
        )

    assert set(caught.value.fields) == {"lines.0.product", "lines.1.quantity", "lines.2.unit_cost"}
    assert not GoodsReceipt.objects.exists()


def test_receipt_create_refused_when_user_may_only_read_stock() -> None:
    with pytest.raises(PermissionDeniedError):
        make_receipt(UserFactory(role=Role.SALES), WarehouseFactory(), (ProductFactory(), "1", "1"))


def test_receipt_update_replaces_lines_of_a_draft_only(
    storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    receipt = make_receipt(storekeeper, warehouse, (product, "1", "5"))

    receipt_update(
        actor=storekeeper,
        receipt=receipt,
        data={"supplier": "新供应商"},
        lines=[ReceiptLineInput(product, Decimal("2"), Decimal("7.5"))],
    )
    receipt.refresh_from_db()
    assert (receipt.supplier, receipt.total_amount, receipt.lines.count()) == (
        "新供应商",
        Decimal("15.00"),
        1,
    )

    receipt_post(actor=storekeeper, receipt=receipt)
    with pytest.raises(DocumentNotInStatus):
        receipt_update(actor=storekeeper, receipt=receipt, data={}, lines=[])


def test_receipt_post_moves_stock_in_at_moving_average_across_two_costs(
    storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    receipt_post(
        actor=storekeeper, receipt=make_receipt(storekeeper, warehouse, (product, "10", "8"))
    )
    receipt_post(
        actor=storekeeper, receipt=make_receipt(storekeeper, warehouse, (product, "5", "11"))
    )

    cost = ProductCost.objects.get(product=product)
    # (80 + 55) / 15 = 9.00
    assert (cost.quantity, cost.value_amount) == (Decimal("15"), Decimal("135.00"))
    assert StockLevel.objects.get(product=product, warehouse=warehouse).quantity == Decimal("15")
    assert list(StockMove.objects.values_list("kind", "value_amount")) == [
        (MoveKind.RECEIPT, Decimal("80.00")),
        (MoveKind.RECEIPT, Decimal("55.00")),
    ]


def test_receipt_post_books_inventory_against_payable_naming_supplier_and_number(
    storekeeper: User, stock_books: Company
) -> None:
    receipt = make_receipt(storekeeper, WarehouseFactory(), (ProductFactory(), "4", "25.5"))

    receipt = receipt_post(actor=storekeeper, receipt=receipt)

    assert receipt.status == StockDocumentStatus.POSTED and receipt.posted_at is not None
    voucher = Voucher.objects.get(source_type="inventory.goodsreceipt", source_id=str(receipt.pk))
    assert "华强电子" in voucher.summary and receipt.number in voucher.summary
    assert voucher.date == ON
    assert balance("1405") == Decimal("102.00")
    assert balance("2202") == Decimal("-102.00")


def test_receipt_post_refused_twice(storekeeper: User, stock_books: Company) -> None:
    receipt = make_receipt(storekeeper, WarehouseFactory(), (ProductFactory(), "1", "1"))
    receipt_post(actor=storekeeper, receipt=receipt)

    with pytest.raises(DocumentNotInStatus):
        receipt_post(actor=storekeeper, receipt=receipt)
    assert StockMove.objects.count() == 1


def test_receipt_cancel_of_a_draft_moves_nothing(storekeeper: User) -> None:
    receipt = make_receipt(storekeeper, WarehouseFactory(), (ProductFactory(), "1", "1"))

    receipt = receipt_cancel(actor=storekeeper, receipt=receipt)

    assert receipt.status == StockDocumentStatus.CANCELLED
    assert not StockMove.objects.exists() and not Voucher.objects.exists()
    with pytest.raises(DocumentNotInStatus):
        receipt_cancel(actor=storekeeper, receipt=receipt)


def test_receipt_cancel_takes_goods_out_and_reverses_the_posting_in_red(
    storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    receipt = receipt_post(
        actor=storekeeper, receipt=make_receipt(storekeeper, warehouse, (product, "4", "25"))
    )

    receipt_cancel(actor=storekeeper, receipt=receipt)

    assert StockLevel.objects.get(product=product, warehouse=warehouse).quantity == 0
    assert ProductCost.objects.get(product=product).value_amount == 0
    red = Voucher.objects.get(source_event=f"inventory.goodsreceipt:{receipt.pk}:cancel")
    amounts = sorted(red.lines.values_list("debit_amount", "credit_amount"))
    assert amounts == [(Decimal("-100.00"), 0), (0, Decimal("-100.00"))]
    assert balance("1405") == balance("2202") == balance("1901") == 0


def test_receipt_cancel_books_the_difference_to_stock_gains_and_losses_when_cost_moved(
    storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    receipt_post(
        actor=storekeeper, receipt=make_receipt(storekeeper, warehouse, (product, "1", "10"))
    )
    dear = receipt_post(
        actor=storekeeper, receipt=make_receipt(storekeeper, warehouse, (product, "1", "20"))
    )

    receipt_cancel(actor=storekeeper, receipt=dear)

    # One unit left the stock at the moving average 15.00, not at its receipt cost 20.00.
    assert ProductCost.objects.get(product=product).value_amount == Decimal("15.00")
    assert balance("1405") == Decimal("15.00")
    assert balance("2202") == Decimal("-10.00")
    assert balance("1901") == Decimal("-5.00")


def test_receipt_cancel_refused_with_negative_stock_when_goods_have_gone(
    storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(name="显示器"), WarehouseFactory(name="北京仓")
    receipt = receipt_post(
        actor=storekeeper, receipt=make_receipt(storekeeper, warehouse, (product, "5", "10"))
    )
    stock_moves_apply(
        moves=[
            MoveInput(
                product=product,
                warehouse=warehouse,
                quantity=Decimal("-3"),
                kind=MoveKind.DELIVERY,
                moved_on=ON,
                source_type="tests.doc",
                source_id="1",
                reference="FH-1",
            )
        ],
        actor=storekeeper,
    )

    with pytest.raises(NegativeStock) as caught:
        receipt_cancel(actor=storekeeper, receipt=receipt)

    assert "显示器" in caught.value.message and "北京仓" in caught.value.message
    assert caught.value.params["shortfall"] == Decimal("3")
    receipt.refresh_from_db()
    assert receipt.status == StockDocumentStatus.POSTED
    assert Voucher.objects.count() == 1


def test_receipt_cancel_of_a_future_dated_receipt_is_dated_on_the_receipt_date(
    storekeeper: User, stock_books: Company
) -> None:
    product, warehouse = ProductFactory(), WarehouseFactory()
    ahead = timezone.localdate() + timedelta(days=40)
    receipt = receipt_create(
        actor=storekeeper,
        data={"warehouse": warehouse, "received_on": ahead},
        lines=[ReceiptLineInput(product, Decimal("1"), Decimal("1"))],
    )
    receipt_post(actor=storekeeper, receipt=receipt)

    receipt_cancel(actor=storekeeper, receipt=receipt)

    assert set(StockMove.objects.values_list("moved_on", flat=True)) == {ahead}
