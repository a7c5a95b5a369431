"""The page and API permission gates refuse with the page's 403 and the API's error shape."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from ninja import NinjaAPI, Router
from ninja.security import django_auth
from ninja.testing import TestClient

from suanpan.core.errors import DomainError
from suanpan.users.choices import Role
from suanpan.users.decorators import api_permission, page_permission
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@page_permission("ledger.post_voucher", "sales.approve_credit")
def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("books")


def _request(user: Any) -> HttpRequest:
    request = RequestFactory().get("/books/")
    request.user = user
    return request


def test_page_permission_shows_the_page_when_user_holds_any_of_the_permissions() -> None:
    response = _page(_request(UserFactory(role=Role.ACCOUNTANT)))

    assert response.content == b"books"


def test_page_permission_refuses_with_403_when_user_holds_none() -> None:
    with pytest.raises(PermissionDenied):
        _page(_request(UserFactory(role=Role.CUSTOMER_SERVICE)))


def test_page_permission_sends_anonymous_users_to_login() -> None:
    response = _page(_request(AnonymousUser()))

    assert response.status_code == 302
    assert "login" in response["Location"]


def _api() -> TestClient:
    router = Router()

    @router.get("/books")
    @api_permission("ledger.post_voucher")
    def books(request: HttpRequest, year: int = 2026) -> dict[str, int]:
        return {"year": year}

    api = NinjaAPI(auth=django_auth, urls_namespace="gate-test")

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, {"code": exc.code}, status=exc.http_status)

    api.add_router("", router)
    return TestClient(api)


def test_api_permission_keeps_the_operations_parameters_when_user_holds_the_permission() -> None:
    response = _api().get("/books?year=2025", user=UserFactory(role=Role.ACCOUNTANT))

    assert response.status_code == 200
    assert response.json() == {"year": 2025}


def test_api_permission_answers_403_permission_denied_when_user_lacks_it() -> None:
    response = _api().get("/books", user=UserFactory(role=Role.SALES))

    assert response.status_code == 403
    assert response.json() == {"code": "permission_denied"}


def test_api_permission_leaves_unauthenticated_calls_to_authentication() -> None:
    response = _api().get("/books", user=AnonymousUser())

    assert response.status_code == 401
