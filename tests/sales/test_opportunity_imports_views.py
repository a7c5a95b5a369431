"""The opportunity import page and `suanpan sales import`: preview, confirm, exit codes."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from suanpan.sales.models import Opportunity
from suanpan.users.models import User
from tests.factories import CustomerFactory
from tests.sales.test_opportunity_imports_services import csv_file

pytestmark = pytest.mark.django_db

URL = "/sales/opportunities/import/"


@pytest.fixture(autouse=True)
def _uploads(settings: Any, tmp_path: Path) -> None:
    settings.IMPORT_UPLOAD_DIR = tmp_path / "imports"


@pytest.fixture
def good_file(manager: User) -> bytes:
    CustomerFactory(owner=manager, name="甲公司")
    return csv_file(
        [
            ["X-1", "ERP", "甲公司", "100", "2026-12-31", "赢单", "", "2024-06-30", ""],
            ["X-2", "CRM", "甲公司", "200", "2026-12-31", "", "", "", ""],
        ]
    )


def test_import_page_previews_then_commits_and_the_list_links_to_it(
    signed_in: Callable[[User], Client], manager: User, good_file: bytes
) -> None:
    client = signed_in(manager)

    assert URL in client.get("/sales/opportunities/").content.decode()
    preview = client.post(
        URL, {"action": "preview", "file": SimpleUploadedFile("商机.csv", good_file)}
    )
    assert preview.status_code == 200, preview.content.decode()
    assert not Opportunity.objects.exists()
    done = client.post(URL, {"action": "commit", "token": preview.context["token"]})

    assert done.status_code == 302
    assert sorted(Opportunity.objects.values_list("external_ref", flat=True)) == ["X-1", "X-2"]


def test_import_page_is_refused_without_permission(
    signed_in: Callable[[User], Client], make_user: Any
) -> None:
    assert signed_in(make_user()).get(URL).status_code == 403


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("sales", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_cli_dry_run_then_commit_then_the_same_file_again(
    manager: User, good_file: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "商机.csv"
    path.write_bytes(good_file)

    dry = run("import", str(path), "--as", manager.username)
    assert "2 new opportunities" in dry
    assert not Opportunity.objects.exists()
    run("import", str(path), "--commit", "--as", manager.username)
    again = run("import", str(path), "--commit", "--as", manager.username)

    assert "0 opportunities created, 0 updated, 2 unchanged" in again
    assert Opportunity.objects.count() == 2


def test_cli_exits_1_on_row_errors(manager: User, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file([["", "x", "没有这个客户", "1", "2026-12-31", "", "", "", ""]]))

    with pytest.raises(CommandError) as info:
        run("import", str(path), "--commit", "--as", manager.username)

    assert info.value.returncode == 1
    assert not Opportunity.objects.exists()
