"""A list's search form replaces its results: the partial the view answers holds the
`<div id="results">` wrapper, so swapping it into the old one's inside would nest a second
element with the same id on every search."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import CustomerFactory, UserFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "suanpan"
TARGETS_RESULTS = re.compile(r"<[^>]*hx-target=\"#results\"[^>]*>")


def test_every_element_that_targets_the_results_swaps_them_whole():
    found = []
    for template in SRC.glob("*/templates/**/*.html"):
        for tag in TARGETS_RESULTS.findall(template.read_text(encoding="utf-8")):
            found.append((template.relative_to(SRC), 'hx-swap="outerHTML"' in tag))

    # The list skeleton and the lists not built on it yet.
    assert Path("web/templates/web/list_page.html") in [name for name, _swaps in found]
    assert [name for name, swaps_whole in found if not swaps_whole] == []


@pytest.mark.django_db
def test_a_search_answers_the_results_with_their_wrapper_once():
    user = UserFactory(is_superuser=True)
    CustomerFactory(name="上海测试客户", owner=user)
    client = Client()
    client.force_login(user)

    html = client.get("/customers/?q=上海", headers={"HX-Request": "true"}).text

    assert html.count('id="results"') == 1
    assert html.lstrip().startswith('<div id="results">')
