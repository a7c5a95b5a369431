"""The account summary and the journal as spreadsheet rows: what the pages' xlsx and the
`ledger summary` and `ledger journal` commands write."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suanpan.ledger import selectors


def summary_sheet_rows(summary: selectors.AccountSummary) -> Iterator[list[Any]]:
    """The summary's rows, its totals and its range as the xlsx (and the CLI) write them."""
    for row in summary.rows:
        yield [row.account.code, row.account.name, row.account.level, row.debit, row.credit]
    yield ["", _("Total"), "", summary.debit, summary.credit]
    yield []
    yield [
        "",
        _("Vouchers: %(count)s, attachments: %(attachments)s")
        % {"count": summary.vouchers, "attachments": summary.attachments},
    ]
    for number_range in summary.ranges:
        yield ["", number_range.text]


def journal_sheet_header(*, all_vouchers: bool) -> list[str]:
    header = [
        _("Date"),
        _("Voucher"),
        _("Summary"),
        _("Account code"),
        _("Account"),
        _("Customer number"),
        _("Customer"),
        _("Debit"),
        _("Credit"),
    ]
    return [*header, _("Status")] if all_vouchers else header


def journal_sheet_rows(
    lines: Any, *, names: dict[int, str], all_vouchers: bool, totals: selectors.JournalTotals
) -> Iterator[list[Any]]:
    """Every matching line, read from the database a chunk at a time (a server-side cursor on
    PostgreSQL), then the totals row."""
    posted, draft = _("Posted"), _("Not posted")
    for line in lines.iterator(chunk_size=2000):
        row = [
            line.date,
            line.voucher_number,
            line.summary,
            line.account_code,
            names.get(line.account_id, ""),
            line.dimension_code or "",
            line.dimension_name or "",
            line.debit_amount,
            line.credit_amount,
        ]
        if all_vouchers:
            row.append(posted if line.is_posted else draft)
        yield row
    yield [
        "",
        "",
        ngettext("Total of %(counter)s line", "Total of %(counter)s lines", totals.count)
        % {"counter": totals.count},
        "",
        "",
        "",
        "",
        totals.debit,
        totals.credit,
    ]
