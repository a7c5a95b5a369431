"""What every PDF the product prints needs: a font that shows Chinese, and text made safe for
reportlab's paragraph markup."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

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
