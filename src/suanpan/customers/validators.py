"""Identifiers a customer record carries, checked with python-stdnum and phonenumbers."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def credit_code_normalize(value: str) -> str:
    """Strip spaces and upper-case the check character; a hyphen is refused, not stripped."""
    value = (value or "").strip()
    if "-" in value:
        raise ValidationError(
            _("A unified social credit code has no hyphens."), code="credit_code_hyphen"
        )
    value = "".join(value.split()).upper()
    if not value:
        return ""
    try:
        return uscc.validate(value)
    except InvalidLength as exc:
        reason = _("it must have 18 characters")
        cause: Exception = exc
    except InvalidChecksum as exc:
        reason = _("its check character does not match")
        cause = exc
    except StdnumError as exc:
        reason = _("it contains characters a credit code cannot have")
        cause = exc
    raise ValidationError(
        _("“%(value)s” is not a valid unified social credit code: %(reason)s."),
        code="credit_code_invalid",
        params={"value": value, "reason": reason},
    ) from cause


def validate_credit_code(value: str) -> None:
    if value:
        credit_code_normalize(value)


def phone_normalize(value: str) -> str:
    """A phone number as people write it: national format in China, international elsewhere."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), code="phone_invalid", params={"value": value}
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."),
            code="phone_invalid",
            params={"value": value},
        )
    if number.country_code == 86:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_phone(value: str) -> None:
    if value:
        phone_normalize(value)
