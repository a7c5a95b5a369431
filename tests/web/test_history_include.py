"""The one change-history block every document page includes (web/includes/history.html)."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import timezone, translation


def _entry(kind: str, *, changes=(), subject: str = "") -> SimpleNamespace:
    return SimpleNamespace(
        at=timezone.make_aware(datetime(2026, 3, 4, 9, 30)),
        user="张会计",
        type=kind,
        subject=subject,
        changes=[SimpleNamespace(field=f, old=o, new=n) for f, o, n in changes],
    )


def _render(**context: object) -> str:
    with translation.override("en"):
        return " ".join(render_to_string("web/includes/history.html", context).split())


def test_each_entry_says_who_when_and_what_changed():
    html = _render(
        history=[
            _entry("~", changes=[("Amount", "100.00", "120.00"), ("Notes", "", "late")]),
            _entry("~"),
            _entry("-", subject="Line 2"),
            _entry("+"),
        ]
    )

    assert "2026-03-04 09:30" in html
    assert "张会计: Amount 100.00 → 120.00; Notes — → late" in html
    assert "张会计: saved" in html
    assert "张会计: Line 2 deleted" in html
    assert html.count("created") == 1
    assert 'aria-labelledby="history-heading"' in html


def test_a_record_of_something_that_happened_reads_recorded():
    html = _render(history=[_entry("+")], recorded=True)

    assert "recorded" in html
    assert "created" not in html


def test_an_empty_history_says_so():
    assert "No changes recorded." in _render(history=[])
