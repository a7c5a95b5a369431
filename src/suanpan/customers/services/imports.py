"""Import customers (with contacts) from xlsx or csv: a dry run that lists every bad row, then an
all-or-nothing commit.

File layout (the export writes the same, so an exported file imports again):

* Row 1 is the header. Chinese headers (客户名称, 统一社会信用代码 …) or their English names
  (name, credit_code …) are accepted, in any order; only 客户名称 / name is required. Unknown
  columns are ignored and listed in the report; 客户编号 (number) is read past, because
  numbers are assigned on import, except in update mode.
* One row per customer, with optional contact columns (联系人, 职务, 电话, 邮箱).
* A customer with several contacts takes one more row per contact: the name is repeated (or left
  empty, as in merged cells) and only contact columns are filled. The first contact becomes
  the primary one.
* Choices take the Chinese word or the English value (类型: 企业 / enterprise, 个人, 政府;
  状态: 潜在客户 / prospect, 活跃 / active, 暂停 / on_hold, 停用 / closed; 等级: A–D; 来源 …).
* 负责人 is a username; empty means the default owner (the importing user unless chosen).

Rows are checked with the services' rules (credit code checksum, phone numbers, model
full_clean, choices, ranges, owner rules) and every error is collected with its row and column.
Duplicates by credit code or name are errors, against existing customers and within the file;
names are compared after NFKC, trimming, collapsing spaces and case folding
(customers.calculations.name_key). In update mode (import_updates) a row whose 客户编号 or credit
code names an existing customer updates it instead; the export imported so reports "unchanged".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from suanpan.core.errors import PermissionDeniedError
from suanpan.core.spreadsheet_imports import (
    CREATE,
    ImportInvalid,
)
from suanpan.core.spreadsheet_imports import ImportReport as BaseImportReport
from suanpan.core.spreadsheets import Sheet, sheet_read
from suanpan.customers.models import Customer
from suanpan.customers.services import customers as services
from suanpan.customers.services.import_columns import (
    COLUMNS,
    COLUMNS_BY_KEY,
)
from suanpan.customers.services.import_duplicates import duplicates_in_db, duplicates_in_file
from suanpan.customers.services.import_rows import (
    ImportCandidate,
    RowChecker,
)
from suanpan.customers.services.import_updates import (
    UPDATE_PERMISSION,
    customers_update_save,
)
from suanpan.users.models import User

IMPORT_PERMISSION = "customers.import_customer"


class CustomerImportInvalid(ImportInvalid):
    code = "customer_import_invalid"


@dataclass
class ImportReport(BaseImportReport):
    candidates: list[ImportCandidate] = field(default_factory=list)

    update: bool = False

    @property
    def customer_count(self) -> int:
        return len(self.candidates)

    @property
    def contact_count(self) -> int:
        return sum(len(c.contacts) for c in self.candidates)


def import_permission_require(actor: User, *, update: bool = False) -> None:
    # The commit creates through customer_bulk_create, which also needs add_customer; the
    # update mode changes customers too.
    if not (actor.has_perm(IMPORT_PERMISSION) and actor.has_perm("customers.add_customer")):
        raise PermissionDeniedError()
    if update and not actor.has_perm(UPDATE_PERMISSION):
        raise PermissionDeniedError()


def customers_import_read(
    *,
    actor: User,
    data: bytes | IO[bytes],
    filename: str,
    encoding: str | None = None,
    default_owner: User | None = None,
    update: bool = False,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Read a file and check every row: the dry run. Writes nothing.

    A file that cannot be read at all raises SpreadsheetInvalid; row errors go in the report.
    """
    import_permission_require(actor, update=update)
    sheet = sheet_read(data, filename=filename, encoding=encoding)
    return customers_import_validate(
        actor=actor,
        sheet=sheet,
        filename=filename,
        default_owner=default_owner,
        update=update,
        progress=progress,
    )


def customers_import_validate(
    *,
    actor: User,
    sheet: Sheet,
    filename: str,
    default_owner: User | None = None,
    update: bool = False,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Check every row of a sheet already read; collect all errors with row and column."""
    import_permission_require(actor, update=update)
    validator = RowChecker(
        actor=actor, sheet=sheet, default_owner=default_owner or actor, update=update
    )
    candidates = validator.run(progress)
    errors = validator.errors
    errors.extend(duplicates_in_file(candidates, validator))
    matched = [c.existing.pk for c in candidates if c.existing is not None]
    # Only new customers and renamed or re-coded ones can clash with others: an update that
    # keeps a name two customers share already is not the file's doing.
    checked = [
        c
        for c in candidates
        if c.action == CREATE or {"name", "credit_code"} & set(c.changed_fields)
    ]
    errors.extend(duplicates_in_db(actor, checked, header=validator.header, exclude_pks=matched))
    return ImportReport(
        filename=filename,
        format=sheet.format,
        row_count=len(sheet.rows),
        candidates=candidates,
        errors=sorted(errors, key=lambda e: (e.row, _column_order(e.column, validator))),
        ignored_columns=validator.ignored,
        update=update,
    )


def _column_order(header: str, validator: RowChecker) -> int:
    for index, column in enumerate(COLUMNS):
        if validator.header(column.key) == header:
            return index
    return -1


def customers_import_commit(*, actor: User, report: ImportReport) -> list[Customer]:
    """Create every customer of a clean report in one transaction, or none.

    Duplicates are checked again inside the transaction, after the customer number sequence is
    locked (customer_bulk_create locks it first), so a customer created meanwhile by someone
    else is seen and the whole import rolls back.
    """
    import_permission_require(actor, update=report.update)
    if report.errors:
        raise CustomerImportInvalid(errors=report.errors)
    creates = [c for c in report.candidates if c.action == CREATE]
    matched = [c.existing.pk for c in report.candidates if c.existing is not None]
    if not creates and not report.update_count:
        return []
    change_reason = f"import {report.filename}"[:100]
    try:
        with transaction.atomic():
            customers_update_save(
                actor=actor, candidates=report.candidates, change_reason=change_reason
            )
            customers = services.customer_bulk_create(
                actor=actor,
                rows=[(c.customer, c.contacts) for c in creates],
                tags=[c.tags for c in creates],
                change_reason=change_reason,
            )
            duplicates = duplicates_in_db(
                actor,
                creates,
                header=lambda key: COLUMNS_BY_KEY[key].header,
                exclude_pks=[*(c.pk for c in customers), *matched],
            )
            if duplicates:
                raise CustomerImportInvalid(errors=duplicates)
    except IntegrityError as exc:
        # The credit code constraint caught a customer created meanwhile; say which rows.
        for candidate in creates:
            candidate.customer.pk = None  # the rows were rolled back
        duplicates = duplicates_in_db(
            actor, creates, header=lambda key: COLUMNS_BY_KEY[key].header, exclude_pks=matched
        )
        raise CustomerImportInvalid(
            gettext_lazy(
                "Another user created one of these customers meanwhile; nothing was imported."
            ),
            errors=duplicates,
        ) from exc
    except CustomerImportInvalid:
        for candidate in creates:
            candidate.customer.pk = None
        raise
    return customers
