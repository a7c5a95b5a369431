"""`suanpan ledger …`: verify the chain and the open items, export, set up, run the period-end
transfers, close and re-open; print vouchers, the account summary and the journal, review and
post in batches (`_journals.py`); the financial statements.

Exit status: 0 done; 1 the books fail the check or the ledger refuses the action (a broken
chain, open items that differ, a period that cannot be closed); 2 the command cannot run
(unknown user, missing permission, bad option, unwritable file).
"""

from __future__ import annotations

import contextlib
import csv
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from suanpan.core.errors import DomainError, PermissionDeniedError
from suanpan.ledger import exports, selectors, services, verification
from suanpan.ledger.choices import AccountingStandard, RevenuePolicy, VoucherStatus
from suanpan.ledger.management import statement_cli
from suanpan.ledger.models import Period, Voucher
from suanpan.users.models import User

EXIT_FAILED = 1
EXIT_UNUSABLE = 2
FORMATS = ("kingdee", "yonyou", "csv", "beancount")


def _unusable(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_UNUSABLE)


def acting_user(username: str | None) -> User:
    """The user a command acts as: --as USERNAME, else the first active superuser."""
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise _unusable(_("There is no user “%(name)s”.") % {"name": username})
        if not user.is_active:
            raise _unusable(_("The user “%(name)s” is deactivated.") % {"name": username})
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise _unusable(_("There is no active superuser to act as; name a user with --as."))
    return user


def _require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise _unusable(
            _("%(user)s may not do this (needs the permission %(perm)s).")
            % {"user": actor.username, "perm": perm}
        )


@contextlib.contextmanager
def _domain_errors() -> Iterator[None]:
    """The ledger's refusals as exit 1, a missing permission as exit 2, with the message."""
    try:
        yield
    except PermissionDeniedError as exc:
        raise _unusable(exc.message) from exc
    except DomainError as exc:
        raise CommandError(exc.message, returncode=EXIT_FAILED) from exc


def _progress(total: int, unit: str) -> tqdm[Any]:
    # tqdm draws only on a terminal (disable=None), so logs and tests stay clean.
    return tqdm(total=total, unit=unit, disable=None, file=sys.stderr, leave=False)


def _period(value: str) -> Period:
    year, month = _period_key(value)
    period = Period.objects.filter(year=year, month=month).first()
    if period is None:
        raise _unusable(_("There is no period %(period)s in the books.") % {"period": value})
    return period


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise _unusable(
            _("Dates are written YYYY-MM-DD; %(value)s is not.") % {"value": value}
        ) from exc


def _add_as(parser: CommandParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="act as this user, with their permissions (default: the first active superuser)",
    )


class Command(BaseCommand):
    help = (
        "The books: verify the hash chain and the open items, export vouchers for Kingdee, "
        "Yonyou, CSV or Beancount, set up the company, run the period-end transfers, close "
        "and re-open periods, print vouchers (print), the account summary (summary) and the "
        "journal (journal), review and post in batches (review, post), the financial "
        "statements (statement, statement-definitions). "
        "Exit status: 0 done, 1 check failed or refused, 2 the command cannot run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        verify = actions.add_parser(
            "verify",
            help="recompute the hash chain of posted vouchers, check voucher numbers for gaps "
            "and the period totals against the posted lines; name every problem",
        )
        _add_as(verify)

        check = actions.add_parser(
            "check-open-items",
            help="prove that open items equal their accounts' balance per customer",
        )
        check.add_argument("--as-of", metavar="YYYY-MM-DD", help="the date (default: today)")
        _add_as(check)

        export = actions.add_parser(
            "export", help="write posted vouchers for another financial system"
        )
        export.add_argument("format", choices=FORMATS)
        export.add_argument("file", help="the file to write; replaced if it exists")
        export.add_argument("--from", dest="period_from", metavar="YYYYMM")
        export.add_argument("--to", dest="period_to", metavar="YYYYMM")
        export.add_argument(
            "--account-map",
            metavar="CSV",
            help="yonyou: a two-column CSV (Suanpan code, U8 code) overriding 1122.01 → 112201",
        )
        export.add_argument(
            "--replace-unencodable",
            action="store_true",
            help="yonyou: write “?” for characters GBK cannot hold instead of refusing",
        )
        _add_as(export)

        transfer = actions.add_parser(
            "transfer",
            help="show what a period-end transfer (期末结转) would post for a month; post it with "
            "--post (re-running posts only the difference)",
        )
        transfer.add_argument("--period", required=True, metavar="YYYY-MM")
        transfer.add_argument(
            "--kind", required=True, metavar="KIND", help="vat, pnl, year-end or template:<id>"
        )
        transfer.add_argument("--post", action="store_true", help="post the voucher shown")
        _add_as(transfer)

        close = actions.add_parser("close", help="run the close checklist and lock a period")
        close.add_argument("period", metavar="YYYYMM")
        close.add_argument(
            "--transfers",
            metavar="LIST",
            help="post these period-end transfers first, in their order (vat, templates or "
            "template:<id>, pnl, year-end, comma-separated); nothing is kept unless the month "
            "closes",
        )
        _add_as(close)

        reopen = actions.add_parser("reopen", help="re-open the latest closed period")
        reopen.add_argument("period", metavar="YYYYMM")
        reopen.add_argument("--reason", required=True, help="why; kept in the period's log")
        _add_as(reopen)

        setup = actions.add_parser("setup", help="set up the company and its chart of accounts")
        setup.add_argument("--name", required=True)
        setup.add_argument("--standard", required=True, choices=AccountingStandard.values)
        setup.add_argument("--first-period", required=True, metavar="YYYYMM")
        setup.add_argument(
            "--revenue-policy", choices=RevenuePolicy.values, default=RevenuePolicy.ON_DELIVERY
        )
        setup.add_argument("--tax-number", default="")
        setup.add_argument(
            "--voucher-words", default="记", help="记 alone (default) or 收付转 and the like"
        )
        _add_as(setup)
        statement_cli.statement_parsers_add(actions, _add_as)

        from suanpan.ledger.management.commands import _journals

        _journals.add_parsers(actions, add_as=_add_as)

    def handle(self, *args: Any, **options: Any) -> None:
        handlers: Mapping[str, Callable[[dict[str, Any]], None]] = {
            "verify": self.verify,
            "check-open-items": self.check_open_items,
            "export": self.export,
            "transfer": self.transfer,
            "close": self.close,
            "reopen": self.reopen,
            "setup": self.setup,
            "statement": lambda o: statement_cli.statement_print(
                o, acting_user(o["as_user"]), self.stdout
            ),
            "statement-definitions": lambda o: statement_cli.statement_definitions_restore(
                o, acting_user(o["as_user"]), self.stdout
            ),
        }
        if options["action"] not in handlers:
            from suanpan.ledger.management.commands import _journals

            handlers = _journals.JournalActions(self).handlers()
        handlers[options["action"]](options)

    # ------------------------------------------------------------------ checks

    def verify(self, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        _require(actor, exports.EXPORT_PERMISSION)
        total = Voucher.objects.filter(status=VoucherStatus.POSTED).count()
        with _progress(total, "vouchers") as bar:
            report = verification.books_verify(progress=bar.update)
        if not report.ok:
            # Every row on stdout; the error (stderr) names the first few of each kind.
            for problem in report.problems(limit=None):
                self.stdout.write(problem)
            raise CommandError(
                _("The books fail verification: %(problems)s.")
                % {"problems": "; ".join(report.problems())},
                returncode=EXIT_FAILED,
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "The chain is intact: %(count)s posted vouchers, last hash %(hash)s. "
                    "Voucher numbers have no gaps and the period totals equal the posted lines."
                )
                % {"count": report.chain.checked, "hash": report.chain.last_hash}
            )
        )

    def check_open_items(self, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        _require(actor, exports.EXPORT_PERMISSION)
        as_of = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        mismatches = verification.open_items_verify(as_of=as_of)
        for row in mismatches:
            if row.open_items != row.balance:
                self.stdout.write(
                    _("%(account)s %(customer)s: open items %(items)s, account balance %(balance)s")
                    % {
                        "account": row.account,
                        "customer": row.customer or "-",
                        "items": f"{row.open_items:,.2f}",
                        "balance": f"{row.balance:,.2f}",
                    }
                )
            if row.wrong_open_items:
                self.stdout.write(
                    ngettext(
                        "%(account)s %(customer)s: %(count)s item keeps an open amount "
                        "other than its matches give",
                        "%(account)s %(customer)s: %(count)s items keep an open amount "
                        "other than their matches give",
                        row.wrong_open_items,
                    )
                    % {
                        "account": row.account,
                        "customer": row.customer or "-",
                        "count": row.wrong_open_items,
                    }
                )
        if mismatches:
            raise CommandError(
                ngettext(
                    "Open items differ from their accounts in %(count)s place as of %(date)s.",
                    "Open items differ from their accounts in %(count)s places as of %(date)s.",
                    len(mismatches),
                )
                % {"count": len(mismatches), "date": as_of.isoformat()},
                returncode=EXIT_FAILED,
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Open items equal their accounts per customer as of %(date)s.")
                % {"date": as_of.isoformat()}
            )
        )

    # ------------------------------------------------------------------ export

    def export(self, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        _require(actor, exports.EXPORT_PERMISSION)
        kind = options["format"]
        period_from, period_to = options["period_from"], options["period_to"]
        if kind == "beancount" and (period_from or period_to):
            raise _unusable(
                _("A Beancount export is always the whole ledger; leave out --from and --to.")
            )
        for value in (period_from, period_to):
            if value:
                _period_key(value)
        path = Path(options["file"])
        if not path.parent.is_dir():
            raise _unusable(_("No such folder: %(path)s") % {"path": path.parent})
        account_codes = self._account_map(options["account_map"]) if options["account_map"] else {}
        total = Voucher.objects.filter(status=VoucherStatus.POSTED).count()
        # Written beside the target and moved over it at the end: a refused export leaves
        # neither a half-written file nor a damaged earlier one.
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        try:
            with (
                os.fdopen(handle, "wb") as out,
                _progress(total, "vouchers") as bar,
                _domain_errors(),
            ):
                if kind == "beancount":
                    result = exports.beancount_export(actor=actor, out=out, progress=bar.update)
                elif kind == "yonyou":
                    result = exports.yonyou_export(
                        actor=actor,
                        out=out,
                        period_from=period_from,
                        period_to=period_to,
                        account_codes=account_codes,
                        unencodable="replace" if options["replace_unencodable"] else "error",
                        progress=bar.update,
                    )
                else:
                    result = exports.EXPORTERS[kind](
                        actor=actor,
                        out=out,
                        period_from=period_from,
                        period_to=period_to,
                        progress=bar.update,
                    )
            os.replace(temp_name, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
        self.stdout.write(
            self.style.SUCCESS(
                _("Wrote %(vouchers)s vouchers (%(lines)s lines) to %(path)s.")
                % {"vouchers": result.vouchers, "lines": result.lines, "path": path}
            )
        )

    @staticmethod
    def _account_map(name: str) -> dict[str, str]:
        path = Path(name)
        if not path.is_file():
            raise _unusable(_("No such file: %(path)s") % {"path": path})
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return {
                row[0].strip(): row[1].strip()
                for row in csv.reader(handle)
                if len(row) >= 2 and row[0].strip() and row[1].strip()
            }

    # ------------------------------------------------------------------ periods and set-up

    def transfer(self, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        _require(actor, "ledger.view_transfertemplate")
        key = options["period"].strip().replace("-", "")
        _period_key(key)
        try:
            period = selectors.transfer_period(key=key)
        except Http404 as exc:
            raise _unusable(
                _("There is no period %(period)s in the books.") % {"period": options["period"]}
            ) from exc
        named = _transfers_named(options["kind"])
        if len(named) != 1 or options["kind"].strip().lower() == "templates":
            raise _unusable(_("Name one transfer: vat, pnl, year-end or template:<id>."))
        kind, template = named[0]
        preview = selectors.transfer_preview(period=period, kind=kind, template=template)
        self._preview_write(preview)
        if not options["post"]:
            return
        with _domain_errors():
            voucher = services.transfer_post(
                actor=actor, period=period, kind=kind, template=template
            )
        if voucher is None:
            self.stdout.write(_("Nothing left to post: the books already hold this transfer."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Voucher %(voucher)s posted.") % {"voucher": voucher.display_number}
                )
            )

    def _preview_write(self, preview: selectors.TransferPreview) -> None:
        write = self.stdout.write
        write(f"{preview.label} · {preview.period.key}")
        if preview.unavailable:
            write(_("Does not apply to this month: %(reason)s.") % {"reason": preview.unavailable})
            return
        for figure in preview.figures:
            write(f"  {figure.label}: {figure.amount:,.2f}")
        if preview.error:
            write(_("Cannot run: %(reason)s.") % {"reason": preview.error})
        if preview.blocked_by:
            write(_("Run first: %(first)s.") % {"first": ", ".join(preview.blocked_by)})
        if not preview.lines:
            if not preview.error:
                write(_("Nothing to post."))
            return
        write(f"  {preview.summary}")
        for line in preview.lines:
            customer = str(line.dimension) if line.dimension else ""
            debit = f"{line.debit:,.2f}" if line.debit else ""
            credit = f"{line.credit:,.2f}" if line.credit else ""
            write(f"  {line.account!s:<28} {customer:<24} {debit:>16} {credit:>16}")
        total = _("Total")
        write(
            f"  {total:<28} {'':<24} {preview.debit_total:>16,.2f} {preview.credit_total:>16,.2f}"
        )

    def close(self, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        period = _period(options["period"])
        made: list[Voucher] = []
        named = _transfers_named(options["transfers"] or "")
        try:
            with transaction.atomic():
                made = services.transfers_post(actor=actor, period=period, transfers=named)
                services.period_close(actor=actor, period=period)
        except PermissionDeniedError as exc:
            raise _unusable(exc.message) from exc
        except DomainError as exc:
            message = exc.message
            if named:
                message += " " + _("No transfer was posted.")
            raise CommandError(message, returncode=EXIT_FAILED) from exc
        for voucher in made:
            self.stdout.write(
                _("Voucher %(voucher)s posted: %(summary)s")
                % {"voucher": voucher.display_number, "summary": voucher.summary}
            )
        self.stdout.write(
            self.style.SUCCESS(_("Period %(period)s is closed.") % {"period": period.key})
        )

    def reopen(self, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        period = _period(options["period"])
        with _domain_errors():
            services.period_reopen(actor=actor, period=period, reason=options["reason"])
        self.stdout.write(
            self.style.SUCCESS(_("Period %(period)s is open again.") % {"period": period.key})
        )

    def setup(self, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        year, month = _period_key(options["first_period"])
        with _domain_errors():
            company = services.company_setup(
                actor=actor,
                name=options["name"],
                standard=options["standard"],
                first_period=date(year, month, 1),
                tax_number=options["tax_number"],
                revenue_policy=options["revenue_policy"],
                voucher_words=options["voucher_words"],
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("The books of %(name)s are set up (%(standard)s), first period %(period)s.")
                % {
                    "name": company.name,
                    "standard": company.get_standard_display(),
                    "period": company.first_period.strftime("%Y%m"),
                }
            )
        )


def _transfers_named(text: str) -> list[tuple[str, Any]]:
    """The transfers a --kind or --transfers option names; an unknown name is a bad option."""
    try:
        return services.transfer_keys_parse(text)
    except DomainError as exc:
        raise _unusable(exc.message) from exc


def _period_key(value: str) -> tuple[int, int]:
    try:
        return exports.period_key_parse(value)
    except DomainError as exc:
        raise _unusable(exc.message) from exc
