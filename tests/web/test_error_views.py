"""Error answers: translated pages that keep the layout, and the API's error body under /api/."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation

from suanpan.users.choices import Role
from suanpan.users.models import User

pytestmark = pytest.mark.django_db

API_ERROR_KEYS = {"code", "message", "fields"}


@pytest.fixture
def chinese(settings) -> None:
    settings.LANGUAGE_CODE = "zh-hans"


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    assert text != msgid, f"no zh-Hans translation for {msgid!r}"
    return text


def test_unknown_page_answers_404_in_chinese_with_the_layout(client: Client, chinese) -> None:
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert _zh("Page not found") in html
    assert 'href="#main"' in html and "favicon.svg" in html


def test_forbidden_page_answers_403_in_chinese_when_the_role_lacks_it(
    client: Client, make_user: Callable[..., User], chinese
) -> None:
    client.force_login(make_user(Role.SALES))

    response = client.get("/ledger/periods/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 403
    html = response.content.decode()
    assert _zh("No permission") in html
    assert "Forbidden" not in html
    assert 'id="sp-sidebar"' in html  # the signed-in layout, with the user's menu


def test_server_error_page_in_chinese_without_the_database(
    chinese, settings, django_assert_num_queries
) -> None:
    settings.ROOT_URLCONF = "tests.web.error_urls"
    client = Client(raise_request_exception=False)

    with django_assert_num_queries(0):
        response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 500
    html = response.content.decode()
    assert _zh("Server error") in html
    assert '<html lang="zh-hans">' in html


def test_unknown_api_address_answers_404_in_the_api_error_shape(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == API_ERROR_KEYS
    assert body["code"] == "not_found" and body["fields"] == {}


def test_api_failures_outside_the_endpoints_answer_json(settings) -> None:
    settings.ROOT_URLCONF = "tests.web.error_urls"
    client = Client(raise_request_exception=False)

    failed = client.get("/api/boom/")
    refused = client.get("/api/forbidden/")

    assert failed.status_code == 500 and failed.json()["code"] == "server_error"
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert set(failed.json()) == set(refused.json()) == API_ERROR_KEYS


def test_api_errors_speak_the_users_language(client: Client, chinese) -> None:
    response = client.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.json()["message"] == _zh("Not found.")


def test_favicon_ico_points_at_the_svg_mark(client: Client) -> None:
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("web/favicon.svg")
