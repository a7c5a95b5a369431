"""Yonyou U8/T3 `填制凭证,V800`: posted vouchers as the GBK text Yonyou imports."""

from collections.abc import Mapping
from decimal import Decimal
from typing import IO, Literal

from django.utils.translation import gettext as _

from suanpan.ledger.exports.common import (
    ExportEncodingError,
    ExportResult,
    Progress,
    amount_text,
    export_permission_require,
    one_line,
    person_name,
    posted_vouchers,
    voucher_stream,
)
from suanpan.ledger.models import Voucher, VoucherLine
from suanpan.users.models import User

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
    text = one_line(text).replace(",", "，")
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
        amount_text(debit) if debit != 0 else "0",
        amount_text(credit) if credit != 0 else "0",
        "",  # 9 数量
        "",  # 10 外币
        "",  # 11 汇率
        text(person_name(voucher.maker), _("the maker's name")),
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
    for voucher in voucher_stream(posted_vouchers(period_from=period_from, period_to=period_to)):
        vouchers += 1
        for line in voucher.lines.all():
            text = yonyou_line(voucher, line, account_codes=account_codes, unencodable=unencodable)
            out.write((text + "\r\n").encode("gbk"))
            lines += 1
        if progress:
            progress(1)
    return ExportResult(vouchers=vouchers, lines=lines)
