"""Logging in and out, changing the password, the profile page, API tokens and each user's
language. Language is asserted on the Content-Language header and request.LANGUAGE_CODE, which do
not depend on compiled translations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from suanpan.users.choices import Role
from suanpan.users.models import ApiToken, User
from suanpan.users.services import api_token_create

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"  # tests.factories.UserFactory
NEW_PASSWORD = "算盘-Abacus-2026!"


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    return make_user(Role.SALES, username="alice")


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _is_signed_in(client: Client) -> bool:
    return client.get(reverse("customers:list")).status_code == 200


def _api_status(key: str) -> int:
    return Client(headers={"authorization": f"Bearer {key}"}).get("/api/v1/customers").status_code


# Log in and out ---------------------------------------------------------------------------------


def test_login_page_answers_200_when_anonymous() -> None:
    response = Client().get(reverse("login"))

    assert response.status_code == 200
    assert "username" in response.context["form"].fields


def test_login_signs_in_and_goes_home_when_password_right(alice: User) -> None:
    client = Client()

    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert _is_signed_in(client)


def test_login_follows_next_when_it_is_a_local_page(alice: User) -> None:
    response = Client().post(
        reverse("login"), {"username": "alice", "password": PASSWORD, "next": "/customers/?q=x"}
    )

    assert response["Location"] == "/customers/?q=x"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "http:evil.example"]
)
def test_login_ignores_next_when_it_leaves_the_site(alice: User, target: str) -> None:
    response = Client().post(
        reverse("login"), {"username": "alice", "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


@pytest.mark.parametrize(
    ("username", "password"), [("alice", "wrong"), ("nobody", PASSWORD), ("", "")]
)
def test_login_shows_form_error_when_credentials_wrong(
    alice: User, username: str, password: str
) -> None:
    client = Client()

    response = client.post(reverse("login"), {"username": username, "password": password})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not _is_signed_in(client)


def test_login_refused_when_user_deactivated(alice: User) -> None:
    User.objects.filter(pk=alice.pk).update(is_active=False)
    client = Client()

    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    assert not _is_signed_in(client)


def test_login_page_redirects_home_when_already_signed_in(alice: User) -> None:
    response = _signed_in(alice).get(reverse("login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_logout_signs_out_and_shows_login_when_posted(alice: User) -> None:
    client = _signed_in(alice)

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert not _is_signed_in(client)


@pytest.mark.parametrize("url", ["/", "/customers/", "/profile/", "/password/", "/customers/new/"])
def test_page_redirects_to_login_when_anonymous(url: str) -> None:
    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


# Password change --------------------------------------------------------------------------------


def _change_password(client: Client, old: str, new: str) -> Any:
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_password_change_keeps_this_session_and_ends_others_when_valid(alice: User) -> None:
    client = Client()
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    other_device = Client()
    other_device.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    response = _change_password(client, PASSWORD, NEW_PASSWORD)

    assert response["Location"] == reverse("password_change_done")
    assert _is_signed_in(client)
    assert not _is_signed_in(other_device)
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert not alice.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("wrong", NEW_PASSWORD, "old_password"),
        (PASSWORD, "12345678", "new_password2"),  # numeric and common
        (PASSWORD, "alice", "new_password2"),  # short and like the user name
    ],
)
def test_password_change_keeps_old_password_when_form_invalid(
    alice: User, old: str, new: str, field: str
) -> None:
    client = _signed_in(alice)

    response = _change_password(client, old, new)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


# Profile ----------------------------------------------------------------------------------------


def test_profile_saves_name_email_and_language_when_valid(alice: User) -> None:
    client = _signed_in(alice)

    response = client.post(
        reverse("users_profile"),
        {"display_name": "王小丽", "email": "xiaoli@example.com", "language": "zh-hans"},
    )

    assert response["Location"] == reverse("users_profile")
    alice.refresh_from_db()
    assert (alice.display_name, alice.email, alice.language) == (
        "王小丽",
        "xiaoli@example.com",
        "zh-hans",
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"language": "xx"}, "language"),
        ({"display_name": "名" * 101}, "display_name"),
    ],
)
def test_profile_keeps_values_when_form_invalid(
    alice: User, data: dict[str, str], field: str
) -> None:
    client = _signed_in(alice)

    response = client.post(reverse("users_profile"), {"display_name": "新名字", **data})

    assert response.status_code == 200
    assert field in response.context["profile_form"].errors
    alice.refresh_from_db()
    assert alice.display_name != "新名字"


def test_profile_shows_new_token_key_once_when_token_created(alice: User) -> None:
    client = _signed_in(alice)

    response = client.post(reverse("users_profile"), {"create_token": "", "name": "记账脚本"})

    key = response.context["new_key"]
    token = ApiToken.objects.get(user=alice)
    assert response.status_code == 200
    assert key in response.content.decode()
    assert token.name == "记账脚本"
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in token.key_hash
    assert _api_status(key) == 200
    assert key not in client.get(reverse("users_profile")).content.decode()


def test_profile_creates_no_token_when_name_missing(alice: User) -> None:
    response = _signed_in(alice).post(reverse("users_profile"), {"create_token": "", "name": ""})

    assert response.status_code == 200
    assert "name" in response.context["token_form"].errors
    assert not ApiToken.objects.exists()


def test_profile_lists_only_own_active_tokens_when_opened(
    alice: User, make_user: Callable[..., User]
) -> None:
    mine, _key = api_token_create(user=alice, name="mine")
    revoked, _key = api_token_create(user=alice, name="old")
    revoked.revoked_at = revoked.created_at
    revoked.save()
    api_token_create(user=make_user(Role.SALES), name="theirs")

    response = _signed_in(alice).get(reverse("users_profile"))

    assert list(response.context["tokens"]) == [mine]


def test_token_revoke_stops_key_when_owner_revokes(alice: User) -> None:
    token, key = api_token_create(user=alice, name="laptop")
    assert _api_status(key) == 200

    response = _signed_in(alice).post(reverse("users_token_revoke", args=[token.pk]))

    assert response["Location"] == reverse("users_profile")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _api_status(key) == 401


def test_token_revoke_answers_404_when_token_belongs_to_another_user(
    alice: User, make_user: Callable[..., User]
) -> None:
    token, key = api_token_create(user=make_user(Role.SALES), name="theirs")

    response = _signed_in(alice).post(reverse("users_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert _api_status(key) == 200


def test_token_revoke_refused_when_requested_with_get(alice: User) -> None:
    token, key = api_token_create(user=alice, name="laptop")

    response = _signed_in(alice).get(reverse("users_token_revoke", args=[token.pk]))

    assert response.status_code == 405
    assert _api_status(key) == 200


# Language ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "browser", "expected"),
    [
        ("en", "zh-CN,zh;q=0.9", "en"),
        ("zh-hans", "en-US,en;q=0.9", "zh-hans"),
        ("", "zh-CN,zh;q=0.9", "zh-hans"),
        ("", "en-US,en;q=0.9", "en"),
    ],
)
def test_page_language_follows_profile_before_browser_when_user_signed_in(
    make_user: Callable[..., User], language: str, browser: str, expected: str
) -> None:
    client = _signed_in(make_user(Role.SALES, language=language))

    response = client.get(reverse("customers:list"), headers={"accept-language": browser})

    assert response.status_code == 200
    language_code = response.wsgi_request.LANGUAGE_CODE
    assert response["Content-Language"] == expected
    assert language_code == expected


def test_page_language_changes_when_profile_language_saved(alice: User) -> None:
    client = _signed_in(alice)
    before = client.get(reverse("customers:list"), headers={"accept-language": "en"})

    client.post(reverse("users_profile"), {"language": "zh-hans"})
    after = client.get(reverse("customers:list"), headers={"accept-language": "en"})

    assert before["Content-Language"] == "en"
    assert after["Content-Language"] == "zh-hans"


def test_api_error_language_follows_profile_when_token_user_chose_one(
    make_user: Callable[..., User],
) -> None:
    user = make_user(Role.SALES, language="zh-hans")
    _token, key = api_token_create(user=user, name="cli")

    response = Client(headers={"authorization": f"Bearer {key}"}).get(
        "/api/v1/customers/999999", headers={"accept-language": "en"}
    )

    assert response.status_code == 404
    assert response["Content-Language"] == "zh-hans"
    assert response.wsgi_request.LANGUAGE_CODE == "zh-hans"
