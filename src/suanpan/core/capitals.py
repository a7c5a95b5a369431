"""Amounts in Chinese capitals (人民币大写) for invoices and statements. No Django here.

Conventions (tests/data/README.md and the reference data's notes):
- 整 after 元 and after 角, none after 分 (《会计基础工作规范》第52条): 壹万零伍元叁角整.
- One 零 for a run of zeros between digits, also across 万 and 亿 (壹佰万零伍拾肆元整), and a
  零 after 元 when the 元 digit is 0 and 角 or 分 follows, as the PBoC examples write it
  (《正确填写票据和结算凭证的基本规定》): 壹拾万柒仟元零伍角叁分, 壹仟陆佰捌拾元零叁角贰分.
- Tens are written with 壹: 壹拾壹元整, as on cheques.
- No "人民币" prefix unless asked (`prefix=True`); negatives start with 负; zero is 零元整.
"""

from __future__ import annotations

from decimal import Decimal

from suanpan.core.money import CENT, DecimalLike, to_decimal

__all__ = ["MAX_AMOUNT", "amount_in_capitals"]

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
MAX_AMOUNT = Decimal("9999999999999999.99")  # up to 玖仟玖佰玖拾玖万…亿 (below 10**16)


def amount_in_capitals(amount: DecimalLike, *, prefix: bool = False) -> str:
    """Write `amount` (yuan, at most 2 decimals) in capitals: 10005.30 -> 壹万零伍元叁角整.

    Refuses floats (TypeError), amounts with more than 2 decimals and amounts beyond
    ±MAX_AMOUNT (ValueError): round first, explicitly.
    """
    value = to_decimal(amount)
    if value != value.quantize(CENT):
        raise ValueError(f"{value} has more than 2 decimal places; round it first")
    if abs(value) > MAX_AMOUNT:
        raise ValueError(f"{value} is beyond {MAX_AMOUNT}")
    fen_total = int(abs(value) * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)

    words = [_integer(yuan) + "元"] if yuan else []
    if jiao:
        if yuan and yuan % 10 == 0:
            words.append("零")
        words.append(DIGITS[jiao] + "角")
        words.append(DIGITS[fen] + "分" if fen else "整")
    elif fen:
        if yuan:
            words.append("零")
        words.append(DIGITS[fen] + "分")
    else:
        words = [(_integer(yuan) if yuan else "零") + "元整"]

    sign = "负" if fen_total and value < 0 else ""
    return ("人民币" if prefix else "") + sign + "".join(words)


def _integer(number: int) -> str:
    """A positive whole number in capitals, 亿 over 万 over 仟佰拾 (壹拾贰万肆仟…亿…)."""
    if number >= 10**8:
        return _join(_integer(number // 10**8), "亿", number % 10**8, width=8)
    if number >= 10**4:
        return _join(_below_ten_thousand(number // 10**4), "万", number % 10**4, width=4)
    return _below_ten_thousand(number)


def _join(high: str, unit: str, low: int, *, width: int) -> str:
    """`high` + `unit`, then the `width`-digit low part, with one 零 if it starts with zeros."""
    if low == 0:
        return high + unit
    zero = "零" if low < 10 ** (width - 1) else ""
    return high + unit + zero + _integer(low)


def _below_ten_thousand(number: int) -> str:
    """1..9999: a run of zeros between digits is one 零; trailing zeros are not written."""
    words: list[str] = []
    pending_zero = False
    for place in range(3, -1, -1):
        digit = number // 10**place % 10
        if digit == 0:
            pending_zero = bool(words)
            continue
        if pending_zero:
            words.append("零")
            pending_zero = False
        words.append(DIGITS[digit] + PLACES[place])
    return "".join(words)
