"""Kingdee K3/KIS 凭证引入: posted vouchers as the 37-column xlsx Kingdee imports."""

from decimal import Decimal
from typing import IO

from openpyxl import Workbook

from suanpan.ledger.exports.common import (
    ExportResult,
    Progress,
    export_permission_require,
    one_line,
    person_name,
    posted_vouchers,
    voucher_stream,
)
from suanpan.ledger.models import Voucher, VoucherLine
from suanpan.users.models import User

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
        person_name(voucher.maker),
        person_name(voucher.reviewer),
        "",  # 核准: Suanpan has no separate approval
        "",  # 出纳
        "",  # 经办
        "*",  # 结算方式: none
        "",
        one_line(line.summary or voucher.summary),
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
    for voucher in voucher_stream(posted_vouchers(period_from=period_from, period_to=period_to)):
        vouchers += 1
        for line in voucher.lines.all():
            sheet.append(kingdee_row(voucher, line, serial=vouchers))
            lines += 1
        if progress:
            progress(1)
    workbook.save(out)
    return ExportResult(vouchers=vouchers, lines=lines)
