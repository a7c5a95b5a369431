"""Bank statement files (银行流水) as the banks' corporate online banking exports them: the
column mapping a bank account keeps, the presets for the common layouts, finding the header
below the title rows, reading the lines (their cells' values: `bank_values`), and the key that
tells a line already imported. No Django: the service hands in the rows as text and gets lines or row errors back.

A file is a few title rows (户名/账号/期间), the header, the lines and sometimes totals
(合计/笔数) below them. Columns are named by their header text, not their position, so a bank
that adds a column does not break a saved mapping.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from suanpan.receivables.calculations.bank_values import (
    amount_parse,
    date_parse,
    direction_parse,
    header_norm,
    time_parse,
)

# How far down a file the header may stand below its title rows.
HEADER_SEARCH_ROWS = 20
# Words of a totals row below the lines; such rows at the end are skipped, not errors.
FOOTER_WORDS = ("合计", "总计", "小计", "笔数", "累计", "本页", "total")


@dataclass(frozen=True)
class Mapping:
    """Which column (by header text) holds each field of a line, and how the file is laid out.

    Either `credit` and `debit` (one filled per line) or `amount` with `direction` (or a
    signed `amount` alone) give the money. `header_row` 0 means: find it by the headers.
    `date_format` empty means: any of the usual spellings (2021-01-12, 20210112, 2021/1/12).
    """

    date: str
    credit: str = ""
    debit: str = ""
    amount: str = ""
    direction: str = ""
    time: str = ""
    balance: str = ""
    counterparty_name: str = ""
    counterparty_account: str = ""
    counterparty_bank: str = ""
    summary: tuple[str, ...] = ()
    serial: str = ""
    header_row: int = 0
    skip_footer: int = 0
    date_format: str = ""

    def columns(self) -> dict[str, str]:
        """Field → header text, for the fields that name one column."""
        names = (
            "date",
            "time",
            "credit",
            "debit",
            "amount",
            "direction",
            "balance",
            "counterparty_name",
            "counterparty_account",
            "counterparty_bank",
            "serial",
        )
        return {name: getattr(self, name) for name in names if getattr(self, name)}

    def headers(self) -> list[str]:
        return [*self.columns().values(), *self.summary]

    def problems(self) -> list[str]:
        """What makes the mapping unusable, in words for the person who saved it."""
        found = []
        if not self.date:
            found.append("date")
        if not (self.credit or self.debit or self.amount):
            found.append("money")
        if self.amount and (self.credit or self.debit):
            found.append("money_twice")
        if self.header_row < 0 or self.skip_footer < 0:
            found.append("rows")
        if self.date_format and not _format_usable(self.date_format):
            found.append("date_format")
        return found

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["summary"] = list(self.summary)
        return data


def _format_usable(fmt: str) -> bool:
    try:
        # A wall-clock date as the bank prints it; no time zone is meant.
        datetime.strptime(date(2021, 1, 12).strftime(fmt), fmt)  # noqa: DTZ007
    except ValueError:
        return False
    return "%Y" in fmt or "%y" in fmt


MAPPING_FIELDS = tuple(Mapping.__dataclass_fields__)


def mapping_from_dict(data: dict[str, Any]) -> Mapping:
    """A saved mapping (JSON) back as a Mapping; unknown keys are left out, texts trimmed.
    ValueError when a value has the wrong type."""
    values: dict[str, Any] = {}
    for key in MAPPING_FIELDS:
        if key not in data or data[key] is None:
            continue
        value = data[key]
        if key in ("header_row", "skip_footer"):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(key)
            values[key] = value
        elif key == "summary":
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise ValueError(key)
            values[key] = tuple(v.strip() for v in value if v.strip())
        else:
            if not isinstance(value, str):
                raise ValueError(key)
            values[key] = value.strip()
    values.setdefault("date", "")
    return Mapping(**values)


@dataclass(frozen=True)
class Preset:
    code: str
    bank: str
    mapping: Mapping
    # Headers only this layout has, which tell it from the others when detecting.
    marks: tuple[str, ...] = field(default=())


PRESETS: dict[str, Preset] = {
    preset.code: preset
    for preset in (
        Preset(
            "ccb",
            "中国建设银行",
            Mapping(
                date="交易时间",
                debit="借方发生额（支取）",
                credit="贷方发生额（收入）",
                balance="余额",
                counterparty_name="对方户名",
                counterparty_account="对方账号",
                counterparty_bank="对方开户机构",
                summary=("摘要", "备注"),
                serial="账户明细编号-交易流水号",
            ),
            marks=("账户明细编号-交易流水号", "对方开户机构"),
        ),
        Preset(
            "cmb",
            "招商银行",
            Mapping(
                date="交易日",
                time="交易时间",
                debit="借方金额",
                credit="贷方金额",
                balance="余额",
                counterparty_name="收/付方名称",
                counterparty_account="收/付方帐号",
                counterparty_bank="收/付方开户行名",
                summary=("摘要", "用途", "扩展摘要"),
                serial="流水号",
            ),
            marks=("收/付方名称", "流程实例号"),
        ),
        Preset(
            "abc",
            "中国农业银行",
            Mapping(
                date="交易日期",
                time="交易时间戳",
                credit="收入金额",
                debit="支出金额",
                balance="本次余额",
                counterparty_name="对方户名",
                counterparty_account="对方账号",
                summary=("交易说明", "交易摘要", "交易附言"),
                serial="交易日志号",
            ),
            marks=("收入金额", "本次余额"),
        ),
        Preset(
            "icbc",
            "中国工商银行",
            Mapping(
                date="交易时间",
                debit="借方发生额",
                credit="贷方发生额",
                balance="余额",
                counterparty_name="对方单位名称",
                counterparty_account="对方账号",
                summary=("摘要", "用途", "个性化信息"),
            ),
            marks=("对方单位名称", "个性化信息"),
        ),
        Preset(
            "cmbc",
            "中国民生银行",
            Mapping(
                date="交易日期",
                time="交易时间",
                debit="借方发生额",
                credit="贷方发生额",
                balance="账户余额",
                counterparty_name="对方账号名称",
                counterparty_account="对方账号",
                counterparty_bank="对方开户行",
                summary=("摘要",),
                serial="主机交易流水号",
            ),
            marks=("主机交易流水号", "对方账号名称"),
        ),
    )
}


def _positions(row: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for position, text in enumerate(row):
        key = header_norm(text)
        if key and key not in found:
            found[key] = position
    return found


def _fits(mapping: Mapping, positions: dict[str, int]) -> bool:
    """The row holds every column the mapping names."""
    return all(header_norm(h) in positions for h in mapping.headers())


def header_find(
    rows: Sequence[Sequence[str]], mapping: Mapping | None = None
) -> tuple[int, Mapping, str] | None:
    """The header among the first rows: its index in `rows`, the mapping to read with and the
    preset code ("" for the mapping given). Without a mapping, the preset whose headers all
    stand in one row, the one with most of its own marks first. None when nothing fits."""
    if mapping is not None:
        if mapping.header_row:
            index = mapping.header_row - 1
            if index < len(rows) and _fits(mapping, _positions(rows[index])):
                return index, mapping, ""
            return None
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if _fits(mapping, _positions(row)):
                return index, mapping, ""
        return None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        positions = _positions(row)
        fitting = [p for p in PRESETS.values() if _fits(p.mapping, positions)]
        if fitting:
            best = max(
                fitting,
                key=lambda p: (
                    sum(header_norm(m) in positions for m in p.marks),
                    len(p.mapping.headers()),
                ),
            )
            return index, best.mapping, best.code
    return None


@dataclass(frozen=True)
class Line:
    """One statement line, read: `amount` positive, `incoming` for money received."""

    row: int
    booked_on: date
    booked_at: time | None
    amount: Decimal
    incoming: bool
    balance: Decimal | None = None
    counterparty_name: str = ""
    counterparty_account: str = ""
    counterparty_bank: str = ""
    summary: str = ""
    serial: str = ""


@dataclass(frozen=True)
class LineError:
    row: int
    column: str
    code: str  # date, time, amount, no_amount, direction, balance


@dataclass
class Reading:
    lines: list[Line]
    errors: list[LineError]
    header_row: int  # as numbered in the file
    footer_rows: int


def _is_footer(cells: Sequence[str]) -> bool:
    text = header_norm("".join(cells))
    return not text or any(word in text for word in FOOTER_WORDS)


def statement_read(
    numbered: Sequence[tuple[int, Sequence[str]]], index: int, mapping: Mapping
) -> Reading:
    """Read the lines below the header at `numbered[index]` with `mapping`. The last
    `skip_footer` rows, and trailing rows whose date is blank or that are totals, are skipped."""
    header_number, header = numbered[index]
    positions = _positions(header)

    def at(name: str) -> int | None:
        return positions.get(header_norm(name)) if name else None

    where = {name: at(text) for name, text in mapping.columns().items()}
    summary_at = [p for p in (at(text) for text in mapping.summary) if p is not None]
    body = list(numbered[index + 1 :])
    if mapping.skip_footer:
        body = body[: max(len(body) - mapping.skip_footer, 0)]

    def cell(cells: Sequence[str], name: str) -> str:
        position = where.get(name)
        if position is None or position >= len(cells):
            return ""
        return cells[position].strip()

    # Totals after the lines: trailing rows with no date, or with the words of a total.
    end = len(body)
    while end:
        cells = body[end - 1][1]
        text = cell(cells, "date")
        if text and not _is_footer(cells):
            break
        end -= 1
    footer = len(body) - end + mapping.skip_footer
    lines: list[Line] = []
    errors: list[LineError] = []
    for number, cells in body[:end]:
        if not any(c.strip() for c in cells):
            continue
        line_errors: list[LineError] = []
        try:
            booked_on, booked_at = date_parse(cell(cells, "date"), mapping.date_format)
        except ValueError:
            line_errors.append(LineError(number, mapping.date, "date"))
            booked_on, booked_at = date.min, None
        if mapping.time:
            try:
                booked_at = time_parse(cell(cells, "time")) or booked_at
            except ValueError:
                line_errors.append(LineError(number, mapping.time, "time"))
        amount: Decimal | None = None
        incoming = True
        try:
            if mapping.amount:
                amount = amount_parse(cell(cells, "amount"))
                flag = direction_parse(cell(cells, "direction")) if mapping.direction else None
                if mapping.direction and flag is None and amount:
                    line_errors.append(LineError(number, mapping.direction, "direction"))
                incoming = flag if flag is not None else (amount or 0) > 0
                amount = abs(amount) if amount is not None else None
            else:
                credit = amount_parse(cell(cells, "credit")) if mapping.credit else None
                debit = amount_parse(cell(cells, "debit")) if mapping.debit else None
                if credit:
                    amount, incoming = abs(credit), credit > 0
                elif debit:
                    amount, incoming = abs(debit), debit < 0
        except ValueError:
            line_errors.append(
                LineError(number, mapping.amount or mapping.credit or mapping.debit, "amount")
            )
        else:
            if not amount and not line_errors:
                line_errors.append(
                    LineError(
                        number, mapping.amount or mapping.credit or mapping.debit, "no_amount"
                    )
                )
        balance = None
        if mapping.balance:
            try:
                balance = amount_parse(cell(cells, "balance"))
            except ValueError:
                line_errors.append(LineError(number, mapping.balance, "balance"))
        if line_errors:
            errors.extend(line_errors)
            continue
        summary = " ".join(
            text
            for text in dict.fromkeys(
                cells[p].strip() for p in summary_at if p < len(cells) and cells[p].strip()
            )
        )
        if amount is None:  # every path without an amount recorded an error above
            continue
        lines.append(
            Line(
                row=number,
                booked_on=booked_on,
                booked_at=booked_at,
                amount=amount,
                incoming=incoming,
                balance=balance,
                counterparty_name=cell(cells, "counterparty_name"),
                counterparty_account=account_norm(cell(cells, "counterparty_account")),
                counterparty_bank=cell(cells, "counterparty_bank"),
                summary=summary,
                serial=cell(cells, "serial"),
            )
        )
    return Reading(lines=lines, errors=errors, header_row=header_number, footer_rows=footer)


def account_norm(text: str) -> str:
    """An account number as receipts keep it: no spaces or dashes."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch not in " -\t")


def content_keys(lines: Iterable[Line], bank_account: str) -> list[str]:
    """A key per line for lines without a bank serial: what the line says, and how many
    lines before it in the file said the same, so that two equal lines of one file stay two
    while importing the file again adds neither."""
    seen: dict[str, int] = {}
    keys = []
    for line in lines:
        text = "|".join(
            (
                bank_account,
                line.booked_on.isoformat(),
                line.booked_at.isoformat() if line.booked_at else "",
                f"{line.amount:.2f}",
                "in" if line.incoming else "out",
                "" if line.balance is None else f"{line.balance:.2f}",
                line.counterparty_name,
                line.counterparty_account,
                line.summary,
            )
        )
        seen[text] = seen.get(text, 0) + 1
        keys.append(hashlib.sha256(f"{text}|{seen[text]}".encode()).hexdigest())
    return keys
