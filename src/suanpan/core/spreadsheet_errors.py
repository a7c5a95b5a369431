"""Why a file could not be read as a spreadsheet (shared by reading and decoding)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from suanpan.core.errors import DomainError


class SpreadsheetInvalid(DomainError):
    code = "spreadsheet_invalid"
    default_message = _("The file could not be read as a spreadsheet.")
    http_status = 422


class SpreadsheetTooLarge(SpreadsheetInvalid):
    code = "spreadsheet_too_large"
    default_message = _("The file is too large.")
    http_status = 413
