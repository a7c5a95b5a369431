"""The message catalogues: the Simplified Chinese one is complete and keeps every placeholder,
the English one compiles, and pages come out in the language the browser asks for.

The pages are rendered with catalogues compiled here from the .po files, so the tests do not
depend on a prior `compilemessages` run (the .mo files are build output, not in git).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from gettext import GNUTranslations
from pathlib import Path

import pytest
from asgiref.local import Local
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.utils import translation
from django.utils.translation import trans_real

from tests.factories import CustomerFactory

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "suanpan" / "locale"
ZH_PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"

# %(name)s and positional %s / %d, as Python's % operator reads them; %% is a literal percent.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\((?P<name>\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcoa%]")
NAMED_PERCENT = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcoa]")
TEMPLATE_VARIABLE = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def _forms(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _label(message: Message) -> str:
    return _forms(message.id)[0]


def _placeholders(text: str, message: Message) -> Counter[str]:
    """Every placeholder in one string: named ones always, positional ones and %% only where
    the message is a python-format string (elsewhere a bare % is plain text)."""
    found: Counter[str] = Counter()
    if "python-format" in message.flags:
        found.update(m.group(0) for m in PERCENT_PLACEHOLDER.finditer(text))
    else:
        found.update(m.group(0) for m in NAMED_PERCENT.finditer(text))
    found.update(f"{{{{ {name} }}}}" for name in TEMPLATE_VARIABLE.findall(text))
    if "python-brace-format" in message.flags:
        found.update(f"{{{name}}}" for name in BRACE_PLACEHOLDER.findall(text))
    return found


def untranslated_messages(catalog: Catalog) -> list[str]:
    """Messages with an empty msgstr, or with any empty plural form."""
    return [
        _label(m) for m in catalog if m.id and (not _forms(m.string) or not all(_forms(m.string)))
    ]


def fuzzy_messages(catalog: Catalog) -> list[str]:
    fuzzy = [_label(m) for m in catalog if m.id and m.fuzzy]
    if catalog.fuzzy:
        fuzzy.insert(0, "<header>")
    return fuzzy


def placeholder_mismatches(catalog: Catalog) -> list[tuple[str, str, dict, dict]]:
    """(msgid, form, placeholders of the source, placeholders of the translation) wherever
    they differ. Every form of a plural message is held to the plural msgid: with one plural
    form (Chinese) the only form serves every count, so it must carry the count too."""
    mismatches = []
    for m in catalog:
        if not m.id:
            continue
        ids = _forms(m.id)
        source = ids[-1]
        for index, form in enumerate(_forms(m.string)):
            if not form:
                continue
            expected = _placeholders(source, m)
            got = _placeholders(form, m)
            if expected != got:
                mismatches.append((ids[0], f"msgstr[{index}]", dict(expected), dict(got)))
    return mismatches


def plural_form_count_errors(catalog: Catalog) -> list[tuple[str, int]]:
    return [
        (_label(m), len(_forms(m.string)))
        for m in catalog
        if m.id and m.pluralizable and len(_forms(m.string)) != catalog.num_plurals
    ]


def _compile(catalog: Catalog) -> GNUTranslations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return GNUTranslations(buffer)


# The real catalogues ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zh_catalog() -> Catalog:
    return _read(ZH_PO)


def test_zh_hans_catalogue_translates_every_message_when_read(zh_catalog):
    assert len(zh_catalog) > 0
    assert untranslated_messages(zh_catalog) == []


def test_zh_hans_catalogue_has_no_fuzzy_entry_when_read(zh_catalog):
    assert fuzzy_messages(zh_catalog) == []


def test_zh_hans_catalogue_keeps_every_placeholder_when_translated(zh_catalog):
    assert placeholder_mismatches(zh_catalog) == []


def test_zh_hans_catalogue_fills_one_plural_form_when_message_is_plural(zh_catalog):
    assert zh_catalog.num_plurals == 1
    assert plural_form_count_errors(zh_catalog) == []


def test_zh_hans_catalogue_translates_counted_message_when_compiled(zh_catalog):
    compiled = _compile(zh_catalog)
    for count in (1, 2, 25):
        text = compiled.ngettext("%(counter)s record", "%(counter)s records", count)
        assert text % {"counter": count} == f"共 {count} 条记录"


def test_en_catalogue_lists_the_same_messages_when_compared_with_zh_hans(zh_catalog):
    en_catalog = _read(EN_PO)
    assert {_label(m) for m in en_catalog if m.id} == {_label(m) for m in zh_catalog if m.id}


def test_en_catalogue_compiles_to_source_text_when_written_as_mo():
    en_catalog = _read(EN_PO)
    assert not en_catalog.fuzzy
    assert en_catalog.num_plurals == 2
    compiled = _compile(en_catalog)
    assert compiled.gettext("Customers") == "Customers"
    assert (
        compiled.ngettext("%(counter)s record", "%(counter)s records", 2) == "%(counter)s records"
    )


# The checks themselves catch what they are for ---------------------------------------------


def _catalog(*messages: Message, num_plurals: int = 1) -> Catalog:
    catalog = Catalog(locale="zh_Hans", fuzzy=False)
    catalog._num_plurals = num_plurals
    catalog._plural_expr = "0"
    for message in messages:
        catalog[message.id] = message
    return catalog


def test_placeholder_check_reports_message_when_translation_renames_a_placeholder():
    catalog = _catalog(
        Message("Customer %(name)s created.", "已创建客户 %(nom)s。", flags=["python-format"]),
        Message("%(start)s–%(end)s of %(total)s", "共 %(total)s 条", flags=["python-format"]),
        Message("{{ counter }} day", "{{ count }} 天"),
        Message("Merged into %(number)s", "已合并到 %(number)s", flags=["python-format"]),
    )
    assert [m[0] for m in placeholder_mismatches(catalog)] == [
        "Customer %(name)s created.",
        "%(start)s–%(end)s of %(total)s",
        "{{ counter }} day",
    ]


def test_placeholder_check_reports_plural_when_only_form_drops_the_count():
    catalog = _catalog(
        Message(
            ("%(counter)s record", "%(counter)s records"), ("一条记录",), flags=["python-format"]
        )
    )
    assert placeholder_mismatches(catalog) == [
        ("%(counter)s record", "msgstr[0]", {"%(counter)s": 1}, {})
    ]


def test_untranslated_check_reports_message_when_msgstr_or_plural_form_is_empty():
    catalog = _catalog(
        Message("Save", ""),
        Message(("%(days)s day", "%(days)s days"), ("",), flags=["python-format"]),
        Message("Cancel", "取消"),
    )
    assert untranslated_messages(catalog) == ["Save", "%(days)s day"]


def test_fuzzy_check_reports_message_when_flagged_fuzzy():
    catalog = _catalog(Message("Merge", "合并", flags=["fuzzy"]), Message("Edit", "编辑"))
    assert fuzzy_messages(catalog) == ["Merge"]


# Pages in the browser's language -------------------------------------------------------------


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every catalogue under src/suanpan/locale, compiled into a directory of its own."""
    root = tmp_path_factory.mktemp("locale")
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po")):
        target = root / po.relative_to(LOCALE_DIR).with_suffix(".mo")
        target.parent.mkdir(parents=True)
        with target.open("wb") as f:
            write_mo(f, _read(po))
    return root


def _forget_translations() -> None:
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()
    # Which languages have a catalogue is cached too (Django 5.2: translation_catalog_exists).
    for name in ("translation_catalog_exists", "check_for_language"):
        cache_clear = getattr(getattr(trans_real, name, None), "cache_clear", None)
        if cache_clear is not None:
            cache_clear()


@pytest.fixture
def freshly_compiled_translations(settings, compiled_locale: Path) -> Iterator[None]:
    settings.LOCALE_PATHS = [str(compiled_locale)]
    _forget_translations()
    yield
    translation.deactivate()
    _forget_translations()


def test_customer_list_speaks_chinese_when_browser_asks_for_zh_cn(
    client, sales_user, freshly_compiled_translations
):
    client.force_login(sales_user)
    response = client.get("/customers/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    html = response.content.decode()
    assert "<title>客户 · 算盘</title>" in html
    assert "暂无客户。" in html
    assert "工作台" in html
    assert "Customers" not in html
    assert "No customers yet." not in html


def test_customer_list_counts_records_in_chinese_when_browser_asks_for_zh_cn(
    client, sales_user, freshly_compiled_translations
):
    CustomerFactory(owner=sales_user)
    client.force_login(sales_user)
    response = client.get("/customers/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    html = response.content.decode()
    assert "共 1 条记录" in html
    assert "负责人" in html


def test_customer_list_speaks_english_when_browser_asks_for_en(
    client, sales_user, freshly_compiled_translations
):
    client.force_login(sales_user)
    response = client.get("/customers/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert "<title>Customers · Suanpan</title>" in html
    assert "No customers yet." in html
    assert "客户" not in html
    assert "工作台" not in html
