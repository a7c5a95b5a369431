import pytest

pytestmark = pytest.mark.django_db


def test_language_set_keeps_choice_on_profile_when_signed_in(client, sales_user):
    client.force_login(sales_user)
    response = client.post("/language/", {"language": "en", "next": "/customers/"})
    assert response.status_code == 302
    assert response["Location"] == "/customers/"
    sales_user.refresh_from_db()
    assert sales_user.language == "en"
    page = client.get("/customers/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert page["Content-Language"] == "en"


def test_language_set_ignores_unknown_language_when_posted(client, sales_user):
    client.force_login(sales_user)
    client.post("/language/", {"language": "xx", "next": "/"})
    sales_user.refresh_from_db()
    assert sales_user.language == ""


def test_language_set_refuses_get_when_called(client, sales_user):
    client.force_login(sales_user)
    assert client.get("/language/").status_code == 405
