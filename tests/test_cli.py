import os

import pytest

from suanpan import cli


def test_cli_maps_short_verbs_to_management_commands_when_called(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: calls.append(argv)
    )
    cli.main(["import", "customers", "file.xlsx"])
    cli.main(["export", "customers", "out.csv"])
    cli.main(["migrate", "--no-input"])
    assert calls == [
        ["suanpan", "import_data", "customers", "file.xlsx"],
        ["suanpan", "export_data", "customers", "out.csv"],
        ["suanpan", "migrate", "--no-input"],
    ]


@pytest.mark.parametrize(("verb", "debug"), [("run", "1"), ("migrate", None)])
def test_cli_turns_on_debug_only_when_running_the_development_server(monkeypatch, verb, debug):
    monkeypatch.setenv("DEBUG", "")  # recorded, so the test restores the environment
    monkeypatch.delenv("DEBUG")
    monkeypatch.setattr("django.core.management.execute_from_command_line", lambda argv: None)
    cli.main([verb])
    assert os.environ.get("DEBUG") == debug
