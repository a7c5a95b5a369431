"""`suanpan admin create USERNAME`: the first administrator of a new installation, without a
prompt when the password comes from the environment (scripts, containers); `suanpan admin hint`
says how to create one while there is none (`make migrate` prints it).

A migration never creates a login: a production database must not start with a known password.

Exit status: 0 done; 2 the user exists already or the password is refused.
"""

from __future__ import annotations

import getpass
import os
import secrets
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import user_create

PASSWORD_VARIABLES = ("SUANPAN_ADMIN_PASSWORD", "DJANGO_SUPERUSER_PASSWORD")


class Command(BaseCommand):
    help = (
        "Create an administrator (superuser with the administrator role), or say how to "
        "when there is none. Exit status: 0 done, 2 the user exists or the password is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        creating = actions.add_parser(
            "create",
            help="create an administrator; the password comes from SUANPAN_ADMIN_PASSWORD, a "
            "prompt on a terminal, or is generated and printed once",
        )
        creating.add_argument("username")
        creating.add_argument("--email", default="")
        creating.add_argument("--display-name", default="")
        actions.add_parser("hint", help="say how to create an administrator while there is none")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "hint":
            self._hint()
        else:
            self._create(options)

    def _hint(self) -> None:
        if User.objects.filter(is_superuser=True, is_active=True).exists():
            return
        self.stdout.write(
            _(
                "There is no administrator yet. Create one with:\n"
                "  suanpan admin create USERNAME --email you@example.com\n"
                "(set SUANPAN_ADMIN_PASSWORD to run without a prompt), or load the demo data "
                "with `make demo`."
            )
        )

    def _create(self, options: dict[str, Any]) -> None:
        username = options["username"].strip()
        if User.objects.filter(username=username).exists():
            raise CommandError(
                _("There is a user “%(name)s” already.") % {"name": username}, returncode=2
            )
        password, generated = self._password()
        candidate = User(username=username, email=options["email"])
        try:
            validate_password(password, user=candidate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from exc
        with transaction.atomic():
            user_create(
                username=username,
                password=password,
                roles=[Role.ADMINISTRATOR],
                display_name=options["display_name"],
                email=options["email"],
            )
        self.stdout.write(
            self.style.SUCCESS(_("Administrator “%(name)s” created.") % {"name": username})
        )
        if generated:
            self.stdout.write(
                _("Password (shown once; change it after signing in): %(password)s")
                % {"password": password}
            )

    def _password(self) -> tuple[str, bool]:
        for variable in PASSWORD_VARIABLES:
            if os.environ.get(variable):
                return os.environ[variable], False
        if sys.stdin.isatty():
            first = getpass.getpass(_("Password: "))
            if first != getpass.getpass(_("Password (again): ")):
                raise CommandError(_("The passwords differ."), returncode=2)
            return first, False
        return secrets.token_urlsafe(18), True
