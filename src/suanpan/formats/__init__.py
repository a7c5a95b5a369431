"""How dates and numbers are shown, one set of formats per language (FORMAT_MODULE_PATH).

Only display formats live here: Django's own input formats still parse what people type, and
date inputs always carry ISO dates. Tables print the short format (2026-12-02 in both
languages, the pattern the templates spell out), `|date` without an argument and localized
values the long one (2026年12月2日), and change history the short one.
"""
