"""Seeded factories shared by every test module."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import factory
import factory.random
from django.contrib.auth.models import Group
from django.db import transaction

from suanpan.customers.models import Contact, Customer
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Account, AccountRoleMap, Company, Period
from suanpan.users.choices import Role
from suanpan.users.models import User

factory.random.reseed_random(2026)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("pw-for-tests-123")

    @factory.post_generation
    def role(self, create: bool, extracted: Role | str | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get(name=str(extracted)))


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    number = factory.Sequence(lambda n: f"KH-T{n:05d}")
    name = factory.Sequence(lambda n: f"测试客户{n}有限公司")
    owner = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class: type[Customer], *args: object, **kwargs: object) -> Customer:
        from suanpan.customers.services import customer_search_refresh

        customer = super()._create(model_class, *args, **kwargs)
        customer_search_refresh(customer=customer)
        return customer


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    phone = "138 0013 8000"


# Catalog, sales, inventory ----------------------------------------------------------------------


class TaxCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.TaxCategory"
        django_get_or_create = ("code",)

    code = "1090000000000000000"
    name = "货物"
    vat_rate_key = "13"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Product"

    code = factory.Sequence(lambda n: f"SP-{n:05d}")
    name = factory.Sequence(lambda n: f"测试商品{n}")
    unit = "台"
    tax_category = factory.SubFactory(TaxCategoryFactory)
    list_price = Decimal("113.00")
    price_includes_tax = True
    standard_cost = Decimal("60.00")


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inventory.Warehouse"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"WH{n:02d}")
    name = factory.Sequence(lambda n: f"仓库{n}")


def order_build(
    *,
    customer: Customer | None = None,
    owner: User | None = None,
    lines: Sequence[tuple[Any, Decimal | str | int, Decimal | str]] = (),
    status: str = "confirmed",
    price_includes_tax: bool = True,
    ordered_on: date | None = None,
) -> Any:
    """A sales order written straight to the database, amounts worked out by
    `sales.calculations`: for tests of what happens *after* an order exists (deliveries,
    credit checks). `lines` are (product, quantity, unit price)."""
    from suanpan.core.numbering import number_next
    from suanpan.sales.calculations import LinePricing, document_amounts
    from suanpan.sales.models import SalesOrder, SalesOrderLine

    if customer is None:
        customer = CustomerFactory(owner=owner) if owner else CustomerFactory()
    owner = owner or customer.owner
    pricing = [
        LinePricing(
            quantity=Decimal(str(quantity)),
            unit_price=Decimal(str(price)),
            vat_rate_key=product.tax_category.vat_rate_key,
        )
        for product, quantity, price in lines
    ]
    amounts, totals = document_amounts(pricing, price_includes_tax=price_includes_tax)
    with transaction.atomic():
        order = SalesOrder.objects.create(
            number=number_next(series="XS-TEST"),
            customer=customer,
            owner=owner,
            ordered_on=ordered_on or date(2026, 11, 2),
            status=status,
            price_includes_tax=price_includes_tax,
            net_amount=totals.net_amount,
            tax_amount=totals.tax_amount,
            gross_amount=totals.gross_amount,
        )
    SalesOrderLine.objects.bulk_create(
        SalesOrderLine(
            order=order,
            position=i,
            product=product,
            product_name=product.name,
            specification=product.specification,
            unit=product.unit,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_rate_key=line.vat_rate_key,
            vat_rate=product.tax_category.vat_rate,
            net_amount=a.net_amount,
            tax_amount=a.tax_amount,
            gross_amount=a.gross_amount,
        )
        for i, ((product, _q, _p), line, a) in enumerate(
            zip(lines, pricing, amounts, strict=True), 1
        )
    )
    return order


# Ledger -----------------------------------------------------------------------------------------

# code, name, parent, direction, category, customer, open item, role
CHART = [
    ("1002", "银行存款", None, "debit", "asset", False, False, AccountRole.BANK),
    ("1122", "应收账款", None, "debit", "asset", False, False, None),
    ("1122.01", "应收账款-客户", "1122", "debit", "asset", True, True, AccountRole.RECEIVABLE),
    (
        "1122.99",
        "已发货未开票",
        "1122",
        "debit",
        "asset",
        True,
        False,
        AccountRole.RECEIVABLE_UNBILLED,
    ),
    ("1405", "库存商品", None, "debit", "asset", False, False, AccountRole.INVENTORY),
    ("2205", "合同负债", None, "credit", "liability", True, True, AccountRole.CUSTOMER_ADVANCE),
    ("2221", "应交税费", None, "credit", "liability", False, False, None),
    (
        "2221.01",
        "应交增值税(销项税额)",
        "2221",
        "credit",
        "liability",
        False,
        False,
        AccountRole.VAT_OUTPUT,
    ),
    (
        "2221.02",
        "待转销项税额",
        "2221",
        "credit",
        "liability",
        False,
        False,
        AccountRole.VAT_OUTPUT_PENDING,
    ),
    (
        "4103",
        "本年利润",
        None,
        "credit",
        "equity",
        False,
        False,
        AccountRole.CURRENT_YEAR_PROFIT,
    ),
    ("6001", "主营业务收入", None, "credit", "profit_loss", False, False, AccountRole.REVENUE),
    ("6401", "主营业务成本", None, "debit", "profit_loss", False, False, AccountRole.COGS),
]


def books_create() -> Company:
    """Books with the small chart above, set up by hand so that tests do not depend on the
    chart templates; the first period is January 2026."""
    company = Company.objects.create(
        name="算盘测试公司", standard="cas", first_period=date(2026, 1, 1), voucher_words="记收付转"
    )
    made: dict[str, Account] = {}
    for code, name, parent, direction, category, customer, open_item, role in CHART:
        made[code] = Account.objects.create(
            code=code,
            name=name,
            parent=made.get(parent) if parent else None,
            level=code.count(".") + 1,
            direction=direction,
            category=category,
            requires_customer=customer,
            is_open_item=open_item,
        )
        if role:
            AccountRoleMap.objects.create(role=role, account=made[code])
    Period.objects.create(year=2026, month=1)
    return company
