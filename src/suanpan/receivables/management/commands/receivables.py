"""`suanpan receivables …`: receivables work from the command line.

    ageing [--as-of DATE] [--basis due|posting] [--bounds 30,60,…] --xlsx FILE
    auto-match (--customer NUMBER … | --all) [--rule oldest_due|reference] [--on DATE]
    import-statement FILE --bank-account NUMBER [--preset ccb|cmb|abc|icbc|cmbc] [--commit]
    plan-reminders [--on DATE]
    provision --period YYYY-MM [--post]
    statements --send-scheduled [--on DATE]
    dunning [--on DATE] [--dry-run]
    schedule

Each runs as the user named with --user (or --as; default the first active superuser).
Exit status: 0 done; 1 refused (nothing recorded); 2 the command cannot run (unknown user,
missing permission, bad options).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core import transfer_cli as cli
from suanpan.core.errors import DomainError
from suanpan.core.spreadsheets import MAX_BYTES, sheet_write
from suanpan.customers.selectors import customer_by_number
from suanpan.ledger.calculations import buckets_from_days
from suanpan.ledger.selectors import AgeingStream, account_for_role
from suanpan.ledger.types import Role
from suanpan.receivables.calculations.ageing import RECEIVABLES_BOUNDS
from suanpan.receivables.calculations.bank_layouts import PRESETS
from suanpan.receivables.choices import AutoMatchRule, ProvisionBucket, SkipReason
from suanpan.receivables.selectors import (
    bank_account_by_number,
    dunning_preview,
    provision_preview,
)
from suanpan.receivables.services import (
    dunning_run,
    payment_plan_reminders_send,
    provision_post,
    settlement_auto_many,
    statement_import,
    statements_send_scheduled,
)
from suanpan.receivables.tasks import daily_schedule
from suanpan.users.permissions import permission_require


def _date(text: str | None) -> date:
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise cli.unusable(
            _("Give the date as YYYY-MM-DD, not %(text)s.") % {"text": text}
        ) from exc


def _bounds(text: str | None) -> tuple[int, ...]:
    if not text:
        return RECEIVABLES_BOUNDS
    try:
        bounds = tuple(int(part) for part in text.split(",") if part.strip())
        buckets_from_days(bounds)
    except ValueError as exc:
        raise cli.unusable(
            _("Give the buckets as increasing days, e.g. 30,60,90,180,365.")
        ) from exc
    return bounds


def _bucket_title(low: int, high: int | None) -> str:
    if high is not None and high <= 0:
        return _("Not yet due")
    if high is None:
        return _("Over %(days)s days") % {"days": low - 1}
    return _("%(low)s–%(high)s days") % {"low": low, "high": high}


def _ageing_arguments(parser: CommandParser) -> None:
    parser.add_argument("--as-of", help="the day the books are aged at (default: today)")
    parser.add_argument("--basis", choices=["due", "posting"], default="due")
    parser.add_argument("--bounds", help="bucket upper bounds in days, e.g. 30,60,90")
    parser.add_argument("--xlsx", required=True, help="the xlsx file to write (replaced)")


def _ageing(command: BaseCommand, options: dict[str, Any]) -> None:
    actor = cli.acting_user(options.get("as_user"))
    cli.permission_check(actor, lambda user: permission_require(user, "ledger.view_ledger_reports"))
    as_of = _date(options.get("as_of"))
    buckets = buckets_from_days(_bounds(options.get("bounds")))
    account = account_for_role(Role.RECEIVABLE)
    if account is None:
        raise cli.unusable(_("The books have no receivable account."))
    # Streamed: 200,000 customers are written a chunk at a time, the totals row last.
    report = AgeingStream(as_of=as_of, account=account, buckets=buckets, basis=options["basis"])

    def rows() -> Iterator[list[Any]]:
        for row in report:
            yield [row.code, row.name, *row.amounts, row.total]
        if report.totals is not None:  # known once every row has been read
            yield ["", _("Total"), *report.totals.totals, report.totals.total]

    path = Path(options["xlsx"])
    header = [
        _("Customer number"),
        _("Customer"),
        *(_bucket_title(b.low, b.high) for b in buckets),
        _("Total"),
    ]
    with path.open("wb") as stream:
        count = sheet_write(stream, fmt="xlsx", header=header, rows=rows(), title=_("Ageing"))
    command.stdout.write(
        _("%(count)s customers aged as of %(date)s, %(total)s in all: %(path)s")
        % {
            "count": count - 1,
            "date": as_of.isoformat(),
            "total": f"{report.totals.total:,.2f}" if report.totals else "0.00",
            "path": path,
        }
    )


def _auto_arguments(parser: CommandParser) -> None:
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--customer", nargs="+", metavar="NUMBER", default=[])
    chosen.add_argument("--all", action="store_true", help="every customer the user sees")
    parser.add_argument("--rule", choices=AutoMatchRule.values, default=AutoMatchRule.OLDEST_DUE)
    parser.add_argument("--on", help="the settlement date (default: today)")


def _auto(command: BaseCommand, options: dict[str, Any]) -> None:
    actor = cli.acting_user(options.get("as_user"))
    cli.permission_check(actor, lambda user: permission_require(user, "receivables.add_settlement"))
    on = _date(options.get("on"))
    ids = None
    if not options["all"]:
        ids = []
        for number in options["customer"]:
            found = customer_by_number(user=actor, number=number)
            if found is None:
                raise cli.unusable(_("There is no customer %(number)s.") % {"number": number})
            ids.append(found.pk)
    try:
        totals = settlement_auto_many(actor=actor, rule=options["rule"], on=on, customer_ids=ids)
    except DomainError as exc:
        raise CommandError(str(exc.message), returncode=1) from exc
    for number, reason in totals.refused:
        command.stderr.write(
            _("%(number)s not settled: %(reason)s") % {"number": number, "reason": reason}
        )
    command.stdout.write(
        _("%(made)s settlements, %(amount)s settled.")
        % {"made": totals.settlements, "amount": f"{totals.amount:,.2f}"}
    )


def _statement_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", help="the statement file (xlsx or csv)")
    parser.add_argument("--bank-account", required=True, metavar="NUMBER")
    parser.add_argument(
        "--preset", choices=list(PRESETS), help="the bank's layout (default: the saved mapping)"
    )
    parser.add_argument("--commit", action="store_true", help="add the lines (default: dry run)")


def _statement(command: BaseCommand, options: dict[str, Any]) -> None:
    actor = cli.acting_user(options.get("as_user"))
    cli.permission_check(
        actor, lambda user: permission_require(user, "receivables.add_statementimport")
    )
    account = bank_account_by_number(number=options["bank_account"])
    if account is None:
        raise cli.unusable(
            _("There is no bank account %(number)s.") % {"number": options["bank_account"]}
        )
    path = Path(options["file"])
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise cli.unusable(_("Cannot read %(path)s.") % {"path": path}) from exc
    try:
        report = statement_import(
            bank_account=account,
            data=data,
            filename=path.name,
            preset=options.get("preset") or "",
            commit=options["commit"],
            actor=actor,
        )
    except DomainError as exc:
        for errors in exc.fields.values():
            for error in errors:
                command.stderr.write(error)
        raise CommandError(str(exc.message), returncode=1) from exc
    for error in report.errors:
        command.stderr.write(error)
    if report.errors:
        raise CommandError(
            _("%(count)s rows cannot be read; nothing was imported.")
            % {"count": len(report.errors)},
            returncode=1,
        )
    command.stdout.write(
        _(
            "%(layout)s, header on row %(row)s: %(lines)s lines, %(incoming)s received "
            "(%(amount)s), %(outgoing)s paid out, %(duplicates)s already imported, "
            "%(suggested)s with a suggested customer."
        )
        % {
            "layout": report.preset or _("saved mapping"),
            "row": report.header_row,
            "lines": report.row_count,
            "incoming": report.incoming,
            "amount": f"{report.amount_received:,.2f}",
            "outgoing": report.outgoing,
            "duplicates": report.duplicates,
            "suggested": report.suggested,
        }
    )
    command.stdout.write(
        _("%(count)s lines added.") % {"count": report.added}
        if report.committed
        else _("Dry run: nothing added; run again with --commit.")
    )


def _reminders_arguments(parser: CommandParser) -> None:
    parser.add_argument("--on", help="the day the reminders are for (default: today)")


def _reminders(command: BaseCommand, options: dict[str, Any]) -> None:
    actor = cli.acting_user(options.get("as_user"))
    cli.permission_check(
        actor, lambda user: permission_require(user, "receivables.add_planreminder")
    )
    report = payment_plan_reminders_send(on=_date(options.get("on")))
    for username in report.unreachable:
        command.stderr.write(
            _("%(user)s was not reminded: no e-mail address, or the mail was refused.")
            % {"user": username}
        )
    command.stdout.write(
        _("%(emails)s reminders sent, about %(count)s instalments.")
        % {"emails": report.emails, "count": report.instalments}
    )


def _provision_arguments(parser: CommandParser) -> None:
    parser.add_argument("--period", required=True, help="the month provided for, YYYY-MM")
    parser.add_argument("--post", action="store_true", help="post the difference (default: show)")


def _provision(command: BaseCommand, options: dict[str, Any]) -> None:
    actor = cli.acting_user(options.get("as_user"))
    needed = "receivables.add_provisionrun" if options["post"] else "receivables.view_provisionrun"
    cli.permission_check(actor, lambda user: permission_require(user, needed))
    try:
        preview = provision_preview(period=options["period"])
    except DomainError as exc:
        for errors in exc.fields.values():
            for error in errors:
                command.stderr.write(error)
        raise CommandError(str(exc.message), returncode=1) from exc
    labels = dict(ProvisionBucket.choices)
    command.stdout.write(
        _("Bad-debt provision as of %(date)s") % {"date": preview.as_of.isoformat()}
    )
    for cell in preview.cells:
        if cell.grade and not cell.balance:
            continue
        command.stdout.write(
            f"{cell.grade or '*':<2} {labels[cell.bucket]!s:<14}"
            f" {cell.balance:>18,.2f} {cell.rate:>8.2%} {cell.provision:>16,.2f}"
        )
    for named in preview.named:
        command.stdout.write(
            f"{named.number} {named.name}: {named.balance:,.2f} → {named.provision:,.2f}"
        )
    for label, amount in (
        (_("Required"), preview.required.total),
        (_("Existing"), preview.existing),
        (_("Difference"), preview.change),
    ):
        command.stdout.write(f"{label}: {amount:,.2f}")
    if not options["post"]:
        command.stdout.write(_("Nothing posted; run again with --post."))
        return
    try:
        run = provision_post(period=options["period"], actor=actor)
    except DomainError as exc:
        raise CommandError(str(exc.message), returncode=1) from exc
    command.stdout.write(
        _("Nothing to post: the provision is as required.")
        if run is None
        else _("Posted %(amount)s.") % {"amount": f"{run.change_amount:,.2f}"}
    )


def _statements_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--send-scheduled",
        action="store_true",
        required=True,
        help="send last month's statement to every customer on the monthly schedule",
    )
    parser.add_argument("--on", help="the day of the run (default: today); last month is before it")


def _statements(command: BaseCommand, options: dict[str, Any]) -> None:
    actor = cli.acting_user(options.get("as_user"))
    cli.permission_check(actor, lambda user: permission_require(user, "receivables.add_statement"))
    on = _date(options.get("on"))
    try:
        run = statements_send_scheduled(on=on, actor=actor)
    except DomainError as exc:
        raise CommandError(str(exc.message), returncode=1) from exc
    for customer, reason in run.failed:
        command.stderr.write(f"{customer.number} {customer.name}: {reason}")
    command.stdout.write(
        _("%(sent)s statements for %(start)s to %(end)s sent, %(failed)s could not be sent.")
        % {
            "sent": len(run.sent),
            "start": run.start_on.isoformat(),
            "end": run.end_on.isoformat(),
            "failed": len(run.failed),
        }
    )
    if run.failed:
        raise CommandError(
            _("%(count)s statements could not be sent.") % {"count": len(run.failed)},
            returncode=1,
        )


def _dunning_arguments(parser: CommandParser) -> None:
    parser.add_argument("--on", help="the day dunned (default: today)")
    parser.add_argument(
        "--dry-run", action="store_true", help="list who would get which letter; send nothing"
    )


def _dunning(command: BaseCommand, options: dict[str, Any]) -> None:
    actor = cli.acting_user(options.get("as_user"))
    cli.permission_check(actor, lambda user: permission_require(user, "receivables.run_dunning"))
    on = _date(options.get("on"))
    if options["dry_run"]:
        for due in dunning_preview(on=on, user=actor):
            if not due.is_due:
                continue
            command.stdout.write(
                f"{due.customer.number}\t{due.customer.name}\t{due.level.name}\t"
                f"{due.total_amount:,.2f}\t{due.email or '-'}\t"
                f"{SkipReason(due.skip_reason).label if due.skip_reason else _('write')}"
            )
        command.stdout.write(_("Dry run: nothing sent."))
        return
    try:
        run = dunning_run(on=on, actor=actor)
    except DomainError as exc:
        raise CommandError(str(exc.message), returncode=1) from exc
    command.stdout.write(
        _(
            "Dunning for %(on)s: %(sent)s letters sent, %(recorded)s recorded, %(skipped)s "
            "customers skipped, %(failed)s failed, %(tasks)s tasks, %(holds)s credit holds; "
            "promises to pay: %(kept)s kept, %(broken)s broken."
        )
        % {
            "on": on.isoformat(),
            "sent": run.letters_sent,
            "recorded": run.letters_recorded,
            "skipped": run.letters_skipped,
            "failed": run.letters_failed,
            "tasks": run.tasks_created,
            "holds": run.holds_placed,
            "kept": run.promises_kept,
            "broken": run.promises_broken,
        }
    )


def _schedule_arguments(parser: CommandParser) -> None:
    pass


def _schedule(command: BaseCommand, options: dict[str, Any]) -> None:
    at = daily_schedule()
    if at is None:
        command.stdout.write(
            _("The daily receivables run is scheduled already (or tasks run at once here).")
        )
        return
    command.stdout.write(
        _("The daily receivables run is scheduled for %(at)s.")
        % {"at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")}
    )


SUBCOMMANDS: dict[
    str,
    tuple[str, Callable[[CommandParser], None], Callable[[BaseCommand, dict[str, Any]], None]],
] = {
    "ageing": ("the receivables ageing as of a day, into an xlsx file", _ageing_arguments, _ageing),
    "auto-match": (
        "settle customers' open items automatically",
        _auto_arguments,
        _auto,
    ),
    "import-statement": (
        "import a bank statement file (dry run unless --commit)",
        _statement_arguments,
        _statement,
    ),
    "plan-reminders": (
        "e-mail contract owners their instalments coming due",
        _reminders_arguments,
        _reminders,
    ),
    "provision": (
        "the period-end bad-debt provision: required against existing (posted with --post)",
        _provision_arguments,
        _provision,
    ),
    "statements": (
        "send the monthly customer statements that are due",
        _statements_arguments,
        _statements,
    ),
    "dunning": (
        "run dunning (催款) for a day, or list it with --dry-run",
        _dunning_arguments,
        _dunning,
    ),
    "schedule": (
        "start the daily receivables run (dunning) in the background",
        _schedule_arguments,
        _schedule,
    ),
}


class Command(BaseCommand):
    help = (
        "Receivables: the ageing into xlsx, automatic settlement, bank statement import, "
        "payment plan reminders, the bad-debt provision, monthly customer statements, dunning and "
        "its daily schedule. "
        "Exit status: 0 done, "
        "1 refused (nothing recorded), 2 the options cannot be used."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, (help_text, arguments, _run) in SUBCOMMANDS.items():
            sub = actions.add_parser(name, help=help_text)
            arguments(sub)
            sub.add_argument("--user", "--as", dest="as_user", metavar="USERNAME")

    def handle(self, *args: Any, **options: Any) -> None:
        SUBCOMMANDS[options["action"]][2](self, options)
