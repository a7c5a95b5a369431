"""The values in a bank statement's cells — dates in the banks' many formats, times, amounts
with their signs or a direction column — and the documents a line's remark names (数电 invoice
numbers, sales order numbers). No Django."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation


def header_norm(text: str) -> str:
    """Headers compared loosely: width, case, spaces and the brackets banks vary."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "*:：")


# A direction cell meaning money came in (贷 on the bank's side), or went out.
CREDIT_MARKS = ("贷", "收", "收入", "入", "c", "cr", "credit", "in")
DEBIT_MARKS = ("借", "付", "支", "支出", "出", "d", "dr", "debit", "out")
BLANK_AMOUNTS = ("", "-", "--", "—", "/")
MAX_AMOUNT = Decimal("999999999999.99")

_DIGITS = re.compile(r"^\d{8}$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?$")


def date_parse(text: str, fmt: str = "") -> tuple[date, time | None]:
    """A statement's date cell: the date and the time when the cell carries one
    (2021-01-12 08:00:24, 20210112 080024, 2021/1/12, 20210112080024). ValueError otherwise."""
    text = unicodedata.normalize("NFKC", text).strip()
    if fmt:
        parsed = datetime.strptime(text, fmt)  # noqa: DTZ007 (the bank's wall clock)
        return parsed.date(), (parsed.time() if ("%H" in fmt or "%I" in fmt) else None)
    if text.isdigit() and len(text) == 14:
        return _date_part(text[:8]), time_parse(text[8:])
    day_text, _sep, rest = text.replace("T", " ").partition(" ")
    return _date_part(day_text), time_parse(rest) if rest.strip() else None


def _date_part(text: str) -> date:
    if _DIGITS.match(text):
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    match = _DATE.match(text)
    if match is None:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    return date(year, month, day)


def time_parse(text: str) -> time | None:
    """A time cell: 080024, 0800, 08:00:24, 8:00 (or a whole date and time); None when blank.
    ValueError for anything else."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    if " " in text or "T" in text:
        return date_parse(text)[1]
    if text.isdigit() and len(text) in (4, 6):
        hour, minute = int(text[:2]), int(text[2:4])
        return time(hour, minute, int(text[4:6]) if len(text) == 6 else 0)
    if text.isdigit() and len(text) == 14:
        return time_parse(text[8:])
    match = _TIME.match(text)
    if match is None:
        raise ValueError(text)
    hours, minutes, seconds = match.groups()
    return time(int(hours), int(minutes), int(seconds or 0))


def amount_parse(text: str) -> Decimal | None:
    """An amount cell: 1,234.50, ¥1234.5, (12.00) as negative; None when blank or a dash.
    ValueError for text that is no amount, or more than two decimals."""
    text = unicodedata.normalize("NFKC", text).strip()
    for mark in ("¥", "￥", "元", ",", " ", "RMB", "CNY"):
        text = text.replace(mark, "")
    if text in BLANK_AMOUNTS:
        return None
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(text)
    if abs(amount) > MAX_AMOUNT:
        raise ValueError(text)
    return -amount if negative else amount


def direction_parse(text: str) -> bool | None:
    """True for money in, False for money out, None when the cell says neither."""
    key = header_norm(text)
    if key in CREDIT_MARKS or key.startswith("贷"):
        return True
    if key in DEBIT_MARKS or key.startswith("借"):
        return False
    return None


# A 数电 fapiao number is 20 digits; an order number is the sales series' XS-YYYYMM-NNNN.
_INVOICE_NUMBER = re.compile(r"(?<!\d)\d{20}(?!\d)")
_ORDER_NUMBER = re.compile(r"XS-?\d{6}-?\d{4,}", re.IGNORECASE)


def invoice_numbers(text: str) -> list[str]:
    return list(dict.fromkeys(_INVOICE_NUMBER.findall(unicodedata.normalize("NFKC", text))))


def order_numbers(text: str) -> list[str]:
    """Order numbers in a remark, spelled as the sales series writes them (XS-202601-0001)."""
    found = []
    for raw in _ORDER_NUMBER.findall(unicodedata.normalize("NFKC", text).upper()):
        digits = raw[2:].replace("-", "")
        found.append(f"XS-{digits[:6]}-{digits[6:]}")
    return list(dict.fromkeys(found))
