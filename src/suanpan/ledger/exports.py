"""Posted vouchers in the layouts other financial systems import, and the books as Beancount.

Kingdee K3/KIS 凭证引入 (xlsx), Yonyou U8/T3 `填制凭证,V800` text (GBK) and a plain CSV take a
range of periods; the Beancount file is always the whole ledger so that its balances equal the
trial balance. Every writer streams: vouchers are read in chunks with their lines prefetched.
Layouts, sources and what is confirmed: docs/ledger-exports.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, Literal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from suanpan.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from suanpan.ledger.choices import AccountCategory, Direction, VoucherStatus
from suanpan.ledger.models import Account, Company, Voucher, VoucherLine
from suanpan.users.models import User

EXPORT_PERMISSION = "ledger.view_ledger_reports"
CHUNK = 500
ZERO = Decimal("0.00")

Progress = Callable[[int], object]


class ExportEncodingError(DomainError):
    """A text the target encoding cannot hold (Yonyou reads GBK only)."""

    code = "ledger_export_encoding"
    default_message = gettext_lazy(
        "Voucher %(voucher)s: “%(char)s” in %(field)s cannot be written in GBK, which Yonyou "
        "reads. Change the text, or export with unencodable characters replaced by “?”."
    )


class ExportRangeInvalid(ValidationFailed):
    code = "ledger_export_range"
    default_message = gettext_lazy("Periods are written YYYYMM, e.g. 202601; %(value)s is not.")


@dataclass(frozen=True)
class ExportResult:
    vouchers: int
    lines: int


def export_permission_require(actor: User) -> None:
    if not actor.has_perm(EXPORT_PERMISSION):
        raise PermissionDeniedError()


def period_key_parse(value: str) -> tuple[int, int]:
    """ "202601" → (2026, 1); anything else is refused with the value named."""
    value = value.strip()
    if len(value) != 6 or not value.isdigit() or not 1 <= int(value[4:]) <= 12:
        raise ExportRangeInvalid(value=value)
    return int(value[:4]), int(value[4:])


def posted_vouchers(
    *, period_from: str | None = None, period_to: str | None = None
) -> QuerySet[Voucher]:
    """Posted vouchers of a period range (YYYYMM, both ends included), by date and posting."""
    queryset = Voucher.objects.filter(status=VoucherStatus.POSTED)
    if period_from:
        year, month = period_key_parse(period_from)
        queryset = queryset.filter(
            Q(period__year__gt=year) | Q(period__year=year, period__month__gte=month)
        )
    if period_to:
        year, month = period_key_parse(period_to)
        queryset = queryset.filter(
            Q(period__year__lt=year) | Q(period__year=year, period__month__lte=month)
        )
    return (
        queryset.select_related("period", "maker", "reviewer", "poster", "reverses__period")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=VoucherLine.objects.select_related("account", "dimension").order_by(
                    "line_no"
                ),
            )
        )
        .order_by("period__year", "period__month", "date", "chain_seq")
    )


def _stream(queryset: QuerySet[Voucher]) -> Iterator[Voucher]:
    # iterator() with a chunk size keeps memory flat and still prefetches the lines per chunk.
    return queryset.iterator(chunk_size=CHUNK)


def _person(user: User | None) -> str:
    return str(user) if user is not None else ""


def _amount(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------- Kingdee


KINGDEE_COLUMNS = (
    "凭证日期",
    "会计年度",
    "会计期间",
    "凭证字",
    "凭证号",
    "科目代码",
    "科目名称",
    "币别代码",
    "币别名称",
    "原币金额",
    "借方",
    "贷方",
    "制单",
    "审核",
    "核准",
    "出纳",
    "经办",
    "结算方式",
    "结算号",
    "凭证摘要",
    "数量",
    "数量单位",
    "单价",
    "参考信息",
    "业务日期",
    "往来业务编号",
    "附件数",
    "序号",
    "系统模块",
    "业务描述",
    "汇率类型",
    "汇率",
    "分录序号",
    "核算项目",
    "过账",
    "机制凭证",
    "现金流量",
)
KINGDEE_SHEET = "Page1"


def kingdee_row(voucher: Voucher, line: VoucherLine, *, serial: int) -> list[object]:
    """One voucher line as the 37 cells of Kingdee's 凭证引入 sheet, in column order."""
    debit, credit = Decimal(line.debit_amount), Decimal(line.credit_amount)
    dimension = line.dimension
    return [
        voucher.date,
        voucher.period.year,
        voucher.period.month,
        voucher.word,
        voucher.number,
        line.account.code,
        line.account.name,
        "RMB",
        "人民币",
        debit if debit != 0 else credit,  # 原币金额: the amount in whichever column holds it
        debit,
        credit,
        _person(voucher.maker),
        _person(voucher.reviewer),
        "",  # 核准: Suanpan has no separate approval
        "",  # 出纳
        "",  # 经办
        "*",  # 结算方式: none
        "",
        _one_line(line.summary or voucher.summary),
        0,
        "*",  # 数量单位: none
        0,
        voucher.display_number,  # 参考信息: Suanpan's number, to find the voucher again
        voucher.date,
        voucher.source_id if line.account.is_open_item else "",
        voucher.attachments,
        serial,
        "",
        "",
        "公司汇率",
        1,
        line.line_no - 1,  # 分录序号 counts from 0
        f"客户---{dimension.code}---{dimension.name}" if dimension is not None else "",
        0,  # 过账: arrives unposted; Kingdee posts it again in its own books
        "",
        "",
    ]


def kingdee_export(
    *,
    actor: User,
    out: IO[bytes],
    period_from: str | None = None,
    period_to: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Kingdee K/3 & KIS 凭证引入 workbook: one row per line, the 37 columns in their order."""
    export_permission_require(actor)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(KINGDEE_SHEET)
    sheet.append(list(KINGDEE_COLUMNS))
    vouchers = lines = 0
    for voucher in _stream(posted_vouchers(period_from=period_from, period_to=period_to)):
        vouchers += 1
        for line in voucher.lines.all():
            sheet.append(kingdee_row(voucher, line, serial=vouchers))
            lines += 1
        if progress:
            progress(1)
    workbook.save(out)
    return ExportResult(vouchers=vouchers, lines=lines)


# ---------------------------------------------------------------------------- Yonyou

YONYOU_HEADER = "填制凭证,V800"
YONYOU_SUMMARY_BYTES = 60  # 摘要: 60 bytes in GBK, i.e. 30 Chinese characters
Unencodable = Literal["error", "replace"]


def yonyou_account_code(code: str) -> str:
    """U8 keeps codes as digits by its coding scheme (4-2-2…): 1122.01 → 112201."""
    return code.replace(".", "")


def _gbk_text(
    text: str, *, voucher: Voucher, field: str, unencodable: Unencodable, max_bytes: int = 0
) -> str:
    # A comma would end the field: the full-width comma reads the same and is valid GBK.
    text = _one_line(text).replace(",", "，")
    kept = []
    for char in text:
        try:
            char.encode("gbk")
        except UnicodeEncodeError:
            if unencodable == "error":
                raise ExportEncodingError(
                    voucher=voucher.display_number, char=char, field=field
                ) from None
            char = "?"
        kept.append(char)
    text = "".join(kept)
    if max_bytes:
        while len(text.encode("gbk")) > max_bytes:
            text = text[:-1]
    return text


def yonyou_line(
    voucher: Voucher,
    line: VoucherLine,
    *,
    account_codes: Mapping[str, str] | None = None,
    unencodable: Unencodable = "error",
) -> str:
    """One entry line: positions 1–8, 12 (制单人) and, with a customer, 18 (客户编码)."""
    code = line.account.code
    target = (account_codes or {}).get(code) or yonyou_account_code(code)
    debit, credit = Decimal(line.debit_amount), Decimal(line.credit_amount)

    def text(value: str, field: str, max_bytes: int = 0) -> str:
        return _gbk_text(
            value, voucher=voucher, field=field, unencodable=unencodable, max_bytes=max_bytes
        )

    fields = [
        voucher.date.isoformat(),
        voucher.word,
        str(voucher.number),
        str(voucher.attachments),
        text(line.summary or voucher.summary, _("the summary"), YONYOU_SUMMARY_BYTES),
        target,
        _amount(debit) if debit != 0 else "0",
        _amount(credit) if credit != 0 else "0",
        "",  # 9 数量
        "",  # 10 外币
        "",  # 11 汇率
        text(_person(voucher.maker), _("the maker's name")),
    ]
    if line.dimension is not None:
        fields += ["", "", "", "", "", text(line.dimension.code, _("the customer code"))]
    return ",".join(fields)


def yonyou_export(
    *,
    actor: User,
    out: IO[bytes],
    period_from: str | None = None,
    period_to: str | None = None,
    account_codes: Mapping[str, str] | None = None,
    unencodable: Unencodable = "error",
    progress: Progress | None = None,
) -> ExportResult:
    """Yonyou U8/T3 总账 凭证引入 text, GBK with CRLF lines, first line `填制凭证,V800`.

    Text GBK cannot hold raises ExportEncodingError (or becomes "?" with unencodable="replace");
    the caller writes to a temporary file so that a refused export leaves nothing behind.
    """
    export_permission_require(actor)
    out.write((YONYOU_HEADER + "\r\n").encode("gbk"))
    vouchers = lines = 0
    for voucher in _stream(posted_vouchers(period_from=period_from, period_to=period_to)):
        vouchers += 1
        for line in voucher.lines.all():
            text = yonyou_line(voucher, line, account_codes=account_codes, unencodable=unencodable)
            out.write((text + "\r\n").encode("gbk"))
            lines += 1
        if progress:
            progress(1)
    return ExportResult(vouchers=vouchers, lines=lines)


# ---------------------------------------------------------------------------- CSV


def csv_header() -> list[str]:
    return [
        _("Voucher"),
        _("Date"),
        _("Word"),
        _("Number"),
        _("Summary"),
        _("Account code"),
        _("Account name"),
        _("Customer code"),
        _("Customer name"),
        _("Debit"),
        _("Credit"),
    ]


def csv_export(
    *,
    actor: User,
    out: IO[bytes],
    period_from: str | None = None,
    period_to: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """One row per posted line, UTF-8 with a byte-order mark so that Excel reads the Chinese."""
    export_permission_require(actor)
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(csv_header())
    vouchers = lines = 0
    for voucher in _stream(posted_vouchers(period_from=period_from, period_to=period_to)):
        vouchers += 1
        for line in voucher.lines.all():
            dimension = line.dimension
            writer.writerow(
                [
                    voucher.display_number,
                    voucher.date.isoformat(),
                    voucher.word,
                    voucher.number,
                    line.summary or voucher.summary,
                    line.account.code,
                    line.account.name,
                    dimension.code if dimension else "",
                    dimension.name if dimension else "",
                    _amount(line.debit_amount),
                    _amount(line.credit_amount),
                ]
            )
            lines += 1
        if progress:
            progress(1)
    text.detach()  # leave `out` open for the caller
    return ExportResult(vouchers=vouchers, lines=lines)


# ---------------------------------------------------------------------------- Beancount

WORD_LINK = {"记": "ji", "收": "shou", "付": "fu", "转": "zhuan"}


def _beancount_root(top: Account) -> str:
    """The Beancount root of a first-level account.

    成本类 (production costs) are work in progress, an asset; 共同类 goes by its balance
    direction; profit and loss splits into Income (credit) and Expenses (debit).
    """
    category, debit = top.category, top.direction == Direction.DEBIT
    if category in (AccountCategory.ASSET, AccountCategory.COST):
        return "Assets"
    if category == AccountCategory.LIABILITY:
        return "Liabilities"
    if category == AccountCategory.EQUITY:
        return "Equity"
    if category == AccountCategory.COMMON:
        return "Assets" if debit else "Liabilities"
    return "Expenses" if debit else "Income"


def _beancount_component(segment: str, name: str) -> str:
    """`<code segment>-<name>` with what Beancount refuses turned into hyphens.

    A component holds letters (Chinese included), digits and hyphens and starts with a capital
    or a digit; the code segment in front gives it that start.
    """
    raw = f"{segment}-{name}"
    cleaned = "".join(c if c.isalpha() or c.isdecimal() or c == "-" else "-" for c in raw)
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    cleaned = cleaned.strip("-")
    if not cleaned or not (
        cleaned[0].isdecimal() or (cleaned[0].isupper() and cleaned[0].isascii())
    ):
        cleaned = "X" + cleaned
    return cleaned


def beancount_account_names(accounts: list[Account]) -> dict[int, str]:
    """Beancount name of each account: the code tree under the root of its category.

    1122 应收账款 → Assets:1122-应收账款, 1122.01 客户 → Assets:1122-应收账款:01-客户.
    """
    by_pk = {a.pk: a for a in accounts}
    names: dict[int, str] = {}

    def name_of(account: Account) -> str:
        if account.pk in names:
            return names[account.pk]
        parent = by_pk.get(account.parent_id) if account.parent_id else None
        if parent is None:
            name = f"{_beancount_root(account)}:{_beancount_component(account.code, account.name)}"
        else:
            segment = account.code.removeprefix(parent.code).lstrip(".")
            name = f"{name_of(parent)}:{_beancount_component(segment, account.name)}"
        names[account.pk] = name
        return name

    for account in accounts:
        name_of(account)
    return names


def _bean_string(text: str) -> str:
    return '"' + _one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _bean_link(voucher: Voucher) -> str:
    word = WORD_LINK.get(voucher.word, "v")
    return f"^{word}-{voucher.period.key}-{voucher.number:04d}"


def beancount_export(
    *, actor: User, out: IO[bytes], progress: Progress | None = None
) -> ExportResult:
    """The whole ledger as a Beancount file (UTF-8): accounts opened at the first period,
    one transaction per posted voucher in CNY; customers are posting metadata, so each
    account's balance is the trial balance's."""
    export_permission_require(actor)
    company = Company.objects.first()
    accounts = list(Account.objects.order_by("code"))
    names = beancount_account_names(accounts)
    opened_on = company.first_period if company else date(2000, 1, 1)
    title = company.name if company else "Suanpan"

    def write(text: str = "") -> None:
        out.write((text + "\n").encode("utf-8"))

    write(f"; {title}: {_('books exported from Suanpan on')} {timezone.localdate().isoformat()}")
    write(f"option {_bean_string('title')} {_bean_string(title)}")
    write('option "operating_currency" "CNY"')
    write()
    write(f"{opened_on.isoformat()} commodity CNY")
    for account in accounts:
        write(f"{opened_on.isoformat()} open {names[account.pk]} CNY")
        write(f"  code: {_bean_string(account.code)}")
    vouchers = lines = 0
    for voucher in _stream(posted_vouchers()):
        vouchers += 1
        links = [_bean_link(voucher)]
        if voucher.reverses is not None:
            links.append(_bean_link(voucher.reverses))
        write()
        write(f"{voucher.date.isoformat()} * {_bean_string(voucher.summary)} {' '.join(links)}")
        write(f"  voucher: {_bean_string(voucher.display_number)}")
        if voucher.source_type:
            write(f"  source: {_bean_string(f'{voucher.source_type}:{voucher.source_id}')}")
        if voucher.reverses is not None:
            write(f"  reverses: {_bean_string(voucher.reverses.display_number)}")
        for line in voucher.lines.all():
            amount = Decimal(line.debit_amount) - Decimal(line.credit_amount)
            write(f"  {names[line.account_id]}  {_amount(amount)} CNY")
            if line.dimension is not None:
                write(f"    customer: {_bean_string(line.dimension.code)}")
                write(f"    customer_name: {_bean_string(line.dimension.name)}")
            if line.summary and line.summary != voucher.summary:
                write(f"    memo: {_bean_string(line.summary)}")
            lines += 1
        if progress:
            progress(1)
    return ExportResult(vouchers=vouchers, lines=lines)


EXPORTERS = {
    "kingdee": kingdee_export,
    "yonyou": yonyou_export,
    "csv": csv_export,
}
