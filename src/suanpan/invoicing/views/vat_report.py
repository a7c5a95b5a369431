"""The output VAT report page and its xlsx export."""

from __future__ import annotations

import tempfile
from typing import Any

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.spreadsheets import CONTENT_TYPES, sheet_write
from suanpan.invoicing.selectors.vat_report import VatReport, vat_output_report
from suanpan.invoicing.views.invoices import nav_context
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

# The report ties out against the books: it is the accountants' (ledger readers') page.
PERMISSION = "ledger.view_voucher"
MIN_YEAR, MAX_YEAR = 2000, 2100


def report_year(raw: Any) -> int:
    """`?year=` between 2000 and 2100; anything else is this year."""
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


@page_permission(PERMISSION)
def vat_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = report_year(request.GET.get("year"))
    report = vat_output_report(user=request.user, year=year)
    this_year = timezone.localdate().year
    return render(
        request,
        "invoicing/vat_report/report.html",
        {
            "report": report,
            "years": list(range(this_year + 1, this_year - 10, -1)),
            **nav_context("vat_report", (_("Output VAT report"), None)),
        },
    )


def report_rows(report: VatReport) -> tuple[list[str], list[list[Any]]]:
    """The report as a sheet: one row per month and rate with the month's tie-out."""
    header = [
        _("Month"),
        _("VAT rate"),
        _("Amount excluding tax"),
        _("Tax"),
        _("Blue invoices"),
        _("Red invoices"),
        _("Output VAT credited in the ledger"),
        _("Difference"),
    ]
    rows: list[list[Any]] = []
    for month in report.months:
        for (_key, label), cell in zip(report.rates, month.cells, strict=True):
            if cell.blue_count or cell.red_count:
                rows.append(
                    [
                        f"{report.year}-{month.month:02d}",
                        label,
                        cell.net_amount,
                        cell.tax_amount,
                        cell.blue_count,
                        cell.red_count,
                        None,
                        None,
                    ]
                )
        rows.append(
            [
                f"{report.year}-{month.month:02d}",
                _("Month total"),
                month.total.net_amount,
                month.total.tax_amount,
                month.total.blue_count,
                month.total.red_count,
                month.ledger_credit,
                month.difference,
            ]
        )
    rows.append(
        [
            str(report.year),
            _("Year total"),
            report.total.net_amount,
            report.total.tax_amount,
            report.total.blue_count,
            report.total.red_count,
            report.ledger_credit,
            report.difference,
        ]
    )
    return header, rows


@page_permission(PERMISSION)
def vat_report_export(request: AuthenticatedHttpRequest) -> FileResponse:
    year = report_year(request.GET.get("year"))
    header, rows = report_rows(vat_output_report(user=request.user, year=year))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        sheet_write(handle, fmt="xlsx", header=header, rows=rows, title=_("Output VAT"))
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"vat-output-{year}.xlsx",
        content_type=CONTENT_TYPES["xlsx"],
    )
