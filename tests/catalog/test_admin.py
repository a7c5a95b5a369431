"""The admin shows the catalog read-only: changes go through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from suanpan.users.models import User
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/admin/catalog/product/", "/admin/catalog/taxcategory/"])
def test_admin_catalog_lists_render_for_administrators(
    client: Client, admin_user: User, url: str
) -> None:
    ProductFactory()
    client.force_login(admin_user)

    assert client.get(url).status_code == 200


def test_admin_product_is_read_only(client: Client, admin_user: User) -> None:
    product = ProductFactory()
    client.force_login(admin_user)

    response = client.get(f"/admin/catalog/product/{product.pk}/change/")

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert client.get("/admin/catalog/product/add/").status_code == 403
