"""CSV encodings: UTF-8 and BOMs as they are, GB18030 and Windows-1252 detected, unsure refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from suanpan.core.spreadsheets import SpreadsheetInvalid, sheet_read

DATA = Path(__file__).resolve().parent.parent / "data" / "customers"


def names(data: bytes, encoding: str | None = None) -> list[str]:
    sheet = sheet_read(data, filename="file.csv", encoding=encoding)
    return [row.cells[0] for row in sheet.rows]


def test_a_windows_1252_file_reads_as_such_not_as_gb18030() -> None:
    data = (DATA / "cp1252.csv").read_bytes()
    data.decode("gb18030")  # the trap: it decodes, into mojibake

    assert names(data) == [
        "Müller Maschinenbau GmbH",
        "Bäcker & Söhne KG",
        "Großhandel Österreich AG",
    ]


@pytest.mark.parametrize("name", ["gb18030.csv", "gb18030_names.csv"])
def test_gb18030_files_of_chinese_names_read_as_gb18030(name: str) -> None:
    expected = (DATA / name).read_bytes().decode("gb18030").splitlines()[1].split(",")[0]

    assert names((DATA / name).read_bytes())[0] == expected


def test_utf8_without_bom_is_read_before_any_guessing() -> None:
    assert names("name\nMüller\n北京\n".encode()) == ["Müller", "北京"]


def test_a_file_the_detector_cannot_place_is_refused_naming_its_guess() -> None:
    """Russian in Windows-1251 is neither Chinese nor Western: refused, not shown as mojibake."""
    data = "Клиент\nОбщество с ограниченной ответственностью Ромашка\nИванов Иван\n".encode(
        "cp1251"
    )

    with pytest.raises(SpreadsheetInvalid, match="cannot be told for sure") as info:
        names(data)

    assert "cp1251" in info.value.message
    assert "CSV UTF-8" in info.value.message


def test_the_encoding_named_by_the_user_wins() -> None:
    data = "Клиент\nИванов\n".encode("cp1251")
    latin = "name\nRenée\n".encode("cp1252")

    assert names(latin, "cp1252") == ["Renée"]
    with pytest.raises(SpreadsheetInvalid, match="cannot be read as UTF-8"):
        names(data, "utf-8")
    with pytest.raises(SpreadsheetInvalid, match="Unknown encoding"):
        names(latin, "koi8-r")
