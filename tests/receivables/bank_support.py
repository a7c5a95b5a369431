"""Statement files as the banks export them: the full header of each layout, title rows above
it and a totals row below, built with openpyxl (or as csv) from lines given by field."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook

from suanpan.receivables.calculations.bank_layouts import PRESETS

# The headers each bank's corporate export carries, in its order.
HEADERS: dict[str, tuple[str, ...]] = {
    "ccb": (
        "账号", "交易时间", "借方发生额（支取）", "贷方发生额（收入）", "余额", "币种", "对方户名",
        "对方账号", "对方开户机构", "记账日期", "摘要", "备注", "账户明细编号-交易流水号",
        "企业流水号", "凭证种类", "凭证号", "交易介质编号",
    ),
    "cmb": (
        "交易日", "交易时间", "起息日", "交易类型", "借方金额", "贷方金额", "余额", "摘要", "流水号",
        "流程实例号", "业务名称", "用途", "业务参考号", "业务摘要", "其它摘要", "收/付方分行名",
        "收/付方名称", "收/付方帐号", "收/付方开户行行号", "收/付方开户行名", "收/付方开户行地址",
        "母/子公司帐号分行名", "母/子公司帐号", "母/子公司名称", "信息标志", "有否附件信息",
        "冲帐标志", "扩展摘要", "交易分析码", "票据号", "商务支付订单号", "内部编号",
    ),
    "abc": (
        "交易日期", "交易时间戳", "收入金额", "支出金额", "本次余额", "手续费总额", "交易方式",
        "交易行名", "交易类别", "对方省市", "对方账号", "对方户名", "交易说明", "交易摘要",
        "交易附言", "交易凭证号", "交易日志号", "账簿号", "账簿名称",
    ),
    "icbc": (
        "凭证号", "本方账号", "对方账号", "交易时间", "借/贷", "借方发生额", "贷方发生额",
        "对方行号", "摘要", "用途", "对方单位名称", "余额", "个性化信息",
    ),
    "cmbc": (
        "交易日期", "主机交易流水号", "借方发生额", "贷方发生额", "账户余额", "凭证号", "摘要",
        "对方账号", "对方账号名称", "对方开户行", "交易时间",
    ),
}  # fmt: skip


def row_cells(code: str, line: Mapping[str, Any]) -> list[Any]:
    """A line given by canonical field (date, time, credit, debit, name, account, bank,
    summary, serial, balance) as the cells of the bank's header."""
    mapping = PRESETS[code].mapping
    by_header: dict[str, Any] = {}
    fields = {
        "date": mapping.date,
        "time": mapping.time,
        "credit": mapping.credit,
        "debit": mapping.debit,
        "balance": mapping.balance,
        "name": mapping.counterparty_name,
        "account": mapping.counterparty_account,
        "bank": mapping.counterparty_bank,
        "serial": mapping.serial,
    }
    for key, header in fields.items():
        if header and key in line:
            by_header[header] = line[key]
    if "summary" in line and mapping.summary:
        by_header[mapping.summary[0]] = line["summary"]
    return [by_header.get(header, "") for header in HEADERS[code]]


def statement_rows(
    code: str, lines: Sequence[Mapping[str, Any]], *, titles: int = 2, footer: bool = True
) -> list[list[Any]]:
    rows: list[list[Any]] = []
    if titles:
        rows.append(["账户明细查询"])
        rows += [["户名：杭州算盘科技有限公司", "", "账号：6217000010001234567"]] * (titles - 1)
    rows.append(list(HEADERS[code]))
    rows += [row_cells(code, line) for line in lines]
    if footer:
        rows.append(["合计", "", f"笔数：{len(lines)}"])
    return rows


def statement_xlsx(code: str, lines: Sequence[Mapping[str, Any]], **kwargs: Any) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in statement_rows(code, lines, **kwargs):
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def statement_csv(
    code: str, lines: Sequence[Mapping[str, Any]], *, encoding: str = "gb18030", **kwargs: Any
) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream)
    for row in statement_rows(code, lines, **kwargs):
        writer.writerow(row)
    return stream.getvalue().encode(encoding)
