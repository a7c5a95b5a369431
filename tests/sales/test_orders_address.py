"""A new order takes the customer's address: its shipping address, else its own address, in
the form, the service, the API, conversions from quotes and batch entry alike."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from suanpan.customers.choices import AddressKind
from suanpan.customers.models import Address
from suanpan.customers.selectors import customer_delivery_addresses
from suanpan.sales.choices import QuoteStatus
from suanpan.sales.models import Quote, QuoteLine, SalesOrder
from suanpan.sales.services import orders as services
from suanpan.sales.services.lines import LineInput
from suanpan.sales.services.order_batches import order_bulk_create
from tests.factories import CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db

D = Decimal
OFFICE = "北京市海淀区中关村大街1号"


@pytest.fixture
def shipping_customer(seller):
    customer = CustomerFactory(owner=seller, address=OFFICE)
    Address.objects.create(customer=customer, kind=AddressKind.OFFICE, address="总部")
    Address.objects.create(
        customer=customer, kind=AddressKind.SHIPPING, region="天津市", address="滨海新区仓库路8号"
    )
    return customer


def order_input(customer, product, **kwargs) -> services.OrderInput:
    return services.OrderInput(
        customer=customer,
        ordered_on=date(2026, 11, 20),
        lines=[LineInput(product_id=product.pk, quantity=D("1"), unit_price=D("113"))],
        **kwargs,
    )


def test_delivery_address_is_the_first_shipping_address_else_the_customers_own(seller):
    shipping = CustomerFactory(owner=seller, address=OFFICE)
    Address.objects.create(customer=shipping, kind=AddressKind.SHIPPING, address="天津市港口路1号")
    Address.objects.create(customer=shipping, kind=AddressKind.SHIPPING, address="第二个仓库")
    office_only = CustomerFactory(owner=seller, address=OFFICE)
    nothing = CustomerFactory(owner=seller, address="")

    addresses = customer_delivery_addresses(customers=[shipping, office_only, nothing])

    assert addresses == {shipping.pk: "天津市港口路1号", office_only.pk: OFFICE}


def test_order_create_takes_the_shipping_address_when_none_given(seller, shipping_customer):
    order = services.order_create(
        actor=seller, data=order_input(shipping_customer, ProductFactory())
    )

    assert order.delivery_address == "天津市滨海新区仓库路8号"


def test_order_create_keeps_the_address_given(seller, shipping_customer):
    data = order_input(shipping_customer, ProductFactory(), delivery_address="上海市浦东新区1号")

    order = services.order_create(actor=seller, data=data)

    assert order.delivery_address == "上海市浦东新区1号"


def test_order_update_does_not_refill_an_address_cleared_on_purpose(seller, shipping_customer):
    product = ProductFactory()
    order = services.order_create(actor=seller, data=order_input(shipping_customer, product))

    order = services.order_update(
        actor=seller, order=order, data=order_input(shipping_customer, product)
    )

    assert order.delivery_address == ""


def test_order_from_quote_takes_the_customers_address(seller):
    customer = CustomerFactory(owner=seller, address=OFFICE)
    quote = Quote.objects.create(
        number="BJ-202611-0001",
        customer=customer,
        quoted_on=date(2026, 11, 1),
        valid_until=date(2026, 11, 30),
        owner=seller,
        status=QuoteStatus.SENT,
        net_amount=D("100.00"),
        tax_amount=D("13.00"),
        gross_amount=D("113.00"),
    )
    QuoteLine.objects.create(
        quote=quote,
        position=1,
        product=ProductFactory(),
        product_name="商品",
        unit="台",
        quantity=D("1"),
        unit_price=D("113"),
        vat_rate_key="13",
        vat_rate=D("0.13"),
        net_amount=D("100.00"),
        tax_amount=D("13.00"),
        gross_amount=D("113.00"),
    )

    order = services.order_create_from_quote(actor=seller, quote=quote)

    assert order.delivery_address == OFFICE


def test_order_bulk_create_takes_each_customers_address(seller, shipping_customer):
    product = ProductFactory()
    plain = CustomerFactory(owner=seller, address=OFFICE)

    orders = order_bulk_create(
        actor=seller,
        orders=[
            order_input(shipping_customer, product),
            order_input(plain, product),
            order_input(plain, product, delivery_address="自提"),
        ],
    )

    assert [SalesOrder.objects.get(pk=o.pk).delivery_address for o in orders] == [
        "天津市滨海新区仓库路8号",
        OFFICE,
        "自提",
    ]


def test_order_create_page_fills_the_address_of_the_customer_given(
    client: Client, seller, shipping_customer
):
    client.force_login(seller)

    page = client.get(reverse("sales:order_create"), {"customer": shipping_customer.pk})

    assert page.context["form"].initial["delivery_address"] == "天津市滨海新区仓库路8号"
    assert "天津市滨海新区仓库路8号" in page.content.decode()


def test_order_create_page_names_no_address_of_a_customer_not_visible(client: Client, seller):
    other = CustomerFactory(address="别人的地址")
    client.force_login(seller)

    page = client.get(reverse("sales:order_create"), {"customer": other.pk})

    assert "别人的地址" not in page.content.decode()


def test_order_api_takes_the_customers_address_when_none_given(
    api_client, seller, shipping_customer
):
    response = api_client(seller).post(
        "/api/v1/orders",
        data=json.dumps(
            {
                "customer_id": shipping_customer.pk,
                "ordered_on": "2026-11-20",
                "lines": [{"product_id": ProductFactory().pk, "quantity": "1"}],
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["delivery_address"] == "天津市滨海新区仓库路8号"
