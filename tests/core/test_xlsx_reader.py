"""The lean xlsx reader: typed cells as openpyxl gives them, dates from the cell's number format,
and the workbooks openpyxl itself misreads (East Asian built-in date formats)."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from suanpan.core.spreadsheets import SpreadsheetInvalid, sheet_read
from suanpan.core.xlsx_reader import Book, WorkbookUnreadable

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _saved(workbook: Workbook) -> bytes:
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _handmade(
    sheet_data: str, *, num_fmt_ids: tuple[int, ...] = (0,), chart_first: bool = False
) -> bytes:
    """A minimal workbook as a Chinese Excel writes one: built-in formats named by id only."""
    xfs = "".join(f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0"/>' for i in num_fmt_ids)
    chart_sheet = '<sheet name="图表" sheetId="2" r:id="rId2"/>' if chart_first else ""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"/>',
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'{chart_sheet}<sheet name="流水" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/chartsheet" Target="chartsheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'<?xml version="1.0"?><styleSheet xmlns="{_MAIN}">'
            f'<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(num_fmt_ids)}">{xfs}</cellXfs></styleSheet>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0"?><worksheet xmlns="{_MAIN}"><sheetData>{sheet_data}'
            "</sheetData></worksheet>"
        ),
    }
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return stream.getvalue()


def test_typed_rows_equal_what_openpyxl_reads_for_every_kind_of_cell():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["日期", "时间", "金额", "整数", "大数", "是否", "摘要", "时长"])
    sheet.append(
        [
            datetime.date(2026, 11, 3),
            datetime.datetime(2026, 11, 3, 14, 5, 9),
            1234.56,
            -7,
            12345678901234567890,
            True,
            "  货款 ",
            datetime.timedelta(hours=30, minutes=15),
        ]
    )
    sheet.append([datetime.time(9, 30), None, 0.1, 0, None, False, "=SUM(1,2)", None])
    sheet["A3"].number_format = "h:mm"
    sheet["H2"].number_format = "[h]:mm:ss"
    sheet["B2"].number_format = 'yyyy"年"m"月"d"日" hh:mm'
    data = _saved(workbook)
    expected = [
        (row[0].row, tuple(cell.value for cell in row))
        for row in load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        ).active.iter_rows()
    ]

    book = Book(data)
    got = list(book.rows(book.sheetnames[0], typed=True))

    assert len(got) == len(expected) == 3
    for (number, cells), (expected_number, expected_cells) in zip(got, expected, strict=True):
        assert number == expected_number
        assert cells == expected_cells[: len(cells)]
        assert not any(expected_cells[len(cells) :])  # the reader ends a row at its last value
    assert got[1][1][0] == datetime.datetime(2026, 11, 3)
    assert got[2][1][0] == datetime.time(9, 30)


def test_text_rows_keep_numbers_as_written_and_dates_as_serials():
    book = Book(
        _handmade(
            '<row r="1"><c r="A1"><v>12345678901234567890</v></c><c r="B1" s="1"><v>46329</v></c>'
            '<c r="D1" t="b"><v>1</v></c></row>',
            num_fmt_ids=(0, 14),
        )
    )

    assert list(book.rows("流水")) == [(1, ("12345678901234567890", "46329", "", "TRUE"))]
    assert list(book.rows("流水", typed=True)) == [
        (1, (12345678901234567890, datetime.datetime(2026, 11, 3), None, True))
    ]


def test_east_asian_builtin_date_formats_read_as_dates_which_openpyxl_reads_as_numbers():
    data = _handmade(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>交易日期</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>交易时间</t></is></c></row>'
        '<row r="2"><c r="A2" s="1"><v>46329</v></c><c r="B2" s="2"><v>0.5</v></c></row>',
        num_fmt_ids=(0, 31, 32),
    )
    openpyxl_value = load_workbook(io.BytesIO(data), read_only=True).active["A2"].value

    sheet = sheet_read(data, filename="流水.xlsx")

    assert openpyxl_value == 46329
    assert sheet.header == ["交易日期", "交易时间"]
    assert sheet.rows[0].cells == ("2026-11-03", "12:00:00")


def test_1904_workbooks_count_days_from_1904():
    workbook = Workbook()
    workbook.epoch = CALENDAR_MAC_1904
    workbook.active.append(["日期"])
    workbook.active.append([datetime.date(2026, 11, 3)])

    sheet = sheet_read(_saved(workbook), filename="mac.xlsx")

    assert sheet.rows[0].cells == ("2026-11-03",)


def test_a_chart_sheet_before_the_data_is_passed_over():
    data = _handmade(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>户名</t></is></c></row>', chart_first=True
    )

    assert Book(data).sheetnames == ["流水"]
    assert sheet_read(data, filename="x.xlsx").header == ["户名"]


def test_a_date_serial_out_of_range_reads_as_an_error_value_not_a_crash():
    data = _handmade(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>日期</t></is></c></row>'
        '<row r="2"><c r="A2" s="1"><v>99999999999</v></c></row>',
        num_fmt_ids=(0, 14),
    )

    assert sheet_read(data, filename="x.xlsx").rows[0].cells == ("#VALUE!",)


@pytest.mark.parametrize(
    "sheet_data",
    [
        '<row r="1"><c r="A1" t="s"><v>7</v></c></row>',  # a shared string that is not there
        '<row r="1"><c r="A1"><v>abc</v></c></row>',  # a number that is not one
        '<row r="1"><c r="A1"><v>1</v></c>',  # cut off
    ],
)
def test_damaged_sheets_are_refused_with_a_message(sheet_data):
    with pytest.raises(SpreadsheetInvalid, match="damaged"):
        sheet_read(_handmade(sheet_data), filename="x.xlsx")


def test_a_workbook_declaring_entities_is_refused_before_parsing():
    data = _handmade("")
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(stream, "w") as target:
        for info in source.infolist():
            text = source.read(info)
            if info.filename == "xl/styles.xml":
                text = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + text[21:]
            target.writestr(info, text)
    book = Book(stream.getvalue())

    with pytest.raises(WorkbookUnreadable, match="DTD"):
        list(book.rows(book.sheetnames[0], typed=True))


def _with_part(data: bytes, name: str, text: bytes) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(stream, "w") as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        target.writestr(name, text)
    return stream.getvalue()


@pytest.mark.parametrize("padding", [5_000, (1 << 20) - 25])
def test_a_dtd_after_a_long_comment_is_found_too(padding):
    """A DTD may follow a comment of any length; the second size puts "<!DOCTYPE" across the
    boundary between two reads of the search."""
    sheet = (
        b'<?xml version="1.0"?><!--' + b"x" * padding + b'--><!DOCTYPE w [<!ENTITY a "a">]>'
        b'<worksheet xmlns="' + _MAIN.encode() + b'"><sheetData/></worksheet>'
    )
    data = _with_part(_handmade(""), "xl/worksheets/sheet1.xml", sheet)

    with pytest.raises(SpreadsheetInvalid, match="damaged"):
        sheet_read(data, filename="x.xlsx")


def test_a_utf16_part_is_refused():
    sheet = '<?xml version="1.0" encoding="UTF-16"?><worksheet/>'.encode("utf-16")
    data = _with_part(_handmade(""), "xl/worksheets/sheet1.xml", sheet)

    with pytest.raises(SpreadsheetInvalid, match="damaged"):
        sheet_read(data, filename="x.xlsx")


def test_a_negative_shared_string_index_is_refused_not_read_from_the_end():
    data = _handmade('<row r="1"><c r="A1" t="s"><v>-1</v></c></row>')
    data = _with_part(
        data,
        "xl/sharedStrings.xml",
        b'<?xml version="1.0"?><sst xmlns="' + _MAIN.encode() + b'"><si><t>secret</t></si></sst>',
    )

    with pytest.raises(SpreadsheetInvalid, match="damaged"):
        sheet_read(data, filename="x.xlsx")


def test_a_workbook_of_chart_sheets_only_says_it_has_no_worksheet():
    data = _handmade("")
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(stream, "w") as target:
        for info in source.infolist():
            text = source.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                text = text.replace(b"/worksheet", b"/chartsheet")
            target.writestr(info, text)

    with pytest.raises(SpreadsheetInvalid, match="has no worksheet"):
        sheet_read(stream.getvalue(), filename="x.xlsx")
