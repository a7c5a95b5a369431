"""`suanpan token create USERNAME`: an API token for a user (a script, an integration), printed
once; only its hash is kept, so a lost token is revoked on the profile page and made anew.

Exit status: 0 done; 2 no such active user.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from suanpan.users.models import User
from suanpan.users.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it once. Exit status: 0 done, 2 no such user."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        creating = actions.add_parser("create", help="create a token and print it once")
        creating.add_argument("username")
        creating.add_argument(
            "--name", default="cli", help="what the token is for, shown on the profile page"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(
                _("There is no active user “%(name)s”.") % {"name": options["username"]},
                returncode=2,
            )
        token, key = api_token_create(user=user, name=options["name"][:100])
        self.stderr.write(
            _("Token “%(name)s” for %(user)s; it is shown only this once:")
            % {"name": token.name, "user": user.username}
        )
        self.stdout.write(key)  # alone on stdout, so a script can capture it
