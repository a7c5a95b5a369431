"""Posted vouchers as a plain CSV, one line per voucher line."""

import csv
import io
from typing import IO

from django.utils.translation import gettext as _

from suanpan.ledger.exports.common import (
    ExportResult,
    Progress,
    amount_text,
    export_permission_require,
    posted_vouchers,
    voucher_stream,
)
from suanpan.users.models import User


def csv_header() -> list[str]:
    return [
        _("Voucher"),
        _("Date"),
        _("Word"),
        _("Number"),
        _("Summary"),
        _("Account code"),
        _("Account name"),
        _("Customer code"),
        _("Customer name"),
        _("Debit"),
        _("Credit"),
    ]


def csv_export(
    *,
    actor: User,
    out: IO[bytes],
    period_from: str | None = None,
    period_to: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """One row per posted line, UTF-8 with a byte-order mark so that Excel reads the Chinese."""
    export_permission_require(actor)
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(csv_header())
    vouchers = lines = 0
    for voucher in voucher_stream(posted_vouchers(period_from=period_from, period_to=period_to)):
        vouchers += 1
        for line in voucher.lines.all():
            dimension = line.dimension
            writer.writerow(
                [
                    voucher.display_number,
                    voucher.date.isoformat(),
                    voucher.word,
                    voucher.number,
                    line.summary or voucher.summary,
                    line.account.code,
                    line.account.name,
                    dimension.code if dimension else "",
                    dimension.name if dimension else "",
                    amount_text(line.debit_amount),
                    amount_text(line.credit_amount),
                ]
            )
            lines += 1
        if progress:
            progress(1)
    text.detach()  # leave `out` open for the caller
    return ExportResult(vouchers=vouchers, lines=lines)
