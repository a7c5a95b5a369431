"""An invoice as an A4 PDF in the layout of a 数电 invoice: title, number and date, buyer and
seller blocks, the line table with its 合计 row, 价税合计 in capitals and in figures, remarks
and drawer. It is a copy for reading and filing: the legal invoice is the one the tax platform
issued (its XML or PDF).

Chinese is set in STSong-Light, as the quote PDF does (`sales.services.quote_pdf`): one of the
CJK CID fonts every PDF reader carries, so the file embeds no font and stays small.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from suanpan.core.capitals import amount_in_capitals
from suanpan.core.pdf import a4_document, base_style, cjk_font, markup_escape, title_style
from suanpan.core.templatetags.money import amount_text, number_text, quantity_text
from suanpan.invoicing.choices import SPECIAL_TYPES, InvoiceKind
from suanpan.invoicing.models import Invoice, InvoiceLine
from suanpan.ledger.selectors import company_letterhead

# The red-brown of a 数电 invoice's frame and labels.
FRAME = colors.HexColor("#9a3b2e")


def _styles() -> dict[str, ParagraphStyle]:
    base = base_style()
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=title_style(base), textColor=FRAME),
        "label": ParagraphStyle("label", parent=base, textColor=FRAME),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
    }


def invoice_title(invoice: Invoice) -> str:
    """电子发票（增值税专用发票）or 电子发票（普通发票）, as the 数电 invoice heads itself."""
    if invoice.invoice_type in SPECIAL_TYPES:
        return _("Electronic invoice (VAT special invoice)")
    return _("Electronic invoice (ordinary invoice)")


def _rate(line: InvoiceLine) -> str:
    if line.vat_rate_key == "exempt":
        return _("Exempt")
    return f"{line.vat_rate_key}%"


def _party(title: str, name: str, tax_number: str, styles: dict[str, Any]) -> Table:
    rows = [
        [Paragraph(title, styles["label"]), ""],
        [Paragraph(_("Name:"), styles["label"]), Paragraph(markup_escape(name), styles["base"])],
        [
            Paragraph(_("Unified social credit code / taxpayer number:"), styles["label"]),
            Paragraph(markup_escape(tax_number), styles["base"]),
        ],
    ]
    table = Table(rows, colWidths=[38 * mm, 52 * mm])
    table.setStyle(TableStyle([("SPAN", (0, 0), (1, 0)), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def invoice_pdf_render(*, invoice: Invoice, lines: list[InvoiceLine]) -> bytes:
    """The invoice with `lines` (in print order) as PDF bytes."""
    styles = _styles()
    seller_name, seller_tax_number = company_letterhead()
    buffer = BytesIO()
    document = a4_document(buffer, title=f"{invoice_title(invoice)} {invoice}", author=seller_name)
    story: list[Any] = [Paragraph(invoice_title(invoice), styles["title"]), Spacer(1, 2 * mm)]
    head = Table(
        [
            ["", Paragraph(_("Invoice number:") + " " + str(invoice), styles["base"])],
            [
                "",
                Paragraph(
                    _("Issue date:") + " " + invoice.issued_on.strftime("%Y-%m-%d"),
                    styles["base"],
                ),
            ],
        ],
        colWidths=[120 * mm, 66 * mm],
    )
    story += [head, Spacer(1, 2 * mm)]
    parties = Table(
        [
            [
                _party(
                    pgettext("fapiao", "Buyer"),
                    invoice.buyer_name,
                    invoice.buyer_tax_number,
                    styles,
                ),
                _party(pgettext("fapiao", "Seller"), seller_name, seller_tax_number, styles),
            ]
        ],
        colWidths=[93 * mm, 93 * mm],
    )
    parties.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, FRAME),
                ("LINEAFTER", (0, 0), (0, 0), 0.8, FRAME),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(parties)

    header = [
        _("Item"),
        _("Specification"),
        _("Unit"),
        _("Quantity"),
        _("Unit price"),
        _("Amount"),
        _("Rate"),
        _("Tax"),
    ]
    rows: list[list[Any]] = [[Paragraph(h, styles["label"]) for h in header]]
    for line in lines:
        rows.append(
            [
                Paragraph(markup_escape(line.item_name), styles["cell"]),
                Paragraph(markup_escape(line.specification), styles["cell"]),
                line.unit,
                quantity_text(line.quantity, thousands=True) if line.quantity else "",
                number_text(line.unit_price) if line.unit_price is not None else "",
                amount_text(line.net_amount),
                _rate(line),
                amount_text(line.tax_amount),
            ]
        )
    rows.append(
        [
            Paragraph(pgettext("fapiao", "Total"), styles["label"]),
            "",
            "",
            "",
            "",
            f"¥{amount_text(invoice.net_amount)}",
            "",
            f"¥{amount_text(invoice.tax_amount)}",
        ]
    )
    gross = invoice.gross_amount
    rows.append(
        [
            Paragraph(_("Total including tax (in words)"), styles["label"]),
            # The circled cross before the capitals is not among the CJK font's glyphs (it
            # printed as an empty box): the PDF standard Symbol font has it.
            Paragraph(f'<font name="Symbol">⊗</font> {amount_in_capitals(gross)}', styles["base"]),
            "",
            "",
            "",
            Paragraph(_("(in figures)"), styles["label"]),
            Paragraph(f"¥{amount_text(gross)}", styles["base"]),
            "",
        ]
    )
    remarks = invoice.remarks
    if invoice.kind == InvoiceKind.RED and invoice.original is not None:
        remarks = _("Reverses digital invoice number %(number)s.") % {
            "number": str(invoice.original)
        } + (" " + remarks if remarks else "")
    rows.append(
        [
            Paragraph(_("Remarks"), styles["label"]),
            Paragraph(markup_escape(remarks).replace("\n", "<br/>"), styles["base"]),
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    )
    widths = [44, 26, 12, 18, 22, 24, 14, 26]
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("BOX", (0, 0), (-1, -1), 0.8, FRAME),
                ("LINEBELOW", (0, 0), (-1, 0), 0.4, FRAME),
                ("LINEABOVE", (0, -3), (-1, -3), 0.4, FRAME),
                ("LINEABOVE", (0, -2), (-1, -1), 0.8, FRAME),
                ("ALIGN", (3, 1), (-1, -4), "RIGHT"),
                ("ALIGN", (5, -3), (-1, -3), "RIGHT"),
                ("SPAN", (1, -2), (4, -2)),
                ("SPAN", (6, -2), (7, -2)),
                ("SPAN", (1, -1), (7, -1)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [table, Spacer(1, 3 * mm)]
    story.append(
        Paragraph(
            _("Drawer: %(name)s") % {"name": markup_escape(invoice.drawer) or "—"}, styles["base"]
        )
    )
    document.build(story)
    return buffer.getvalue()
