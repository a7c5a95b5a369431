"""One versioned API assembled from each app's api.py; OpenAPI at /api/docs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie

from suanpan.catalog.api import router as catalog_router
from suanpan.core.errors import DomainError
from suanpan.customers.api import router as customers_router
from suanpan.inventory.api import router as inventory_router
from suanpan.invoicing.api import router as invoicing_router
from suanpan.ledger.api import reports_router as ledger_reports_router
from suanpan.ledger.api import router as ledger_router
from suanpan.receivables.api import router as receivables_router
from suanpan.sales.api import router as sales_router
from suanpan.users.middleware import user_language_activate
from suanpan.users.models import User
from suanpan.users.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sp_…` with a token from the profile page."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(key=token)
        if user is not None:
            request.user = user
            # The language middleware ran before the token was read: apply the choice now.
            user_language_activate(request, user)
        return user


class SessionAuth(APIKeyCookie):
    """The browser's session. Its CSRF check applies to a signed-in session only: a request
    with neither a session nor a valid token is unauthenticated (401), not a failed CSRF
    check (403)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return request.user if request.user.is_authenticated else None


class ErrorOut(Schema):
    """Every error the API answers: a stable machine `code`, a message in the user's language
    and the messages per field (dotted paths into the request, `__all__` for the whole)."""

    code: str
    message: str
    fields: dict[str, list[str]]


# The errors an operation may answer, documented on every operation in the error shape.
ERROR_RESPONSES = {
    400: "The request could not be read or the action is not possible in this state.",
    401: "No valid token and no signed-in session.",
    403: "Not permitted (or a session request without its CSRF token).",
    404: "No such record, or one you do not see.",
    409: "Changed by someone else at the same time, or in a state that conflicts.",
    422: "Invalid input; `fields` names what to correct.",
}


class SuanpanAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        schema["components"].setdefault("schemas", {})["Error"] = ErrorOut.model_json_schema()
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                    )
        return schema


api = SuanpanAPI(
    title="Suanpan API",
    version="1",
    description="Suanpan's REST API. Authenticate with `Authorization: Bearer <token>` "
    "(create a token on your profile page) or, from the browser, with your session.",
    urls_namespace="api-1",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
    docs_decorator=login_required,
)
api.add_router("/v1/customers", customers_router)
api.add_router("/v1", catalog_router)
api.add_router("/v1", inventory_router)
api.add_router("/v1/invoicing", invoicing_router)
api.add_router("/v1/receivables", receivables_router)
api.add_router("/v1/ledger", ledger_router)
api.add_router("/v1/ledger/reports", ledger_reports_router)
api.add_router("/v1", sales_router)


def _error(
    request: HttpRequest, status: int, code: str, message: str, fields: dict | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.http_status, exc.code, exc.message, exc.fields)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "permission_denied", _("You do not have permission to do this."))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, "unauthenticated", _("Authentication required."))
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(MultiPartParserError)
def unreadable_upload(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return _error(request, 400, "bad_request", _("The uploaded form data could not be read."))


# Errors ninja raises itself (unparsable body, failed CSRF check of a session request).
HTTP_ERROR_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    429: "throttled",
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(
        request, exc.status_code, HTTP_ERROR_CODES.get(exc.status_code, "error"), str(exc)
    )


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload", "filters")
        ]
        fields.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg", "")))
    return _error(request, 422, "validation_failed", _("Please correct the errors below."), fields)


def api_not_found(request: HttpRequest) -> HttpResponse:
    """An address under /api/ that names no operation."""
    return _error(request, 404, "not_found", _("Not found."))
