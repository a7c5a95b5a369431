"""What every PDF the product prints needs: a font that shows Chinese, and text made safe for
reportlab's paragraph markup."""

from __future__ import annotations

from typing import IO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import SimpleDocTemplate

# One of the standard CJK fonts every PDF reader has: nothing is embedded, Chinese shows.
CJK_FONT = "STSong-Light"
_registered = False


def cjk_font() -> str:
    """The CJK font's name, registered with reportlab on first use."""
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
        _registered = True
    return CJK_FONT


def markup_escape(text: str) -> str:
    """Paragraph text is a little markup language: escape what a person typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def base_style(*, size: float = 9, leading: float = 12) -> ParagraphStyle:
    """Body text in the CJK font, wrapping between any two Chinese characters."""
    return ParagraphStyle(
        "base", fontName=cjk_font(), fontSize=size, leading=leading, wordWrap="CJK"
    )


def title_style(base: ParagraphStyle, *, size: float = 16, leading: float = 22) -> ParagraphStyle:
    return ParagraphStyle("title", parent=base, fontSize=size, leading=leading, alignment=TA_CENTER)


def a4_document(
    stream: IO[bytes],
    *,
    title: str,
    author: str,
    margin: float = 12 * mm,
    bottom_margin: float = 14 * mm,
    pagesize: tuple[float, float] = A4,
) -> SimpleDocTemplate:
    """A page layout whose properties name the document and its author (the company, or the
    product while the books are not set up)."""
    return SimpleDocTemplate(
        stream,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=bottom_margin,
        title=title,
        author=author or "Suanpan",
        creator="Suanpan",
    )
