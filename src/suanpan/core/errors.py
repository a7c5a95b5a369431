"""One error type with stable codes, rendered alike in pages and in the API.

A `DomainError` carries a machine code (API contract, never translated), a translatable message
and optional per-field messages. Pages show the message next to the field; the API answers
`{"code", "message", "fields"}`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code: ClassVar[str] = "error"
    default_message: ClassVar[str | Promise] = _("The request could not be completed.")
    http_status: ClassVar[int] = 400

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        fields: Mapping[str, Sequence[str | Promise]] | None = None,
        **params: Any,
    ) -> None:
        self.params = params
        template = message if message is not None else self.default_message
        self.message = str(template) % params if params else str(template)
        self.fields = {name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()}
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class ValidationFailed(DomainError):
    code = "validation_failed"
    default_message = _("Please correct the errors below.")
    http_status = 422


class DateOutOfRange(ValidationFailed):
    """A business date before the books start or too far ahead (core.date_checks)."""

    code = "date_out_of_range"
    default_message = _("A date lies outside the range the books accept.")


class NotFound(DomainError):
    code = "not_found"
    default_message = _("Not found.")
    http_status = 404


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    default_message = _("You do not have permission to do this.")
    http_status = 403


class ConflictError(DomainError):
    code = "conflict"
    default_message = _("The record was changed by someone else; reload and try again.")
    http_status = 409


def validation_failed_from_django(exc: Any) -> ValidationFailed:
    """Turn a django ValidationError (model full_clean) into our error with field messages."""
    fields: dict[str, list[str]] = {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            fields["__all__" if name == "__all__" else name] = list(errors)
    else:
        fields["__all__"] = list(exc.messages)
    return ValidationFailed(fields=fields)
