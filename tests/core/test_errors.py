"""Domain errors: stable codes, interpolated messages, the {"code","message","fields"} shape."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from suanpan.core.errors import (
    ConflictError,
    DomainError,
    NotFound,
    PermissionDeniedError,
    ValidationFailed,
    validation_failed_from_django,
)
from suanpan.customers.models import Customer


class InvoiceAlreadyIssued(DomainError):
    code = "invoice_already_issued"
    default_message = _("Invoice %(number)s is already issued.")
    http_status = 409


def test_domain_error_as_dict_has_code_message_fields_when_raised_bare() -> None:
    error = DomainError()

    assert error.as_dict() == {
        "code": "error",
        "message": "The request could not be completed.",
        "fields": {},
    }
    assert str(error) == "The request could not be completed."
    assert error.http_status == 400


def test_domain_error_interpolates_params_when_default_message_has_placeholders() -> None:
    error = InvoiceAlreadyIssued(number="FP-202611-0001")

    assert error.as_dict() == {
        "code": "invoice_already_issued",
        "message": "Invoice FP-202611-0001 is already issued.",
        "fields": {},
    }
    assert error.params == {"number": "FP-202611-0001"}
    assert error.http_status == 409


def test_domain_error_interpolates_params_when_message_given() -> None:
    error = InvoiceAlreadyIssued(_("Invoice %(number)s was issued on %(day)s."), number=7, day="1")

    assert error.message == "Invoice 7 was issued on 1."
    assert error.code == "invoice_already_issued"


def test_domain_error_keeps_percent_sign_when_no_params() -> None:
    error = DomainError("Rate must be below 100%.")

    assert error.message == "Rate must be below 100%."


def test_domain_error_renders_lazy_field_messages_when_serialised() -> None:
    error = ValidationFailed(fields={"amount": [_("Too large."), "Must be positive."]})

    payload = json.loads(json.dumps(error.as_dict()))

    assert payload == {
        "code": "validation_failed",
        "message": "Please correct the errors below.",
        "fields": {"amount": ["Too large.", "Must be positive."]},
    }


@pytest.mark.parametrize(
    ("error_class", "code", "status"),
    [
        (ValidationFailed, "validation_failed", 422),
        (NotFound, "not_found", 404),
        (PermissionDeniedError, "permission_denied", 403),
        (ConflictError, "conflict", 409),
    ],
)
def test_domain_error_subclasses_carry_stable_codes_when_raised(
    error_class: type[DomainError], code: str, status: int
) -> None:
    with pytest.raises(DomainError) as raised:
        raise error_class

    assert raised.value.as_dict()["code"] == code
    assert raised.value.http_status == status
    assert raised.value.as_dict()["message"]


def test_validation_failed_from_django_maps_fields_when_error_dict() -> None:
    exc = ValidationError(
        {
            "name": ["This field cannot be blank."],
            NON_FIELD_ERRORS: ["Pick a customer or a contact."],
            "credit_limit_amount": [
                ValidationError("%(value)s is too large.", params={"value": "1E+20"})
            ],
        }
    )

    error = validation_failed_from_django(exc)

    assert isinstance(error, ValidationFailed)
    assert error.as_dict() == {
        "code": "validation_failed",
        "message": "Please correct the errors below.",
        "fields": {
            "name": ["This field cannot be blank."],
            "__all__": ["Pick a customer or a contact."],
            "credit_limit_amount": ["1E+20 is too large."],
        },
    }


def test_validation_failed_from_django_puts_messages_under_all_when_error_list() -> None:
    exc = ValidationError(["First problem.", ValidationError("Second %(n)s.", params={"n": 2})])

    error = validation_failed_from_django(exc)

    assert error.fields == {"__all__": ["First problem.", "Second 2."]}


def test_validation_failed_from_django_keeps_field_names_when_model_full_clean_fails(
    db: None,
) -> None:
    customer = Customer(number="KH-E1", name="", credit_limit_amount="1.005")

    with pytest.raises(ValidationError) as raised:
        customer.full_clean()
    error = validation_failed_from_django(raised.value)

    assert {"name", "owner", "credit_limit_amount"} <= set(error.fields)
    assert all(isinstance(m, str) for msgs in error.fields.values() for m in msgs)
    assert json.dumps(error.as_dict(), ensure_ascii=False)
