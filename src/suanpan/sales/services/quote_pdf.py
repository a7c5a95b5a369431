"""The printed quote (报价单) as an A4 PDF.

Chinese is set in STSong-Light, one of the CJK CID fonts every PDF reader carries (Adobe's
Asian font packs), so the file embeds no font and stays small; Latin text uses the same font,
whose half-width glyphs read well enough on a business document.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate

from suanpan.core.capitals import amount_in_capitals
from suanpan.core.pdf import a4_document, base_style, cjk_font, markup_escape, title_style
from suanpan.core.templatetags.money import amount_text, number_text, quantity_text
from suanpan.ledger.selectors import company_letterhead
from suanpan.sales.models import Quote


def _money(value: Decimal) -> str:
    return amount_text(value)


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _styles() -> dict[str, ParagraphStyle]:
    base = base_style()
    return {
        "base": base,
        "title": title_style(base, size=18, leading=24),
        "company": ParagraphStyle("company", parent=base, fontSize=12, leading=16),
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
    }


def _footer(canvas: Any, document: BaseDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont(cjk_font(), 8)
    canvas.setFillColor(colors.grey)
    canvas.drawRightString(
        A4[0] - 15 * mm,
        10 * mm,
        _("Page %(page)s") % {"page": document.page},
    )
    canvas.drawString(15 * mm, 10 * mm, getattr(document, "sp_reference", ""))
    canvas.restoreState()


def quote_pdf_render(*, quote: Quote) -> bytes:
    """The quote with its lines (read from `quote.lines`), totals and terms, as PDF bytes."""
    styles = _styles()
    company_name, tax_number = company_letterhead()
    customer = quote.customer
    buffer = BytesIO()
    document = a4_document(
        buffer,
        title=f"{_('Quote')} {quote.number}",
        author=company_name,
        margin=15 * mm,
        bottom_margin=18 * mm,
    )
    document.sp_reference = f"{quote.number} · {customer.name}"
    story: list[Any] = []
    if company_name:
        story.append(Paragraph(markup_escape(company_name), styles["company"]))
        if tax_number:
            story.append(
                Paragraph(
                    _("Taxpayer number: %(number)s") % {"number": tax_number}, styles["small"]
                )
            )
    story += [Spacer(1, 4 * mm), Paragraph(_("Quotation"), styles["title"]), Spacer(1, 4 * mm)]

    head = [
        [
            pgettext("quote addressee", "To"),
            markup_escape(customer.name),
            _("Quote number"),
            quote.number,
        ],
        [
            _("Contact"),
            markup_escape(quote.contact_name) or "—",
            _("Quote date"),
            quote.quoted_on.isoformat(),
        ],
        [
            _("Prepared by"),
            markup_escape(str(quote.owner)),
            _("Valid until"),
            quote.valid_until.isoformat(),
        ],
    ]
    head_table = Table(
        [[Paragraph(str(cell), styles["base"]) for cell in row] for row in head],
        colWidths=[22 * mm, 68 * mm, 25 * mm, 65 * mm],
    )
    head_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [head_table, Spacer(1, 5 * mm)]

    price_label = (
        _("Unit price incl. tax") if quote.price_includes_tax else _("Unit price excl. tax")
    )
    header = [
        "#",
        _("Product"),
        _("Specification"),
        _("Unit"),
        _("Quantity"),
        price_label,
        _("Discount"),
        _("VAT rate"),
        _("Excl. tax"),
        _("Tax"),
        _("Incl. tax"),
    ]
    rows: list[list[Any]] = [[Paragraph(h, styles["cell"]) for h in header]]
    for line in quote.lines.all():
        rows.append(
            [
                str(line.position),
                Paragraph(markup_escape(line.product_name), styles["cell"]),
                Paragraph(markup_escape(line.specification), styles["cell"]),
                line.unit,
                quantity_text(line.quantity, thousands=True),
                number_text(line.unit_price),
                f"{_number(line.discount_rate * 100)}%" if line.discount_rate else "",
                line.get_vat_rate_key_display(),
                _money(line.net_amount),
                _money(line.tax_amount),
                _money(line.gross_amount),
            ]
        )
    rows.append(
        [
            "",
            _("Total"),
            "",
            "",
            "",
            "",
            "",
            "",
            _money(quote.net_amount),
            _money(quote.tax_amount),
            _money(quote.gross_amount),
        ]
    )
    widths = [7, 36, 20, 10, 15, 20, 12, 12, 16, 14, 18]
    lines_table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    lines_table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f6f6f6")),
                ("ALIGN", (4, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [lines_table, Spacer(1, 3 * mm)]
    story.append(
        Paragraph(
            _("Total including tax (in words): %(capitals)s  ￥%(amount)s")
            % {
                "capitals": amount_in_capitals(quote.gross_amount, prefix=True),
                "amount": _money(quote.gross_amount),
            },
            styles["base"],
        )
    )
    if quote.terms:
        story += [
            Spacer(1, 5 * mm),
            Paragraph(_("Terms"), styles["company"]),
            Paragraph(markup_escape(quote.terms).replace("\n", "<br/>"), styles["base"]),
        ]
    story += [
        Spacer(1, 8 * mm),
        Paragraph(
            _("Printed %(date)s") % {"date": timezone.localdate().isoformat()}, styles["small"]
        ),
    ]
    document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
