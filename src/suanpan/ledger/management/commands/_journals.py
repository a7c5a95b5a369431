"""`suanpan ledger print | summary | journal | review | post`: vouchers printed as PDF, the
account summary and the journal, batch review and batch post — the `ledger` command's
journal actions, through the same selectors and services as the pages.

A range is given as dates (YYYY-MM-DD) or months (YYYYMM: from its first day, to its last).
"""

from __future__ import annotations

import calendar
import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suanpan.core.errors import ValidationFailed
from suanpan.core.filtering import filtered_rows
from suanpan.core.spreadsheets import sheet_write
from suanpan.core.templatetags.money import amount_text
from suanpan.ledger import selectors, services
from suanpan.ledger.choices import PrintLayout, VoucherStatus, VoucherWord
from suanpan.ledger.errors import VoucherBatchRefused
from suanpan.ledger.filters.journals import ALL
from suanpan.ledger.forms.journals import AccountSummaryForm
from suanpan.ledger.management.commands.ledger import (
    EXIT_FAILED,
    _domain_errors,
    _require,
    _unusable,
    acting_user,
)
from suanpan.ledger.services.journal_sheets import (
    journal_sheet_header,
    journal_sheet_rows,
    summary_sheet_rows,
)

REPORTS = "ledger.view_ledger_reports"


def add_parsers(actions: Any, *, add_as: Callable[[CommandParser], None]) -> None:
    printing = actions.add_parser(
        "print",
        help="print vouchers as a PDF: the range's (by date and word), or the ones named",
    )
    _add_range(printing)
    printing.add_argument("--status", choices=VoucherStatus.values, help="only vouchers in it")
    printing.add_argument("--id", dest="ids", type=int, action="append", metavar="ID")
    printing.add_argument("--layout", choices=PrintLayout.values, default=PrintLayout.A4_TWO)
    printing.add_argument("-o", "--output", required=True, metavar="FILE", help="the PDF to write")
    add_as(printing)

    summary = actions.add_parser(
        "summary", help="the account summary (科目汇总表) of a range of vouchers"
    )
    _add_range(summary)
    summary.add_argument("--period", metavar="YYYYMM", help="a month, to pick voucher numbers")
    summary.add_argument("--numbers", metavar="FIRST-LAST", help="voucher numbers, e.g. 1-30")
    summary.add_argument("--level", type=int, default=1, help="accounts to this level (1)")
    summary.add_argument("--all", action="store_true", help="drafts and reviewed ones too")
    summary.add_argument("-o", "--output", metavar="FILE", help="an xlsx instead of the screen")
    add_as(summary)

    journal = actions.add_parser("journal", help="the journal (序时账) of a range into an xlsx")
    _add_range(journal)
    journal.add_argument("--account", metavar="CODE", help="an account and its sub-accounts")
    journal.add_argument("--customer", metavar="NUMBER")
    journal.add_argument("--text", metavar="TEXT", help="in the line's or voucher's summary")
    journal.add_argument("--all", action="store_true", help="drafts and reviewed ones too")
    journal.add_argument("-o", "--output", required=True, metavar="FILE", help="the xlsx")
    add_as(journal)

    for name, what in (("review", "drafts"), ("post", "reviewed vouchers")):
        batch = actions.add_parser(
            name,
            help=f"{name} the {what} of a range, or the ones named, all or none",
        )
        _add_range(batch)
        batch.add_argument("--id", dest="ids", type=int, action="append", metavar="ID")
        add_as(batch)


def _add_range(parser: CommandParser) -> None:
    parser.add_argument("--from", dest="date_from", metavar="DATE|YYYYMM")
    parser.add_argument("--to", dest="date_to", metavar="DATE|YYYYMM")
    parser.add_argument("--word", choices=VoucherWord.values)


def _day(value: str | None, *, end: bool) -> str | None:
    """A date or a month (its first day, or its last with `end`) as YYYY-MM-DD."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) == 6 and text.isdigit():
            year, month = int(text[:4]), int(text[4:])
            day = calendar.monthrange(year, month)[1] if end else 1
            return date(year, month, day).isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise _unusable(
            _("Write dates as YYYY-MM-DD or months as YYYYMM; %(value)s is neither.")
            % {"value": value}
        ) from exc


def _range(options: dict[str, Any]) -> dict[str, str]:
    params = {
        "date_from": _day(options["date_from"], end=False),
        "date_to": _day(options["date_to"], end=True),
        "word": options.get("word"),
    }
    return {k: v for k, v in params.items() if v}


def _write_atomically(path: Path, write: Callable[[Any], object]) -> None:
    """Written beside the target and moved over it at the end: a refusal leaves neither a
    half-written file nor a damaged earlier one."""
    if not path.parent.is_dir():
        raise _unusable(_("No such folder: %(path)s") % {"path": path.parent})
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.replace(temp_name, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)


def _invalid(exc: ValidationFailed) -> CommandError:
    details = [f"{name}: {m}" for name, messages in exc.fields.items() for m in messages]
    return _unusable("; ".join(details) or exc.message)


class JournalActions:
    """The handlers; `command` writes their output."""

    def __init__(self, command: BaseCommand) -> None:
        self.command = command

    def handlers(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        return {
            "print": self.print,
            "summary": self.summary,
            "journal": self.journal,
            "review": self.review,
            "post": self.post,
        }

    def _say(self, text: str) -> None:
        self.command.stdout.write(self.command.style.SUCCESS(text))

    def print(self, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        _require(actor, "ledger.view_voucher")
        with _domain_errors():
            try:
                ids = options["ids"] or self._matching(options)
            except ValidationFailed as exc:
                raise _invalid(exc) from exc
            if not ids:
                raise CommandError(_("No voucher matches."), returncode=EXIT_FAILED)
            content = services.vouchers_pdf(ids=ids, layout=options["layout"])
        path = Path(options["output"])
        _write_atomically(path, lambda out: out.write(content))
        self._say(
            ngettext(
                "Printed %(count)s voucher to %(path)s.",
                "Printed %(count)s vouchers to %(path)s.",
                len(ids),
            )
            % {"count": len(ids), "path": path}
        )

    @staticmethod
    def _matching(options: dict[str, Any], status: str | None = None) -> list[int]:
        params = _range(options)
        status = status or options.get("status")
        if status:
            params["status"] = status
        vouchers = filtered_rows(selectors.voucher_list(filters=params))
        return selectors.voucher_ids_matching(vouchers=vouchers)

    def summary(self, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        _require(actor, REPORTS)
        data: dict[str, Any] = {
            **_range(options),
            "period": options["period"] or "",
            "level": options["level"],
            "status": ALL if options["all"] else "",
        }
        if options["numbers"]:
            low, _dash, high = options["numbers"].partition("-")
            data.update(number_from=low.strip(), number_to=(high or low).strip())
        with _domain_errors():
            selectors.company_get()
            form = AccountSummaryForm(data)
            if not form.is_valid():
                raise _unusable(
                    "; ".join(f"{name}: {m}" for name, msgs in form.errors.items() for m in msgs)
                )
            summary = selectors.account_summary(**form.summary_kwargs())
        header = [_("Code"), _("Account"), _("Level"), _("Debit"), _("Credit")]
        if options["output"]:
            path = Path(options["output"])
            _write_atomically(
                path,
                lambda out: sheet_write(
                    out,
                    fmt="xlsx",
                    header=header,
                    rows=summary_sheet_rows(summary),
                    title=_("Account summary"),
                ),
            )
            self._say(_("Wrote the account summary to %(path)s.") % {"path": path})
            return
        for row in _table([header, *summary_sheet_rows(summary)]):
            self.command.stdout.write(row)

    def journal(self, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        _require(actor, REPORTS)
        params = {
            **_range(options),
            "account": options["account"] or "",
            "customer": options["customer"] or "",
            "q": options["text"] or "",
            "status": ALL if options["all"] else "",
        }
        with _domain_errors():
            selectors.company_get()
            try:
                lines = filtered_rows(selectors.journal_list(filters=params))
            except ValidationFailed as exc:
                raise _invalid(exc) from exc
            totals = selectors.journal_totals(lines)
        path = Path(options["output"])
        names = selectors.account_full_names()
        _write_atomically(
            path,
            lambda out: sheet_write(
                out,
                fmt="xlsx",
                header=journal_sheet_header(all_vouchers=options["all"]),
                rows=journal_sheet_rows(
                    lines, names=names, all_vouchers=options["all"], totals=totals
                ),
                title=_("Journal"),
            ),
        )
        self._say(
            ngettext(
                "Wrote %(count)s journal line to %(path)s.",
                "Wrote %(count)s journal lines to %(path)s.",
                totals.count,
            )
            % {"count": totals.count, "path": path}
        )

    def review(self, options: dict[str, Any]) -> None:
        self._batch(options, status=VoucherStatus.DRAFT, service=services.voucher_review_batch)

    def post(self, options: dict[str, Any]) -> None:
        self._batch(options, status=VoucherStatus.REVIEWED, service=services.voucher_post_batch)

    def _batch(self, options: dict[str, Any], *, status: str, service: Callable[..., Any]) -> None:
        actor = acting_user(options["as_user"])
        with _domain_errors():
            try:
                ids = options["ids"] or self._matching(options, status)
            except ValidationFailed as exc:
                raise _invalid(exc) from exc
            if not ids:
                self._say(_("No voucher to act on."))
                return
            try:
                done = service(actor=actor, ids=ids)
            except VoucherBatchRefused as exc:
                for refusal in exc.refusals:
                    self.command.stdout.write(f"{refusal.number}: {refusal.reason}")
                raise CommandError(
                    ngettext(
                        "Nothing was changed: %(count)s voucher was refused.",
                        "Nothing was changed: %(count)s vouchers were refused.",
                        len(exc.refusals),
                    )
                    % {"count": len(exc.refusals)},
                    returncode=EXIT_FAILED,
                ) from exc
        message = (
            ngettext("%(count)s voucher reviewed.", "%(count)s vouchers reviewed.", len(done))
            if status == VoucherStatus.DRAFT
            else ngettext("%(count)s voucher posted.", "%(count)s vouchers posted.", len(done))
        )
        self._say(message % {"count": len(done)})


def _table(rows: Iterable[list[Any]]) -> list[str]:
    """Rows as columns of text separated by two spaces, each as wide as its widest cell."""
    texts = [[_cell(value) for value in row] for row in rows]
    widths: dict[int, int] = {}
    for row in texts:
        for index, text in enumerate(row):
            widths[index] = max(widths.get(index, 0), _width(text))
    return [
        "  ".join(
            text + " " * (widths[index] - _width(text)) for index, text in enumerate(row)
        ).rstrip()
        for row in texts
    ]


def _cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return amount_text(value)
    return "" if value is None else str(value)


def _width(text: str) -> int:
    # Chinese characters take two columns on a terminal.
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)
