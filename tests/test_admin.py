import pytest

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/admin/users/user/", "/admin/users/apitoken/", "/admin/customers/customer/"]
)
def test_admin_lists_render_when_administrator(client, admin_user, url):
    CustomerFactory()
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_admin_customer_is_read_only_when_administrator(client, admin_user):
    customer = CustomerFactory()
    client.force_login(admin_user)
    response = client.get(f"/admin/customers/customer/{customer.pk}/change/")
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert client.get("/admin/customers/customer/add/").status_code == 403


def test_admin_refused_when_salesperson(client, sales_user):
    client.force_login(sales_user)
    response = client.get("/admin/users/user/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
