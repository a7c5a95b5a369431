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


def _option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


@pytest.mark.parametrize(
    ("cpus", "workers"), [(1, "3"), (2, "5"), (4, "9"), (64, "12"), (None, "3")]
)
def test_serve_runs_two_workers_per_cpu_and_one_more_up_to_a_cap(cpus, workers):
    command = cli.serve_command({}, cpu_count=cpus)
    assert command[1:4] == ["-m", "gunicorn", "suanpan.wsgi:application"]
    assert _option(command, "--workers") == workers
    assert _option(command, "--bind") == "127.0.0.1:8000"
    assert _option(command, "--threads") == "4"
    assert _option(command, "--timeout") == "60"


def test_serve_takes_its_settings_from_the_environment_and_passes_the_rest_on():
    env = {
        "SUANPAN_BIND": "0.0.0.0:9000",
        "SUANPAN_WORKERS": "3",
        "SUANPAN_THREADS": "8",
        "SUANPAN_TIMEOUT": "120",
    }
    command = cli.serve_command(env, cpu_count=16, extra=["--log-level", "debug"])
    assert _option(command, "--bind") == "0.0.0.0:9000"
    assert _option(command, "--workers") == "3"
    assert _option(command, "--threads") == "8"
    assert _option(command, "--timeout") == "120"
    assert command[-2:] == ["--log-level", "debug"]


def test_serve_replaces_the_process_with_gunicorn(monkeypatch):
    started = []
    monkeypatch.setattr(cli.os, "execv", lambda path, argv: started.append(argv))
    cli.main(["serve", "--check-config"])
    assert started and started[0][2] == "gunicorn" and started[0][-1] == "--check-config"


def test_gunicorn_is_installed_with_the_app():
    """Operators run what was tested: the server comes with `pip install suanpan`."""
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert any(d.startswith("gunicorn") for d in project["project"]["dependencies"])
