"""Delivery and return pages: what they render, save and refuse, and who may see them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from suanpan.inventory.choices import DeliveryStatus
from suanpan.inventory.models import Delivery, DeliveryReturn
from suanpan.inventory.services.deliveries import delivery_create, delivery_ship
from suanpan.users.choices import Role
from tests.factories import ProductFactory, UserFactory, WarehouseFactory, order_build
from tests.inventory.deliveries_support import SHIP_ON, customer_with_dimension, stock_in

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def setup(seller, clerk, delivery_books):
    """A seller's customer with a confirmed order for 5 units; 10 in stock."""
    warehouse, product = WarehouseFactory(), ProductFactory(name="华为 MateBook 14")
    stock_in(product, warehouse, "10", "500.00", actor=clerk)
    customer = customer_with_dimension(owner=seller)
    order = order_build(customer=customer, lines=[(product, "5", "113.00")])
    return {"warehouse": warehouse, "product": product, "customer": customer, "order": order}


def _draft(setup, clerk) -> Delivery:
    return delivery_create(order=setup["order"], warehouse=setup["warehouse"], actor=clerk)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_delivery_create_page_fills_lines_with_what_remains(client: Client, seller, setup):
    client.force_login(seller)

    response = client.get(reverse("inventory:delivery_create") + f"?order={setup['order'].pk}")

    assert response.status_code == 200
    line = setup["order"].lines.get()
    assert response.context["form"][f"line_{line.pk}"].value() == D("5")
    assert "华为 MateBook 14" in response.text
    assert response.text.count(f'name="line_{line.pk}"') == 1
    assert 'name="warehouse"' in response.text


def test_delivery_create_page_saves_a_draft_and_shows_it(client: Client, seller, setup):
    client.force_login(seller)
    line = setup["order"].lines.get()

    response = client.post(
        reverse("inventory:delivery_create"),
        {
            "order": setup["order"].pk,
            "warehouse": setup["warehouse"].pk,
            "courier": "顺丰速运",
            "tracking_number": "SF1234567890",
            "delivery_address": "上海市浦东新区",
            "notes": "",
            f"line_{line.pk}": "2",
        },
    )

    delivery = Delivery.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("inventory:delivery_detail", args=[delivery.pk])
    assert delivery.lines.get().quantity == D("2")
    assert delivery.courier == "顺丰速运"
    page = client.get(response.url)
    assert delivery.number in page.text
    assert "SF1234567890" in page.text


def test_delivery_create_page_shows_a_quantity_above_what_remains(client: Client, seller, setup):
    client.force_login(seller)
    line = setup["order"].lines.get()

    response = client.post(
        reverse("inventory:delivery_create"),
        {"order": setup["order"].pk, "warehouse": setup["warehouse"].pk, f"line_{line.pk}": "6"},
    )

    assert response.status_code == 200
    assert not Delivery.objects.exists()
    assert "Only 5" in response.text


def test_delivery_pages_answer_404_for_another_salespersons_customer(client: Client, setup, clerk):
    delivery = _draft(setup, clerk)
    client.force_login(UserFactory(role=Role.SALES))

    assert client.get(reverse("inventory:delivery_detail", args=[delivery.pk])).status_code == 404
    create = reverse("inventory:delivery_create") + f"?order={setup['order'].pk}"
    assert client.get(create).status_code == 404
    ship = reverse("inventory:delivery_ship", args=[delivery.pk])
    assert client.post(ship, {"shipped_on": "2026-11-10"}).status_code == 404
    assert client.get(reverse("inventory:delivery_list")).context["page_obj"].paginator.count == 0


def test_customer_service_reads_deliveries_but_cannot_ship_them(client: Client, setup, clerk):
    delivery = _draft(setup, clerk)
    client.force_login(UserFactory(role=Role.CUSTOMER_SERVICE))

    assert client.get(reverse("inventory:delivery_detail", args=[delivery.pk])).status_code == 200
    ship = reverse("inventory:delivery_ship", args=[delivery.pk])
    assert client.post(ship, {"shipped_on": "2026-11-10"}).status_code == 403
    assert client.get(reverse("inventory:delivery_create")).status_code == 403


def test_delivery_ship_sign_and_print_from_the_detail_page(client: Client, seller, setup, clerk):
    delivery = _draft(setup, clerk)
    client.force_login(seller)

    shipped = client.post(
        reverse("inventory:delivery_ship", args=[delivery.pk]), {"shipped_on": "2026-11-10"}
    )
    signed = client.post(
        reverse("inventory:delivery_sign", args=[delivery.pk]), {"signed_on": "2026-11-12"}
    )

    assert shipped.status_code == signed.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SIGNED
    assert delivery.signed_on == date(2026, 11, 12)
    page = client.get(reverse("inventory:delivery_detail", args=[delivery.pk]))
    assert "250.00" in page.text  # 5 units at 50.00 cost
    assert len(page.context["vouchers"]) == 2
    note = client.get(reverse("inventory:delivery_print", args=[delivery.pk]))
    assert note.status_code == 200
    assert "华为 MateBook 14" in note.text


def test_delivery_sign_page_reports_a_date_before_shipping(client: Client, seller, setup, clerk):
    delivery = _draft(setup, clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    client.force_login(seller)

    response = client.post(
        reverse("inventory:delivery_sign", args=[delivery.pk]), {"signed_on": "2026-11-01"}
    )

    assert response.status_code == 302
    assert any("before they shipped" in m for m in _messages(response))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SHIPPED


def test_delivery_cancel_page_calls_back_a_shipped_delivery(client: Client, seller, setup, clerk):
    delivery = _draft(setup, clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    client.force_login(seller)

    client.post(reverse("inventory:delivery_cancel", args=[delivery.pk]))

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELLED


def test_delivery_edit_page_changes_tracking_once_shipped(client: Client, seller, setup, clerk):
    delivery = _draft(setup, clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    client.force_login(seller)
    url = reverse("inventory:delivery_edit", args=[delivery.pk])

    assert "warehouse" not in client.get(url).context["form"].fields
    response = client.post(url, {"courier": "中通快递", "tracking_number": "ZT778899"})

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.courier, delivery.tracking_number) == ("中通快递", "ZT778899")
    page = client.get(reverse("inventory:delivery_detail", args=[delivery.pk]))
    latest = page.context["history"][0]
    assert latest["user"] == seller
    assert {"field": "tracking number", "old": "—", "new": "ZT778899"} in latest["changes"]


def test_delivery_list_filters_and_keeps_its_query_count(
    client: Client, seller, setup, clerk, django_assert_max_num_queries
):
    for _ in range(3):
        delivery = delivery_create(
            order=order_build(customer=setup["customer"], lines=[(setup["product"], "1", "10")]),
            warehouse=setup["warehouse"],
            actor=clerk,
        )
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    client.force_login(seller)
    url = reverse("inventory:delivery_list")

    with django_assert_max_num_queries(12):
        response = client.get(url)

    assert response.context["page_obj"].paginator.count == 3
    shipped = client.get(url, {"status": "shipped"})
    assert [d.pk for d in shipped.context["page_obj"]] == [delivery.pk]
    by_number = client.get(url, {"q": delivery.number})
    assert by_number.context["page_obj"].paginator.count == 1
    fragment = client.get(url, {"q": "no such thing"}, headers={"HX-Request": "true"})
    assert "No delivery matches these filters." in fragment.text
    assert "<html" not in fragment.text


def test_delivery_list_shows_the_empty_state(client: Client, seller):
    client.force_login(seller)

    response = client.get(reverse("inventory:delivery_list"))

    assert "No deliveries yet." in response.text


def test_return_pages_record_a_return_and_list_it(client: Client, setup, clerk):
    delivery = _draft(setup, clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    line = delivery.lines.get()
    client.force_login(clerk)

    form = client.get(reverse("inventory:return_create") + f"?delivery={delivery.pk}")
    response = client.post(
        reverse("inventory:return_create"),
        {
            "delivery": delivery.pk,
            "warehouse": setup["warehouse"].pk,
            "returned_on": "2026-11-15",
            "reason": "屏幕划痕",
            f"line_{line.pk}": "2",
        },
    )

    assert form.status_code == 200
    returned = DeliveryReturn.objects.get()
    assert response.url == reverse("inventory:return_detail", args=[returned.pk])
    detail = client.get(response.url)
    assert "屏幕划痕" in detail.text
    assert "100.00" in detail.text  # 2 units at 50.00
    [voucher] = detail.context["vouchers"]
    assert reverse("ledger:voucher_detail", args=[voucher.pk]) in detail.text
    listing = client.get(reverse("inventory:return_list"))
    assert returned.number in listing.text


def test_return_create_page_shows_a_quantity_beyond_what_was_delivered(
    client: Client, setup, clerk
):
    delivery = _draft(setup, clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    line = delivery.lines.get()
    client.force_login(clerk)

    response = client.post(
        reverse("inventory:return_create"),
        {
            "delivery": delivery.pk,
            "warehouse": setup["warehouse"].pk,
            "returned_on": "2026-11-15",
            "reason": "x",
            f"line_{line.pk}": "9",
        },
    )

    assert response.status_code == 200
    assert "Only 5 are left to return." in response.text
    assert not DeliveryReturn.objects.exists()


def test_return_pages_are_refused_to_sales(client: Client, seller, setup, clerk):
    delivery = _draft(setup, clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    client.force_login(seller)

    response = client.get(reverse("inventory:return_create") + f"?delivery={delivery.pk}")

    assert response.status_code == 403


def test_customer_page_shows_the_deliveries_tab(client: Client, seller, setup, clerk):
    delivery = _draft(setup, clerk)
    client.force_login(seller)

    response = client.get(
        reverse("customers:detail", args=[setup["customer"].pk]) + "?tab=deliveries"
    )

    assert response.status_code == 200
    assert delivery.number in response.text


def test_delivery_page_history_names_the_status_change_by_its_label(
    client: Client, seller, setup, clerk
):
    delivery = _draft(setup, clerk)
    delivery_ship(delivery=delivery, shipped_on=SHIP_ON, actor=clerk)
    client.force_login(seller)

    response = client.get(reverse("inventory:delivery_detail", args=[delivery.pk]))

    (shipped, created) = response.context["history"][:2]
    statuses = [c for c in shipped["changes"] if c["field"] == "status"]
    assert [(c["old"], c["new"]) for c in statuses] == [
        (str(DeliveryStatus.DRAFT.label), str(DeliveryStatus.SHIPPED.label))
    ]
    assert created["type"] == "+"
