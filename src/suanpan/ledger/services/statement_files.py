"""A statement as the official form prints it, in xlsx (openpyxl) and PDF (reportlab): the
form's title and number (会企01表 …), 编制单位, the date or month, 单位：元, then the rows with
their line numbers (行次); the balance sheet with assets on the left and what finances them on
the right. The PDF sets Chinese in STSong-Light like every PDF of the product (`core.pdf`).
"""

from __future__ import annotations

import calendar
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from suanpan.core.pdf import a4_document, base_style, cjk_font, markup_escape, title_style
from suanpan.core.spreadsheets import cell_neutralise
from suanpan.core.templatetags.money import amount_text
from suanpan.ledger.choices import FinancialStatementKind, StatementFormat
from suanpan.ledger.selectors.statements import Statement, StatementLine

FORM_NUMBERS = {
    (FinancialStatementKind.BALANCE_SHEET, StatementFormat.CAS): "会企01表",
    (FinancialStatementKind.INCOME, StatementFormat.CAS): "会企02表",
    (FinancialStatementKind.CASH_FLOW, StatementFormat.CAS): "会企03表",
    (FinancialStatementKind.BALANCE_SHEET, StatementFormat.ASBE_SE): "会小企01表",
    (FinancialStatementKind.INCOME, StatementFormat.ASBE_SE): "会小企02表",
    (FinancialStatementKind.CASH_FLOW, StatementFormat.ASBE_SE): "会小企03表",
}
GRID = colors.HexColor("#6c757d")


def statement_heading(statement: Statement) -> dict[str, str]:
    """The words above the table: title, form number, company, date or month, unit."""
    month = statement.month
    if statement.kind == FinancialStatementKind.BALANCE_SHEET:
        day = calendar.monthrange(month.year, month.month)[1]
        when = _("%(year)s-%(month)s-%(day)s") % {
            "year": month.year,
            "month": f"{month.month:02d}",
            "day": f"{day:02d}",
        }
    else:
        when = _("%(year)s-%(month)s") % {"year": month.year, "month": f"{month.month:02d}"}
    return {
        "title": statement.title,
        "form": FORM_NUMBERS[
            (FinancialStatementKind(statement.kind), StatementFormat(statement.fmt))
        ],
        "company": _("Prepared by: %(company)s") % {"company": statement.company},
        "when": when,
        "unit": _("Unit: yuan"),
    }


def _sides(statement: Statement) -> list[tuple[str, list[StatementLine | None]]]:
    if statement.kind == FinancialStatementKind.BALANCE_SHEET:
        pairs = statement.pairs
        return [
            (
                pgettext("balance sheet", "Assets"),
                [left.line if left else None for left, _right in pairs],
            ),
            (
                _("Liabilities and owners' equity"),
                [right.line if right else None for _left, right in pairs],
            ),
        ]
    return [(_("Item"), list(statement.lines))]


def _rows(statement: Statement) -> tuple[list[str], list[list[Any]], list[list[str]]]:
    """The header, the body (labels with their indent, line numbers, amounts or None), and each
    cell's kind (label, line, amount; `bold` for subtotals and headings)."""
    sides = _sides(statement)
    header: list[str] = []
    for title, _lines in sides:
        header += [title, _("Line no."), *[c.label for c in statement.columns]]
    body: list[list[Any]] = []
    kinds: list[list[str]] = []
    height = max(len(lines) for _title, lines in sides)
    for index in range(height):
        row: list[Any] = []
        kind: list[str] = []
        for _title, lines in sides:
            line = lines[index] if index < len(lines) else None
            if line is None:
                row += ["", "", *["" for _c in statement.columns]]
                kind += ["label", "line", *["amount" for _c in statement.columns]]
                continue
            bold = line.kind != "item"
            row += [
                "\u3000" * line.indent + line.label,
                line.line_no or "",
                *[v if line.kind != "heading" else "" for v in line.values],
            ]
            kind += [
                "label-bold" if bold else "label",
                "line",
                *["amount-bold" if bold else "amount" for _c in statement.columns],
            ]
        body.append(row)
        kinds.append(kind)
    return header, body, kinds


def statement_xlsx(statement: Statement) -> bytes:
    """The statement as an xlsx workbook in the official layout."""
    heading = statement_heading(statement)
    header, body, kinds = _rows(statement)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    sheet = workbook.create_sheet(title=heading["title"][:31])
    width = len(header)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1, heading["title"]).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.cell(2, width, heading["form"]).alignment = Alignment(horizontal="right")
    sheet.cell(3, 1, cell_neutralise(heading["company"]))
    middle = max(2, width // 2)
    sheet.cell(3, middle, heading["when"]).alignment = Alignment(horizontal="center")
    sheet.cell(3, width, heading["unit"]).alignment = Alignment(horizontal="right")
    for column, label in enumerate(header, start=1):
        cell = sheet.cell(4, column, label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        cell.border = border
    for offset, (row, kind) in enumerate(zip(body, kinds, strict=True)):
        for column, (value, what) in enumerate(zip(row, kind, strict=True), start=1):
            cell = sheet.cell(5 + offset, column)
            cell.border = border
            if what.startswith("amount"):
                if isinstance(value, Decimal):
                    cell.value = value
                    cell.number_format = "#,##0.00;-#,##0.00"
            else:
                cell.value = cell_neutralise(value) if isinstance(value, str) else value
                if what == "line":
                    cell.alignment = Alignment(horizontal="center")
            if what.endswith("bold"):
                cell.font = Font(bold=True)
    labels_per_side = 2 + len(statement.columns)
    for column in range(1, width + 1):
        first = (column - 1) % labels_per_side == 0
        sheet.column_dimensions[get_column_letter(column)].width = (
            44 if first else 8 if (column - 1) % labels_per_side == 1 else 18
        )
    sheet.freeze_panes = "A5"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statement_pdf(statement: Statement) -> bytes:
    """The statement as an A4 PDF (landscape for the two-sided balance sheet), with the
    signature lines of the officers the form names."""
    heading = statement_heading(statement)
    header, body, kinds = _rows(statement)
    font = cjk_font()
    base = base_style(size=8, leading=10)
    bold = ParagraphStyle("bold", parent=base, fontSize=8.5)
    title = title_style(base, size=15, leading=20)
    right = ParagraphStyle("right", parent=base, alignment=TA_RIGHT)
    two_sided = statement.kind == FinancialStatementKind.BALANCE_SHEET
    page = landscape(A4) if two_sided else A4
    buffer = BytesIO()
    document = a4_document(
        buffer,
        title=f"{heading['title']} {statement.month.label}",
        author=statement.company,
        margin=10 * mm,
        bottom_margin=12 * mm,
        pagesize=page,
    )
    usable = page[0] - 20 * mm
    columns = len(statement.columns)
    amount_width = 26 * mm
    line_width = 10 * mm
    sides = 2 if two_sided else 1
    label_width = usable / sides - line_width - columns * amount_width
    widths = [label_width, line_width, *[amount_width] * columns] * sides
    table_rows: list[list[Any]] = [[Paragraph(markup_escape(h), bold) for h in header]]
    for row, kind in zip(body, kinds, strict=True):
        cells: list[Any] = []
        for value, what in zip(row, kind, strict=True):
            if what.startswith("label"):
                style = bold if what.endswith("bold") else base
                cells.append(
                    Paragraph(markup_escape(str(value)).replace("\u3000", "&nbsp;" * 3), style)
                )
            elif what == "line":
                cells.append(str(value))
            else:
                cells.append(amount_text(value) if isinstance(value, Decimal) else "")
        table_rows.append(cells)
    table = Table(table_rows, colWidths=widths, repeatRows=1)
    first = kinds[0] if kinds else []
    style = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("GRID", (0, 0), (-1, -1), 0.3, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
    ]
    for column, what in enumerate(first):
        if what.startswith("amount"):
            style.append(("ALIGN", (column, 1), (column, -1), "RIGHT"))
        elif what == "line":
            style.append(("ALIGN", (column, 1), (column, -1), "CENTER"))
    table.setStyle(TableStyle(style))
    top = Table(
        [
            [
                Paragraph(markup_escape(heading["company"]), base),
                Paragraph(
                    markup_escape(heading["when"]),
                    ParagraphStyle("c", parent=base, alignment=TA_CENTER),
                ),
                Paragraph(markup_escape(f"{heading['form']}　{heading['unit']}"), right),
            ]
        ],
        colWidths=[usable * 0.45, usable * 0.25, usable * 0.30],
    )
    top.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    )
    signatures = Paragraph(
        markup_escape(
            "　　　　".join(
                [
                    _("Head of the company:"),
                    _("Head of accounting:"),
                    _("Head of the accounting office:"),
                ]
            )
        ),
        base,
    )
    story: list[Any] = [
        Paragraph(markup_escape(heading["title"]), title),
        Spacer(1, 2 * mm),
        top,
        Spacer(1, 1 * mm),
        table,
        Spacer(1, 5 * mm),
        signatures,
    ]
    document.build(story)
    return buffer.getvalue()
