"""Headers every answer carries: the Content-Security-Policy everywhere, and no caching of
what a signed-in user sees; kept database connections are checked before use."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.signals import request_started
from django.db import connection
from django.test import Client

from suanpan.users.models import User

pytestmark = pytest.mark.django_db
TEMPLATES = Path(settings.BASE_DIR)


def test_pages_carry_a_policy_that_refuses_inline_script(
    login: Callable[[User], Client], sales_user: User
) -> None:
    response = login(sales_user).get("/customers/")
    policy = response["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]*)", policy)
    assert script is not None
    assert "'unsafe-inline'" not in script.group(1) and "'unsafe-eval'" not in script.group(1)
    assert "frame-ancestors 'none'" in policy


def test_no_template_has_inline_script_the_policy_would_block() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+=\"")
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("templates/**/*.html")
        if inline.search(path.read_text())
    ]
    assert offenders == []


def test_what_a_signed_in_user_sees_is_not_cached(
    login: Callable[[User], Client], sales_user: User, sales: Client
) -> None:
    page = login(sales_user).get("/customers/")
    api = sales.get("/api/v1/customers")
    for response in (page, api):
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives


def test_answers_to_anonymous_visitors_carry_the_policy_too(client: Client) -> None:
    assert client.get("/login/")["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    api = client.get("/api/v1/customers")
    assert api.status_code == 401
    assert "no-store" not in api.get("Cache-Control", "")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_database_dropped_is_replaced_when_the_next_request_starts() -> None:
    """A database restart ends every kept connection; with health checks the next request
    opens a new one instead of answering 500 (20 of 80 requests did before)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    killer = connection.get_new_connection(connection.get_connection_params())
    try:
        killer.autocommit = True
        killer.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        killer.close()

    request_started.send(sender=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
