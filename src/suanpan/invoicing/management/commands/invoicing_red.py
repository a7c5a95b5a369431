"""`suanpan invoicing_red expire-red-forms`: red-letter forms not confirmed within 72 hours
lapse (status 07), as the tax platform voids them. Meant for a scheduled job (hourly).

Exit status: 0 done; 2 the command cannot run (bad option).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suanpan.invoicing.services import red_forms_expire

EXIT_UNUSABLE = 2


class Command(BaseCommand):
    help = "Red-letter forms: lapse the pending ones past their 72 hours."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        expire = commands.add_parser(
            "expire-red-forms", help="Void (07) the pending forms not confirmed in 72 hours."
        )
        expire.add_argument(
            "--now",
            help="The moment to compare with, ISO 8601 (default: now); for catching up.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options.get("now"):
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(
                    _("“%(value)s” is not a date and time.") % {"value": options["now"]},
                    returncode=EXIT_UNUSABLE,
                ) from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        count = red_forms_expire(now=now)
        self.stdout.write(
            ngettext(
                "%(count)d red-letter form lapsed.", "%(count)d red-letter forms lapsed.", count
            )
            % {"count": count}
        )
