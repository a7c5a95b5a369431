"""Import opportunities (商机) from xlsx or csv: a dry run that lists every bad row, then an
all-or-nothing commit, as customers and products import.

* The first non-blank row is the header (Chinese or English names, any order); 商机名称 /
  title is required. Unknown columns are ignored and listed in the report.
* 客户 names an existing customer by number, credit code or name; names are compared as for
  duplicates (full-width and half-width brackets, extra spaces and case alike). A row whose
  customer cannot be found, or is named twice, is an error: customers are imported first.
* 阶段 is the stage's name (the default stages also in English, and won / lost for the first
  stage of that outcome); 负责人 a username or a user's full name.
* 实际成交日期 is kept as given for won and lost deals, so history migrates with its dates.
* 产品 (a product code, else its exact name) and 数量 (default 1) give a product line. Rows
  with the same 外部编号 make one opportunity with one line per row; their other columns are
  taken from the first of them. A re-import replaces the lines of an opportunity whose file
  names products; a file naming none keeps them.
* 外部编号 is the opportunity's id in the old system. A row whose id was imported before
  updates that opportunity (an empty cell keeps the current value): importing the same file
  twice creates nothing twice. Rows without it always create.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from suanpan.core.audit import audited
from suanpan.core.errors import PermissionDeniedError
from suanpan.core.spreadsheet_imports import (
    ImportInvalid,
    RowError,
    chunks,
)
from suanpan.core.spreadsheet_imports import ImportReport as BaseImportReport
from suanpan.core.spreadsheets import Sheet, sheet_read
from suanpan.sales.models import Opportunity, OpportunityLine
from suanpan.sales.services.opportunity_import_columns import (
    COLUMNS,
    COLUMNS_BY_KEY,
)
from suanpan.sales.services.opportunity_import_rows import (
    CREATE,
    UPDATE,
    ImportCandidate,
    RowChecker,
)
from suanpan.users.models import User

PERMISSIONS = ("sales.add_opportunity", "sales.change_opportunity")


class OpportunityImportInvalid(ImportInvalid):
    code = "opportunity_import_invalid"


@dataclass
class ImportReport(BaseImportReport):
    candidates: list[ImportCandidate] = field(default_factory=list)


def import_permission_require(actor: User) -> None:
    # Rows create or update, as the file says; importing takes both.
    if not all(actor.has_perm(perm) for perm in PERMISSIONS):
        raise PermissionDeniedError()


def opportunities_import_read(
    *,
    actor: User,
    data: bytes | IO[bytes],
    filename: str,
    encoding: str | None = None,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Read a file and check every row: the dry run. Writes nothing. `encoding` names a CSV
    file's encoding instead of detecting it."""
    import_permission_require(actor)
    sheet = sheet_read(data, filename=filename, encoding=encoding)
    return opportunities_import_validate(
        actor=actor, sheet=sheet, filename=filename, progress=progress
    )


def opportunities_import_validate(
    *,
    actor: User,
    sheet: Sheet,
    filename: str,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Check every row of a sheet already read; collect all errors with row and column."""
    import_permission_require(actor)
    validator = RowChecker(actor=actor, sheet=sheet)
    candidates = validator.run(progress)
    order = {validator.header(column.key): index for index, column in enumerate(COLUMNS)}
    return ImportReport(
        filename=filename,
        format=sheet.format,
        row_count=len(sheet.rows),
        candidates=candidates,
        errors=sorted(validator.errors, key=lambda e: (e.row, order.get(e.column, -1))),
        ignored_columns=validator.ignored,
    )


@audited
def opportunities_import_commit(*, actor: User, report: ImportReport) -> tuple[int, int]:
    """Create and update the opportunities of a clean report in one transaction, or none;
    returns (created, updated). An external reference imported meanwhile by someone else trips
    its unique constraint and the whole import rolls back with those rows named."""
    import_permission_require(actor)
    if report.errors:
        raise OpportunityImportInvalid(errors=report.errors)
    creates = [c.opportunity for c in report.candidates if c.action == CREATE]
    updates = [c for c in report.candidates if c.action == UPDATE]
    reason = f"import {report.filename}"[:100]
    try:
        with transaction.atomic():
            bulk_create_with_history(
                creates, Opportunity, default_user=actor, default_change_reason=reason
            )
            if updates:
                names = sorted(
                    {name for c in updates for name in c.changed_fields} | {"updated_at"}
                )
                rows = [c.opportunity for c in updates]
                now = timezone.now()
                for opportunity in rows:
                    opportunity.updated_at = now
                bulk_update_with_history(
                    rows, Opportunity, names, default_user=actor, default_change_reason=reason
                )
            _lines_write(report.candidates)
    except IntegrityError as exc:
        for opportunity in creates:
            opportunity.pk = None  # the rows were rolled back
        refs = [o.external_ref for o in creates if o.external_ref]
        taken = set(
            Opportunity.objects.filter(external_ref__in=refs).values_list("external_ref", flat=True)
        )
        header = COLUMNS_BY_KEY["external_ref"].header
        raise OpportunityImportInvalid(
            gettext_lazy(
                "Another user imported some of these opportunities meanwhile; nothing was imported."
            ),
            errors=[
                RowError(
                    c.row, header, _("An opportunity with this external reference exists already.")
                )
                for c in report.candidates
                if c.action == CREATE and c.opportunity.external_ref in taken
            ],
        ) from exc
    return len(creates), len(updates)


def _lines_write(candidates: list[ImportCandidate]) -> None:
    """The file's product lines: new opportunities get theirs, re-imported ones whose lines
    differ have theirs replaced (so importing a file twice never doubles a line). Two queries
    for the whole file."""
    replaced = [c.opportunity.pk for c in candidates if c.lines_changed]
    for chunk in chunks(replaced):
        OpportunityLine.objects.filter(opportunity_id__in=chunk).delete()
    OpportunityLine.objects.bulk_create(
        [
            OpportunityLine(
                opportunity=c.opportunity, position=position, product=product, quantity=quantity
            )
            for c in candidates
            if c.action == CREATE or c.lines_changed
            for position, (product, quantity) in enumerate(c.lines, start=1)
        ],
        batch_size=500,
    )
