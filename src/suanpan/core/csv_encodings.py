"""The text of a CSV file, whatever Excel saved it as.

UTF-8 (with or without BOM) and UTF-16 with BOM are read as they are. Anything else goes to a
maintained detector (charset-normalizer): GB18030 (Excel's "CSV" on a Chinese Windows) and
Windows-1252 (the same on a Western Windows: Müller, Bäcker) are read when its likeliest guesses
point to one of them and not the other. Otherwise the file is refused with the guess named,
rather than previewed as mojibake one click from import; the user may then name the encoding.
"""

from __future__ import annotations

from charset_normalizer import from_bytes
from django.utils.translation import gettext_lazy as _

from suanpan.core.spreadsheet_errors import SpreadsheetInvalid

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# The encodings a CSV may be read in when the user names one (page and `--encoding`).
ENCODINGS: dict[str, str] = {
    "utf-8": "UTF-8",
    "gb18030": "GB18030 / GBK",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252 / Latin-1",
}
# What the detector may answer for each family a file is read in without asking.
_CHINESE = frozenset({"gb18030", "gbk", "gb2312"})
_WESTERN = frozenset({"cp1252", "latin_1", "iso8859_15"})
# Guesses within this much "chaos" of the best are as likely as the best.
_DETECT_TIE = 0.01


def csv_decode(data: bytes, encoding: str | None = None) -> str:
    """The text of a CSV file: in `encoding` when the user names one; else UTF-8 or UTF-16 by
    their BOM, UTF-8 if it decodes, else the encoding the detector is sure of."""
    if encoding:
        if encoding not in ENCODINGS:
            raise SpreadsheetInvalid(_("Unknown encoding “%(encoding)s”."), encoding=encoding)
        codec = {"utf-8": "utf-8-sig", "utf-16": "utf-16"}.get(encoding, encoding)
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            raise SpreadsheetInvalid(
                _("The file cannot be read as %(encoding)s (byte %(position)s)."),
                encoding=ENCODINGS[encoding],
                position=exc.start,
            ) from exc
    if b"\x00" in data and not data.startswith(_UTF16_BOMS):
        raise SpreadsheetInvalid(_("The file is not a text (CSV) file."))
    if data.startswith(_UTF8_BOM):
        return _decode_or_refuse(data, "utf-8-sig")
    if data.startswith(_UTF16_BOMS):
        return _decode_or_refuse(data, "utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return data.decode(_csv_encoding_detect(data))


def _decode_or_refuse(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise SpreadsheetInvalid(
            _("The file says it is %(encoding)s but is damaged near byte %(position)s."),
            encoding=codec.upper(),
            position=exc.start,
        ) from exc


def _csv_encoding_detect(data: bytes) -> str:
    """GB18030 or Windows-1252 when the detector's likeliest guesses (ties included: short
    files fit many encodings) point to one of them and not the other; else refuse, naming the
    guess, rather than show the user mojibake one click from import."""
    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise SpreadsheetInvalid(
            _(
                "The CSV file is not text in a known encoding; "
                "save it from Excel as “CSV UTF-8” or as .xlsx."
            )
        )
    likely = {
        name
        for match in results
        if match.chaos <= best.chaos + _DETECT_TIE
        for name in (match.encoding, *match.could_be_from_charset)
    }
    families = [
        codec for family, codec in ((_CHINESE, "gb18030"), (_WESTERN, "cp1252")) if likely & family
    ]
    if len(families) == 1:
        try:
            data.decode(families[0])
        except UnicodeDecodeError:
            pass
        else:
            return families[0]
    raise SpreadsheetInvalid(
        _(
            "The CSV file is not UTF-8, and its encoding cannot be told for sure (it looks like "
            "%(guess)s). Save it from Excel as “CSV UTF-8” or as .xlsx, or choose its encoding."
        ),
        guess=best.encoding,
    )
