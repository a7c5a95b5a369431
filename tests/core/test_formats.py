"""One date format per language for display (suanpan/formats); input parsing untouched."""

from datetime import date

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

DAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("language", "long"), [("zh-hans", "2026年12月2日"), ("en", "2 December 2026")]
)
def test_dates_print_short_as_iso_and_long_in_the_language(language: str, long: str) -> None:
    with translation.override(language):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "2026-12-02"
        assert Template("{{ day|date }}|{{ day }}").render(Context({"day": DAY})) == (
            f"{long}|{long}"
        )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_date_fields_still_parse_iso_dates(language: str) -> None:
    with translation.override(language):
        assert forms.DateField().clean("2026-12-02") == DAY
