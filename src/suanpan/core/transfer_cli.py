"""What every `import` / `export` command shares: whom it acts as, how it reads a file and
reports a dry run, and how it writes an export without leaving half a file behind.

Exit status: 0 done; 1 the file has errors and nothing was imported; 2 the command cannot run
(unreadable file, unknown user, missing permission, bad filter).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_filters import FilterSet
from tqdm import tqdm

from suanpan.core.errors import DomainError
from suanpan.core.spreadsheet_imports import ImportInvalid, ImportReport
from suanpan.core.spreadsheets import (
    ENCODINGS,
    FORMATS,
    MAX_BYTES,
    Format,
    Sheet,
    SpreadsheetInvalid,
    sheet_read,
)

EXIT_ERRORS = 1
EXIT_UNUSABLE = 2


def unusable(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_UNUSABLE)


def as_argument(parser: CommandParser, help: str | None = None) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help=help
        or "act as this user, with their permissions (default: the first active superuser)",
    )


def acting_user(username: str | None) -> Any:
    """The user a command acts as: --as USERNAME, else the first active superuser."""
    users = get_user_model()._default_manager
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise unusable(_("There is no user “%(name)s”.") % {"name": username})
        if not user.is_active:
            raise unusable(_("The user “%(name)s” is deactivated.") % {"name": username})
        return user
    user = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise unusable(_("There is no active superuser to act as; name a user with --as."))
    return user


def active_user(username: str, option: str) -> Any:
    """The active user an option names (--owner USERNAME)."""
    user = get_user_model()._default_manager.filter(username=username, is_active=True).first()
    if user is None:
        raise unusable(
            _("%(option)s: there is no active user “%(name)s”.")
            % {"option": option, "name": username}
        )
    return user


def progress(total: int, unit: str) -> tqdm[Any]:
    # tqdm draws only on a terminal (disable=None), so logs and tests stay clean.
    return tqdm(total=total, unit=unit, disable=None, file=sys.stderr, leave=False)


def permission_check(actor: Any, require: Callable[[Any], None]) -> None:
    """Refuse to run (exit 2) when the acting user may not do this at all."""
    try:
        require(actor)
    except DomainError as exc:
        raise unusable(f"{actor.username}: {exc.message}") from exc


def encoding_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--encoding",
        choices=list(ENCODINGS),
        help="a CSV file's encoding, when it is not UTF-8 and cannot be told for sure "
        "(default: detected)",
    )


def import_arguments(parser: CommandParser, *, commit_help: str) -> None:
    """What every spreadsheet import takes: the file, `--commit` (without it a dry run) and
    `--encoding`."""
    parser.add_argument("file", help="the .xlsx or .csv file")
    parser.add_argument("--commit", action="store_true", help=commit_help)
    encoding_argument(parser)


def sheet_open(path: Path, *, encoding: str | None = None) -> Sheet:
    """The file's sheet; a missing or unreadable file stops the command (exit 2)."""
    if not path.is_file():
        raise unusable(_("No such file: %(path)s") % {"path": path})
    try:
        with path.open("rb") as handle:
            return sheet_read(handle, filename=path.name, max_bytes=MAX_BYTES, encoding=encoding)
    except SpreadsheetInvalid as exc:
        raise unusable(f"{path.name}: {exc.message}") from exc


def sheet_validate(
    path: Path, sheet: Sheet, validate: Callable[[Callable[[int], object]], Any]
) -> Any:
    """Check every row (with a progress bar); a file unusable as a whole stops the command."""
    try:
        with progress(len(sheet.rows), "rows") as bar:
            return validate(bar.update)
    except SpreadsheetInvalid as exc:
        raise unusable(f"{path.name}: {exc.message}") from exc


def report_write(command: BaseCommand, report: ImportReport, summary: str) -> None:
    """The dry run's findings: ignored columns, every error, then `summary`; exit 1 on errors."""
    if report.ignored_columns:
        command.stderr.write(
            _("Ignored columns: %(columns)s") % {"columns": ", ".join(report.ignored_columns)}
        )
    for error in report.errors:
        command.stdout.write(str(error))
    command.stdout.write(summary)
    if not report.ok:
        raise CommandError(
            ngettext(
                "%(count)s error; nothing was imported.",
                "%(count)s errors; nothing was imported.",
                len(report.errors),
            )
            % {"count": len(report.errors)},
            returncode=EXIT_ERRORS,
        )


def commit_refused(command: BaseCommand, exc: ImportInvalid) -> CommandError:
    """The file no longer fits at commit: list where, exit 1."""
    for error in exc.errors:
        command.stdout.write(str(error))
    return CommandError(exc.message, returncode=EXIT_ERRORS)


def spreadsheet_import(
    command: BaseCommand,
    options: Mapping[str, Any],
    *,
    actor: Any,
    permission_require: Callable[[Any], None],
    validate: Callable[[Sheet, str, Callable[[int], object]], Any],
    summary: Callable[[Any], str],
    commit: Callable[[Any], Any],
    committed: Callable[[Any, Any], str],
    dry_run: Callable[[Any], str] | None = None,
) -> None:
    """One import command's run: check the permission, read and validate the file, report it,
    then save it with `--commit` (all or none) or say it was a dry run.

    `validate(sheet, filename, progress)` gives the report, `summary(report)` its counts,
    `commit(report)` saves it and `committed(result, report)` words what it saved.
    """
    permission_check(actor, permission_require)
    path = Path(options["file"])
    sheet = sheet_open(path, encoding=options["encoding"])
    report = sheet_validate(path, sheet, lambda progress: validate(sheet, path.name, progress))
    report_write(command, report, summary(report))
    if not options["commit"]:
        command.stdout.write(
            dry_run(report)
            if dry_run
            else _("Dry run: nothing was saved. Run again with --commit to save.")
        )
        return
    try:
        result = commit(report)
    except ImportInvalid as exc:
        raise commit_refused(command, exc) from exc
    command.stdout.write(command.style.SUCCESS(committed(result, report)))


def export_format(path: Path, chosen: str | None) -> Format:
    if chosen:
        return chosen  # type: ignore[return-value]
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise unusable(_("Name the file .xlsx or .csv, or choose --format."))


def export_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", help="the file to write (.xlsx or .csv); replaced if it exists")
    parser.add_argument(
        "--format", choices=FORMATS, help="xlsx or csv (default: from the file name)"
    )


def ordering_argument(group: Any, sorts: tuple[tuple[str, str], ...]) -> None:
    orderings = [name for _field, name in sorts]
    group.add_argument("--ordering", choices=[*orderings, *(f"-{name}" for name in orderings)])


def filters_require_valid(filterset: FilterSet) -> None:
    """Refuse bad filters (exit 2), each named as its option."""
    if not filterset.is_valid():
        problems = "; ".join(
            f"--{name.replace('_', '-')}: {' '.join(messages)}"
            for name, messages in filterset.errors.items()
        )
        raise unusable(problems)


def filters_from(options: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: options[name] for name in names if options.get(name)}


def export_write(
    path: Path,
    *,
    fmt: Format,
    total: int,
    unit: str,
    write: Callable[[IO[bytes], Callable[[int], object]], Any],
) -> Any:
    """Write next to the target and rename, so a failed export leaves no half-written file;
    returns what `write(stream, progress)` returns."""
    if not path.parent.is_dir():
        raise unusable(_("No such folder: %(path)s") % {"path": path.parent})
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=f".{fmt}.part")
    try:
        with os.fdopen(descriptor, "wb") as handle, progress(total, unit) as bar:
            result = write(handle, bar.update)
        Path(temporary).replace(path)
    except DomainError as exc:
        raise unusable(exc.message) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            Path(temporary).unlink()
    return result
