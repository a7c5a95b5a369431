"""Vouchers printed as a PDF in the usual 记账凭证 layout: the company, the voucher word and
number, the date, the attachments (附单据 N 张), the lines with 摘要, the account's code and full
name and the debit and credit amounts, the total in figures and in capitals (大写), and the
signature line 会计主管 / 记账 / 出纳 / 审核 / 制单 with the names the books know (poster,
reviewer, maker).

Three layouts: two or three vouchers to an A4 page (cut apart and bound), or one to a sheet
of 241 × 140 mm voucher paper. A voucher with more lines than a slip holds continues on the
next slip, each marked with its place (1/2, 2/2) and 续 from the second on, and the total
stands on the last one. Vouchers not yet posted carry no number and print marked across the
slip: 草稿 for drafts, 未记账 for reviewed ones.

Chinese is set in STSong-Light like the other PDFs (`core.pdf`): nothing is embedded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from suanpan.core.capitals import amount_in_capitals
from suanpan.core.pdf import cjk_font
from suanpan.core.templatetags.money import amount_text
from suanpan.ledger.choices import PrintLayout, VoucherStatus
from suanpan.ledger.selectors import company_get
from suanpan.ledger.selectors.journals import PrintLine, PrintVoucher, vouchers_for_print

INK = colors.black
RULE = colors.HexColor("#495057")
RED = colors.HexColor("#c00000")
MARK = colors.Color(0.55, 0.55, 0.55, alpha=0.35)


@dataclass(frozen=True)
class Layout:
    """A page size, how many slips stand on it one above the other, and the lines a slip holds."""

    width: float
    height: float
    slips: int
    rows: int
    left: float
    right: float


LAYOUTS: dict[str, Layout] = {
    PrintLayout.A4_TWO: Layout(A4[0], A4[1], slips=2, rows=6, left=18 * mm, right=10 * mm),
    PrintLayout.A4_THREE: Layout(A4[0], A4[1], slips=3, rows=5, left=18 * mm, right=10 * mm),
    # Voucher paper is bound on its left edge.
    PrintLayout.SLIP: Layout(241 * mm, 140 * mm, slips=1, rows=6, left=20 * mm, right=10 * mm),
}


@dataclass(frozen=True)
class Slip:
    """One printed slip: a voucher's lines (or a part of them) and its place among its slips."""

    voucher: PrintVoucher
    lines: Sequence[PrintLine]
    index: int
    count: int

    @property
    def last(self) -> bool:
        return self.index == self.count


def slips_of(voucher: PrintVoucher, *, rows: int) -> list[Slip]:
    """A voucher's slips: its lines `rows` at a time."""
    parts = [voucher.lines[start : start + rows] for start in range(0, len(voucher.lines), rows)]
    parts = parts or [[]]
    return [Slip(voucher, part, index, len(parts)) for index, part in enumerate(parts, start=1)]


def _fit(text: str, width: float, size: float, *, smallest: float = 6) -> tuple[list[str], float]:
    """The text on one line at `size` or smaller, down to `smallest`; failing that on two lines
    at `smallest` (broken anywhere: Chinese has no spaces to break at), the second cut with …
    when even two do not hold it."""
    font = cjk_font()
    while size > smallest and stringWidth(text, font, size) > width:
        size = max(smallest, size - 0.5)
    if stringWidth(text, font, size) <= width:
        return [text], size
    cut = 1
    while cut < len(text) and stringWidth(text[: cut + 1], font, size) <= width:
        cut += 1
    first, rest = text[:cut], text[cut:]
    if stringWidth(rest, font, size) > width:
        while rest and stringWidth(rest + "…", font, size) > width:
            rest = rest[:-1]
        rest += "…"
    return [first, rest], size


class _Printer:
    def __init__(self, canvas: Canvas, layout: Layout, company: str) -> None:
        self.canvas = canvas
        self.layout = layout
        self.company = company
        self.font = cjk_font()

    # ------------------------------------------------------------------ text in cells

    def text(
        self,
        text: str,
        x: float,
        y: float,
        *,
        size: float,
        align: str = "left",
        color: colors.Color = INK,
    ) -> None:
        canvas = self.canvas
        canvas.setFillColor(color)
        canvas.setFont(self.font, size)
        if align == "center":
            canvas.drawCentredString(x, y, text)
        elif align == "right":
            canvas.drawRightString(x, y, text)
        else:
            canvas.drawString(x, y, text)

    def cell(
        self,
        text: str,
        x: float,
        top: float,
        width: float,
        height: float,
        *,
        size: float,
        align: str = "left",
        color: colors.Color = INK,
    ) -> None:
        """Text inside a table cell, shrunk or wrapped to two lines to fit its width."""
        pad = 1.5 * mm
        lines, fitted = _fit(text, width - 2 * pad, size)
        leading = fitted * 1.15
        middle = top - height / 2
        first = middle + (len(lines) - 1) * leading / 2 - fitted * 0.35
        for number, line in enumerate(lines):
            y = first - number * leading
            if align == "right":
                self.text(line, x + width - pad, y, size=fitted, align="right", color=color)
            else:
                self.text(line, x + pad, y, size=fitted, color=color)

    # ------------------------------------------------------------------ one slip

    def slip(self, slip: Slip, *, bottom: float, height: float) -> None:
        layout, canvas = self.layout, self.canvas
        voucher = slip.voucher.voucher
        left, right = layout.left, layout.width - layout.right
        width = right - left
        top = bottom + height - 8 * mm
        base = min(10.0, height / mm * 0.09)

        # Title band: the title, the slip's place when there are several, the attachments.
        title_size = base * 1.7
        title = _("Accounting voucher")
        self.text(title, left + width / 2, top - title_size, size=title_size, align="center")
        title_width = stringWidth(title, self.font, title_size)
        for offset in (1.6, 2.4):
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(0.6)
            y = top - title_size - offset * mm
            canvas.line(
                left + (width - title_width) / 2 - 2 * mm,
                y,
                left + (width + title_width) / 2 + 2 * mm,
                y,
            )
        if slip.count > 1:
            place = _("Slip %(index)s/%(count)s") % {"index": slip.index, "count": slip.count}
            if slip.index > 1:
                place = _("%(place)s (continued)") % {"place": place}
            self.text(place, left, top - title_size, size=base)
        attachments = _("Attachments: %(count)s") % {"count": voucher.attachments}
        self.text(attachments, right, top - title_size, size=base, align="right")

        # Header band: the company, the date, the word and number.
        header_y = top - title_size - 8 * mm
        self.text(_("Company: %(name)s") % {"name": self.company}, left, header_y, size=base)
        on = voucher.date
        self.text(
            _("%(year)s-%(month)s-%(day)s")
            % {"year": on.year, "month": f"{on.month:02d}", "day": f"{on.day:02d}"},
            left + width / 2,
            header_y,
            size=base,
            align="center",
        )
        if voucher.number is not None:
            label = _("No. %(word)s-%(number)s") % {
                "word": voucher.word,
                "number": f"{voucher.number:04d}",
            }
        else:
            label = _("Not numbered")
        self.text(label, right, header_y, size=base, align="right")

        # The table: head, the slip's rows (blank ones too), the total.
        signature_band = 12 * mm
        table_top = header_y - 3 * mm
        table_bottom = bottom + signature_band
        row = (table_top - table_bottom) / (layout.rows + 2)
        columns = [0.27, 0.41, 0.16, 0.16]
        edges = [left]
        for share in columns:
            edges.append(edges[-1] + share * width)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        canvas.rect(left, table_bottom, width, table_top - table_bottom)
        canvas.setLineWidth(0.4)
        for index in range(1, layout.rows + 2):
            y = table_top - index * row
            canvas.line(left, y, right, y)
        for index, x in enumerate(edges[1:-1], start=1):
            # The total's label spans the summary and account columns.
            lowest = table_bottom + row if index == 1 else table_bottom
            canvas.line(x, table_top, x, lowest)
        heads = [
            _("Summary"),
            pgettext("voucher print", "Account"),
            _("Debit amount"),
            _("Credit amount"),
        ]
        for index, head in enumerate(heads):
            self.text(
                head,
                (edges[index] + edges[index + 1]) / 2,
                table_top - row / 2 - base * 0.35,
                size=base,
                align="center",
            )
        for row_no, line in enumerate(slip.lines, start=1):
            y = table_top - row_no * row
            self.cell(line.summary, edges[0], y, edges[1] - edges[0], row, size=base)
            account = f"{line.account_code} {line.account_name}"
            if line.customer:
                account = f"{account}／{line.customer}"
            self.cell(account, edges[1], y, edges[2] - edges[1], row, size=base)
            for column, amount in ((2, line.debit), (3, line.credit)):
                if amount:
                    self.cell(
                        amount_text(amount),
                        edges[column],
                        y,
                        edges[column + 1] - edges[column],
                        row,
                        size=base,
                        align="right",
                        color=RED if amount < 0 else INK,
                    )
        total_y = table_bottom + row
        if slip.last:
            debit, credit = slip.voucher.debit, slip.voucher.credit
            words = _("Total: %(words)s") % {"words": amount_in_capitals(debit, prefix=True)}
            self.cell(words, edges[0], total_y, edges[2] - edges[0], row, size=base)
            for column, amount in ((2, debit), (3, credit)):
                self.cell(
                    amount_text(amount),
                    edges[column],
                    total_y,
                    edges[column + 1] - edges[column],
                    row,
                    size=base,
                    align="right",
                    color=RED if amount < 0 else INK,
                )
        else:
            self.cell(
                _("Continued on the next slip"),
                edges[0],
                total_y,
                edges[2] - edges[0],
                row,
                size=base,
            )

        # The signature line: the supervisor and the cashier sign by hand.
        people = [
            (pgettext("voucher signature", "Accounting supervisor"), ""),
            (
                pgettext("voucher signature", "Posted by"),
                str(voucher.poster) if voucher.poster_id else "",
            ),
            (pgettext("voucher signature", "Cashier"), ""),
            (
                pgettext("voucher signature", "Reviewed by"),
                str(voucher.reviewer) if voucher.reviewer_id else "",
            ),
            (pgettext("voucher signature", "Made by"), str(voucher.maker)),
        ]
        share = width / len(people)
        for index, (role, name) in enumerate(people):
            self.text(
                _("%(role)s: %(name)s") % {"role": role, "name": name},
                left + index * share,
                bottom + 6 * mm,
                size=base * 0.9,
            )

        if voucher.status != VoucherStatus.POSTED:
            self.mark(
                pgettext("print mark", "Draft")
                if voucher.status == VoucherStatus.DRAFT
                else pgettext("print mark", "Not posted"),
                x=left + width / 2,
                y=bottom + height / 2,
                size=height * 0.28,
            )

    def mark(self, text: str, *, x: float, y: float, size: float) -> None:
        """Words across the slip: what a voucher not yet posted says about itself."""
        canvas = self.canvas
        canvas.saveState()
        canvas.setFillColor(MARK)
        canvas.setFont(self.font, size)
        canvas.translate(x, y)
        canvas.rotate(18)
        canvas.drawCentredString(0, -size * 0.35, text)
        canvas.restoreState()

    def cut_line(self, y: float) -> None:
        canvas = self.canvas
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#adb5bd"))
        canvas.setLineWidth(0.3)
        canvas.setDash(3, 3)
        canvas.line(6 * mm, y, self.layout.width - 6 * mm, y)
        canvas.restoreState()


def voucher_pdf_render(*, vouchers: Sequence[PrintVoucher], layout: str, company: str) -> bytes:
    """The vouchers in this order as PDF bytes, in one of the `PrintLayout`s."""
    shape = LAYOUTS[layout]
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(shape.width, shape.height), pageCompression=1)
    canvas.setTitle(
        _("Vouchers %(first)s to %(last)s")
        % {"first": vouchers[0].voucher.display_number, "last": vouchers[-1].voucher.display_number}
        if vouchers
        else _("Vouchers")
    )
    canvas.setAuthor(company or "Suanpan")
    canvas.setCreator("Suanpan")
    printer = _Printer(canvas, shape, company)
    slips = [slip for voucher in vouchers for slip in slips_of(voucher, rows=shape.rows)]
    height = shape.height / shape.slips
    for start in range(0, len(slips), shape.slips):
        for place, slip in enumerate(slips[start : start + shape.slips]):
            bottom = shape.height - (place + 1) * height
            printer.slip(slip, bottom=bottom, height=height)
            if place:
                printer.cut_line(bottom + height)
        canvas.showPage()
    if not slips:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def vouchers_pdf(*, ids: Sequence[int], layout: str) -> bytes:
    """The vouchers with these ids, in this order, printed in `layout` with the company's name."""
    return voucher_pdf_render(
        vouchers=vouchers_for_print(ids=ids), layout=layout, company=company_get().name
    )
