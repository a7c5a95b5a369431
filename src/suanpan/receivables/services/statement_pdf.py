"""A statement (对账单) or balance confirmation (询证函) as an A4 PDF: company, customer and
period, the movements with their running balance, the closing balance in figures and in
capitals (大写), the ageing at the end, and for a confirmation the customary wording with a
reply section the customer signs and stamps.

Chinese is set in STSong-Light like the invoice and quote PDFs (`core.pdf`): a CJK font every
PDF reader carries, so nothing is embedded.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from suanpan.core.capitals import amount_in_capitals
from suanpan.core.pdf import a4_document, base_style, cjk_font, markup_escape, title_style
from suanpan.core.templatetags.money import amount_text
from suanpan.ledger.selectors import company_letterhead
from suanpan.receivables.choices import StatementKind
from suanpan.receivables.models import Statement
from suanpan.receivables.selectors.statements import (
    CustomerStatement,
    line_document,
    statement_lines,
)

GRID = colors.HexColor("#6c757d")


def _styles() -> dict[str, ParagraphStyle]:
    base = base_style()
    return {
        "base": base,
        "title": title_style(base),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "bold": ParagraphStyle("bold", parent=base, fontSize=10, leading=14),
    }


def statement_title(statement: Statement) -> str:
    if statement.kind == StatementKind.CONFIRMATION:
        return _("Balance confirmation")
    return _("Statement of account")


def _balance_words(amount: Any) -> str:
    """The balance in capitals; a credit balance (the company owes) says so."""
    words = amount_in_capitals(abs(amount), prefix=True)
    return words if amount >= 0 else _("%(words)s (in the customer's favour)") % {"words": words}


def _confirmation_text(statement: Statement, company: str) -> list[str]:
    customer = statement.customer.name
    return [
        _(
            "To %(customer)s: this firm is confirming balances with its customers. Please "
            "check the balance below against your records; if it agrees, sign and stamp "
            "“The balance is confirmed” below; if it does not, give the difference and its "
            "reason under “The balance differs”, and return this letter to %(company)s."
        )
        % {"customer": customer, "company": company or _("us")},
        _(
            "This letter only confirms balances; it is not a demand for payment. Payments "
            "made after %(date)s are not in the balance."
        )
        % {"date": statement.end_on.isoformat()},
    ]


def statement_pdf_render(*, statement: Statement, report: CustomerStatement) -> bytes:
    """The statement with its movements as PDF bytes."""
    styles = _styles()
    company, _tax_number = company_letterhead()
    buffer = BytesIO()
    title = statement_title(statement)
    document = a4_document(buffer, title=f"{title} {statement.number}", author=company)
    customer = statement.customer
    story: list[Any] = [
        Paragraph(markup_escape(company), styles["bold"]),
        Paragraph(title, styles["title"]),
        Spacer(1, 2 * mm),
        Paragraph(
            _("Number: %(number)s · Customer: %(customer)s (%(code)s)")
            % {
                "number": statement.number,
                "customer": markup_escape(customer.name),
                "code": markup_escape(customer.number),
            },
            styles["base"],
        ),
        Paragraph(
            _("Period: %(start)s to %(end)s")
            % {"start": statement.start_on.isoformat(), "end": statement.end_on.isoformat()},
            styles["base"],
        ),
        Spacer(1, 3 * mm),
    ]
    if statement.kind == StatementKind.CONFIRMATION:
        story += [
            Paragraph(markup_escape(text), styles["base"])
            for text in _confirmation_text(statement, company)
        ]
        story.append(Spacer(1, 3 * mm))
    header = [
        _("Date"),
        _("Voucher"),
        _("Document"),
        _("Description"),
        _("Debit"),
        _("Credit"),
        _("Balance"),
    ]
    rows: list[list[Any]] = [[Paragraph(h, styles["cell"]) for h in header]]
    rows.append(
        [
            "",
            "",
            "",
            Paragraph(_("Opening balance"), styles["cell"]),
            "",
            "",
            amount_text(report.opening),
        ]
    )
    for line in statement_lines(report):
        kind, number = line_document(line)
        rows.append(
            [
                line.date.isoformat(),
                line.voucher_number,
                Paragraph(markup_escape(f"{kind} {number}".strip()), styles["cell"]),
                Paragraph(markup_escape(line.summary), styles["cell"]),
                amount_text(line.debit_amount) if line.debit_fen else "",
                amount_text(line.credit_amount) if line.credit_fen else "",
                amount_text(line.balance),
            ]
        )
    rows.append(
        [
            "",
            "",
            "",
            Paragraph(_("Closing balance"), styles["cell"]),
            amount_text(report.debit),
            amount_text(report.credit),
            amount_text(report.closing),
        ]
    )
    table = Table(
        rows,
        colWidths=[18 * mm, 24 * mm, 30 * mm, 50 * mm, 22 * mm, 22 * mm, 22 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                ("GRID", (0, 0), (-1, -1), 0.3, GRID),
                ("ALIGN", (4, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 3 * mm),
        Paragraph(
            _("Closing balance at %(date)s: ¥%(amount)s")
            % {"date": statement.end_on.isoformat(), "amount": amount_text(report.closing)},
            styles["bold"],
        ),
        Paragraph(
            _("In words: %(words)s") % {"words": _balance_words(report.closing)}, styles["bold"]
        ),
        Spacer(1, 3 * mm),
        Paragraph(
            _("Ageing of the amount owed at %(date)s") % {"date": statement.end_on.isoformat()},
            styles["base"],
        ),
    ]
    ageing_rows = report.ageing.rows
    ageing_table = Table(
        [
            [Paragraph(label, styles["cell"]) for label, _amount in ageing_rows] + [_("Total")],
            [amount_text(amount) for _label, amount in ageing_rows]
            + [amount_text(report.ageing.total)],
        ]
    )
    ageing_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                ("GRID", (0, 0), (-1, -1), 0.3, GRID),
                ("ALIGN", (0, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    story.append(ageing_table)
    if statement.kind == StatementKind.CONFIRMATION:
        story += [Spacer(1, 6 * mm), _reply_section(styles)]
    document.build(story)
    return buffer.getvalue()


def _reply_section(styles: dict[str, ParagraphStyle]) -> Table:
    """The customer's reply: either the balance agrees, or it differs and by what."""
    left = [
        Paragraph(_("1. The balance is confirmed."), styles["bold"]),
        Spacer(1, 14 * mm),
        Paragraph(_("(Stamp) Date:"), styles["base"]),
    ]
    right = [
        Paragraph(_("2. The balance differs; details:"), styles["bold"]),
        Spacer(1, 14 * mm),
        Paragraph(_("(Stamp) Date:"), styles["base"]),
    ]
    reply = Table([[left, right]], colWidths=[93 * mm, 93 * mm])
    reply.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, GRID),
                ("LINEAFTER", (0, 0), (0, 0), 0.6, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return reply
