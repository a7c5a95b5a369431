"""A fresh installation: common tax categories, the first administrator, API tokens from the CLI."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from suanpan.catalog.models import TaxCategory
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import api_token_authenticate

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_migrated_database_has_the_common_tax_categories() -> None:
    categories = {c.code: c for c in TaxCategory.objects.all()}

    assert categories["3040201010000000000"].name == "软件开发服务"
    assert categories["3040201010000000000"].vat_rate_key == "6"
    assert categories["1090511030000000000"].vat_rate_key == "13"
    assert categories["3010102020000000000"].vat_rate_key == "9"
    assert all(len(code) == 19 and code.isdigit() for code in categories)


def test_admin_create_takes_the_password_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("SUANPAN_ADMIN_PASSWORD", "Lang-und-sicher-2026")

    out, _err = run("admin", "create", "boss", "--email", "boss@example.com")

    user = User.objects.get(username="boss")
    assert (user.is_superuser, user.is_staff, user.email) == (True, True, "boss@example.com")
    assert user.groups.filter(name=Role.ADMINISTRATOR).exists()
    assert user.check_password("Lang-und-sicher-2026")
    assert "Lang-und-sicher-2026" not in out


def test_admin_create_without_a_password_generates_one_and_prints_it_once(monkeypatch) -> None:
    for variable in ("SUANPAN_ADMIN_PASSWORD", "DJANGO_SUPERUSER_PASSWORD"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO())  # not a terminal: no prompt

    out, _err = run("admin", "create", "boss")

    password = out.strip().rsplit(" ", 1)[-1]
    assert User.objects.get(username="boss").check_password(password)


def test_admin_create_refuses_a_taken_name_and_a_weak_password(monkeypatch) -> None:
    User.objects.create(username="boss")
    monkeypatch.setenv("SUANPAN_ADMIN_PASSWORD", "123")

    with pytest.raises(CommandError) as taken:
        run("admin", "create", "boss")
    with pytest.raises(CommandError) as weak:
        run("admin", "create", "other")

    assert (taken.value.returncode, weak.value.returncode) == (2, 2)
    assert not User.objects.filter(username="other").exists()


def test_admin_hint_speaks_only_while_there_is_no_administrator(make_user) -> None:
    assert "suanpan admin create" in run("admin", "hint")[0]
    make_user(Role.ADMINISTRATOR, is_superuser=True)

    assert run("admin", "hint")[0] == ""


def test_token_create_prints_a_key_that_signs_in_as_the_user(make_user) -> None:
    user = make_user(Role.SALES, username="script")

    out, err = run("token", "create", "script", "--name", "ERP sync")

    assert api_token_authenticate(key=out.strip()) == user
    assert "ERP sync" in err and out.strip() not in err
    with pytest.raises(CommandError) as missing:
        run("token", "create", "nobody")
    assert missing.value.returncode == 2
