"""The statements as shipped: the rows of each official format, written in the codes of that
standard's own chart (chart_templates/<standard>.csv). The cash-flow item each
counter-account gives a cash line by default is in `cash_flow_templates`.

The general format (一般企业) follows 财会〔2019〕6号 for enterprises applying the new financial
instrument, revenue and lease standards (信用减值损失, 合同负债 …); the small enterprises'
format is 会小企01表–03表 of 小企业会计准则. A format used on the other standard's chart has its
codes translated (4001 实收资本 ↔ 3001, 6001 ↔ 5001 …); a term whose account the chart lacks is
left out, so the default always names accounts that exist. No Django here.

Usual rules kept in the formulas (docs/financial-statements.md explains each):
- 应收账款 takes the debit balances of 1122 per customer and of 2203 预收账款, less 坏账准备;
  their credit balances go to 预收款项; 预付款项 and 应付账款 likewise with 1123 and 2202.
- 未分配利润 is 本年利润 + 利润分配 plus whatever profit-and-loss accounts still hold, so the
  sheet balances before the month's carry-forward too.
- 应交税费 shows its credit balance; a debit balance goes to 其他流动资产 (一般企业) or shows
  negative (小企业, as 会小企01表 says).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from suanpan.ledger.calculations.statements import (
    RowInput,
    Term,
    TermKind,
    formula_parse,
    formula_text,
)

H, I, S = "heading", "item", "subtotal"  # noqa: E741 - one letter keeps the rows tabular
L, R = "left", "right"

# (line number, label, kind, formula, key, side, indent)
Row = tuple[int | None, str, str, str, str, str, int]

_CAS_PROFIT_LOSS = (
    "6001 + 6051 + 6101 + 6111 + 6115 + 6117 + 6301 - 6401 - 6402 - 6403 - 6601 - 6602"
    " - 6603 - 6604 - 6701 - 6702 - 6711 - 6801 - 6901"
)
_ASBE_PROFIT_LOSS = (
    "5001 + 5051 + 5111 + 5301 - 5401 - 5402 - 5403 - 5601 - 5602 - 5603 - 5711 - 5801"
)
_CAS_INVENTORY = (
    "1401 + 1402 + 1403 + 1404 + 1405 + 1406 - 1407 + 1408 + 1411 + 1421 - 1471"
    " + 5001 + 5101 + 5201"
)
_CASH = "1001 + 1002 + 1012"
_CASH_OPENING = "1001@opening + 1002@opening + 1012@opening"


def _sum(first: int, last: int, *, skip: Iterable[int] = ()) -> str:
    skipped = set(skip)
    return " + ".join(f"L{n}" for n in range(first, last + 1) if n not in skipped)


CAS_BALANCE_SHEET: list[Row] = [
    (None, "流动资产：", H, "", "", L, 0),
    (1, "货币资金", I, _CASH, "", L, 1),
    (2, "交易性金融资产", I, "1101", "", L, 1),
    (3, "衍生金融资产", I, "3101@debit + 3201@debit + 3202@debit", "", L, 1),
    (4, "应收票据", I, "1121", "", L, 1),
    (5, "应收账款", I, "1122@debit_detail + 2203@debit_detail - 1231", "", L, 1),
    (6, "应收款项融资", I, "", "", L, 1),
    (7, "预付款项", I, "1123@debit_detail + 2202@debit_detail", "", L, 1),
    (8, "其他应收款", I, "1131 + 1132 + 1221", "", L, 1),
    (9, "存货", I, _CAS_INVENTORY, "", L, 1),
    (10, "合同资产", I, "", "", L, 1),
    (11, "持有待售资产", I, "", "", L, 1),
    (12, "一年内到期的非流动资产", I, "", "", L, 1),
    (13, "其他流动资产", I, "1321 + 1901 + 2221@debit", "", L, 1),
    (14, "流动资产合计", S, _sum(1, 13), "", L, 0),
    (None, "非流动资产：", H, "", "", L, 0),
    (15, "债权投资", I, "1501", "", L, 1),
    (16, "其他债权投资", I, "", "", L, 1),
    (17, "长期应收款", I, "1531 - 1532", "", L, 1),
    (18, "长期股权投资", I, "1511 - 1512", "", L, 1),
    (19, "其他权益工具投资", I, "", "", L, 1),
    (20, "其他非流动金融资产", I, "", "", L, 1),
    (21, "投资性房地产", I, "1521", "", L, 1),
    (22, "固定资产", I, "1601 - 1602 - 1603 + 1606", "", L, 1),
    (23, "在建工程", I, "1604 + 1605", "", L, 1),
    (24, "生产性生物资产", I, "1621 - 1622", "", L, 1),
    (25, "油气资产", I, "1631 - 1632", "", L, 1),
    (26, "使用权资产", I, "", "", L, 1),
    (27, "无形资产", I, "1701 - 1702 - 1703", "", L, 1),
    (28, "开发支出", I, "5301", "", L, 1),
    (29, "商誉", I, "1711", "", L, 1),
    (30, "长期待摊费用", I, "1801", "", L, 1),
    (31, "递延所得税资产", I, "1811", "", L, 1),
    (32, "其他非流动资产", I, "1623", "", L, 1),
    (33, "非流动资产合计", S, _sum(15, 32), "", L, 0),
    (34, "资产总计", S, "L14 + L33", "total_assets", L, 0),
    (None, "流动负债：", H, "", "", R, 0),
    (35, "短期借款", I, "2001", "", R, 1),
    (36, "交易性金融负债", I, "2101", "", R, 1),
    (37, "衍生金融负债", I, "3101@credit + 3201@credit + 3202@credit", "", R, 1),
    (38, "应付票据", I, "2201", "", R, 1),
    (39, "应付账款", I, "2202@credit_detail + 1123@credit_detail", "", R, 1),
    (40, "预收款项", I, "2203@credit_detail + 1122@credit_detail", "", R, 1),
    (41, "合同负债", I, "2205", "", R, 1),
    (42, "应付职工薪酬", I, "2211", "", R, 1),
    (43, "应交税费", I, "2221@credit", "", R, 1),
    (44, "其他应付款", I, "2231 + 2232 + 2241", "", R, 1),
    (45, "持有待售负债", I, "", "", R, 1),
    (46, "一年内到期的非流动负债", I, "", "", R, 1),
    (47, "其他流动负债", I, "2314", "", R, 1),
    (48, "流动负债合计", S, _sum(35, 47), "", R, 0),
    (None, "非流动负债：", H, "", "", R, 0),
    (49, "长期借款", I, "2501", "", R, 1),
    (50, "应付债券", I, "2502", "", R, 1),
    (51, "其中：优先股", I, "", "", R, 2),
    (52, "永续债", I, "", "", R, 3),
    (53, "租赁负债", I, "", "", R, 1),
    (54, "长期应付款", I, "2701 - 2702 + 2711", "", R, 1),
    (55, "预计负债", I, "2801", "", R, 1),
    (56, "递延收益", I, "2401", "", R, 1),
    (57, "递延所得税负债", I, "2901", "", R, 1),
    (58, "其他非流动负债", I, "", "", R, 1),
    (59, "非流动负债合计", S, _sum(49, 58, skip=(51, 52)), "", R, 0),
    (60, "负债合计", S, "L48 + L59", "total_liabilities", R, 0),
    (None, "所有者权益（或股东权益）：", H, "", "", R, 0),
    (61, "实收资本（或股本）", I, "4001", "", R, 1),
    (62, "其他权益工具", I, "", "", R, 1),
    (63, "其中：优先股", I, "", "", R, 2),
    (64, "永续债", I, "", "", R, 3),
    (65, "资本公积", I, "4002", "", R, 1),
    (66, "减：库存股", I, "4201", "", R, 1),
    (67, "其他综合收益", I, "", "", R, 1),
    (68, "专项储备", I, "", "", R, 1),
    (69, "盈余公积", I, "4101", "", R, 1),
    (70, "未分配利润", I, f"4103 + 4104 + {_CAS_PROFIT_LOSS}", "retained_earnings", R, 1),
    (
        71,
        "所有者权益（或股东权益）合计",
        S,
        "L61 + L62 + L65 - L66 + L67 + L68 + L69 + L70",
        "",
        R,
        0,
    ),
    (72, "负债和所有者权益（或股东权益）总计", S, "L60 + L71", "total_liabilities_equity", R, 0),
]

CAS_INCOME: list[Row] = [
    (1, "一、营业收入", I, "6001 + 6051", "revenue", L, 0),
    (2, "减：营业成本", I, "6401 + 6402", "", L, 1),
    (3, "税金及附加", I, "6403", "", L, 2),
    (4, "销售费用", I, "6601", "", L, 2),
    (5, "管理费用", I, "6602 + 6604", "", L, 2),
    (6, "研发费用", I, "", "", L, 2),
    (7, "财务费用", I, "6603", "", L, 2),
    (8, "其中：利息费用", I, "", "", L, 3),
    (9, "利息收入", I, "", "", L, 4),
    (10, "加：其他收益", I, "6117", "", L, 1),
    (11, "投资收益（损失以“－”号填列）", I, "6111", "", L, 2),
    (12, "其中：对联营企业和合营企业的投资收益", I, "", "", L, 3),
    (13, "以摊余成本计量的金融资产终止确认收益（损失以“－”号填列）", I, "", "", L, 4),
    (14, "净敞口套期收益（损失以“－”号填列）", I, "", "", L, 2),
    (15, "公允价值变动收益（损失以“－”号填列）", I, "6101", "", L, 2),
    (16, "信用减值损失（损失以“－”号填列）", I, "-6702", "", L, 2),
    (17, "资产减值损失（损失以“－”号填列）", I, "-6701", "", L, 2),
    (18, "资产处置收益（损失以“－”号填列）", I, "6115", "", L, 2),
    (
        19,
        "二、营业利润（亏损以“－”号填列）",
        S,
        "L1 - L2 - L3 - L4 - L5 - L6 - L7 + L10 + L11 + L14 + L15 + L16 + L17 + L18",
        "operating_profit",
        L,
        0,
    ),
    (20, "加：营业外收入", I, "6301", "", L, 1),
    (21, "减：营业外支出", I, "6711", "", L, 1),
    (22, "三、利润总额（亏损总额以“－”号填列）", S, "L19 + L20 - L21", "total_profit", L, 0),
    (23, "减：所得税费用", I, "6801", "", L, 1),
    (24, "四、净利润（净亏损以“－”号填列）", S, "L22 - L23", "net_profit", L, 0),
    (25, "（一）持续经营净利润（净亏损以“－”号填列）", S, "L24 - L26", "", L, 1),
    (26, "（二）终止经营净利润（净亏损以“－”号填列）", I, "", "", L, 1),
    (27, "五、其他综合收益的税后净额", I, "", "", L, 0),
    (28, "六、综合收益总额", S, "L24 + L27", "", L, 0),
]

CAS_CASH_FLOW: list[Row] = [
    (None, "一、经营活动产生的现金流量：", H, "", "", L, 0),
    (1, "销售商品、提供劳务收到的现金", I, "CF101", "", L, 1),
    (2, "收到的税费返还", I, "CF102", "", L, 1),
    (3, "收到其他与经营活动有关的现金", I, "CF103", "", L, 1),
    (4, "经营活动现金流入小计", S, "L1 + L2 + L3", "", L, 2),
    (5, "购买商品、接受劳务支付的现金", I, "CF111", "", L, 1),
    (6, "支付给职工以及为职工支付的现金", I, "CF112", "", L, 1),
    (7, "支付的各项税费", I, "CF113", "", L, 1),
    (8, "支付其他与经营活动有关的现金", I, "CF114", "", L, 1),
    (9, "经营活动现金流出小计", S, _sum(5, 8), "", L, 2),
    (10, "经营活动产生的现金流量净额", S, "L4 - L9", "operating_net", L, 1),
    (None, "二、投资活动产生的现金流量：", H, "", "", L, 0),
    (11, "收回投资收到的现金", I, "CF201", "", L, 1),
    (12, "取得投资收益收到的现金", I, "CF202", "", L, 1),
    (13, "处置固定资产、无形资产和其他长期资产收回的现金净额", I, "CF203", "", L, 1),
    (14, "处置子公司及其他营业单位收到的现金净额", I, "CF204", "", L, 1),
    (15, "收到其他与投资活动有关的现金", I, "CF205", "", L, 1),
    (16, "投资活动现金流入小计", S, _sum(11, 15), "", L, 2),
    (17, "购建固定资产、无形资产和其他长期资产支付的现金", I, "CF211", "", L, 1),
    (18, "投资支付的现金", I, "CF212", "", L, 1),
    (19, "取得子公司及其他营业单位支付的现金净额", I, "CF213", "", L, 1),
    (20, "支付其他与投资活动有关的现金", I, "CF214", "", L, 1),
    (21, "投资活动现金流出小计", S, _sum(17, 20), "", L, 2),
    (22, "投资活动产生的现金流量净额", S, "L16 - L21", "investing_net", L, 1),
    (None, "三、筹资活动产生的现金流量：", H, "", "", L, 0),
    (23, "吸收投资收到的现金", I, "CF301", "", L, 1),
    (24, "取得借款收到的现金", I, "CF302", "", L, 1),
    (25, "收到其他与筹资活动有关的现金", I, "CF303", "", L, 1),
    (26, "筹资活动现金流入小计", S, _sum(23, 25), "", L, 2),
    (27, "偿还债务支付的现金", I, "CF311", "", L, 1),
    (28, "分配股利、利润或偿付利息支付的现金", I, "CF312 + CF313", "", L, 1),
    (29, "支付其他与筹资活动有关的现金", I, "CF314", "", L, 1),
    (30, "筹资活动现金流出小计", S, _sum(27, 29), "", L, 2),
    (31, "筹资活动产生的现金流量净额", S, "L26 - L30", "financing_net", L, 1),
    (32, "四、汇率变动对现金及现金等价物的影响", I, "CF401", "", L, 0),
    (33, "五、现金及现金等价物净增加额", S, "L10 + L22 + L31 + L32", "net_increase", L, 0),
    (34, "加：期初现金及现金等价物余额", I, _CASH_OPENING, "cash_opening", L, 1),
    (35, "六、期末现金及现金等价物余额", S, "L33 + L34", "cash_closing", L, 0),
    (None, "补充资料　1. 将净利润调节为经营活动现金流量：", H, "", "", L, 0),
    (36, "净利润", I, _CAS_PROFIT_LOSS, "", L, 1),
    (37, "加：资产减值准备", I, "6701", "", L, 1),
    (38, "信用减值损失", I, "6702", "", L, 2),
    (
        39,
        "固定资产折旧、油气资产折耗、生产性生物资产折旧",
        I,
        "1602@credit_movement + 1622@credit_movement + 1632@credit_movement",
        "",
        L,
        2,
    ),
    (40, "使用权资产折旧", I, "", "", L, 2),
    (41, "无形资产摊销", I, "1702@credit_movement", "", L, 2),
    (42, "长期待摊费用摊销", I, "1801@credit_movement", "", L, 2),
    (43, "处置固定资产、无形资产和其他长期资产的损失（收益以“－”号填列）", I, "-6115", "", L, 2),
    (44, "固定资产报废损失（收益以“－”号填列）", I, "", "", L, 2),
    (45, "公允价值变动损失（收益以“－”号填列）", I, "-6101", "", L, 2),
    (46, "财务费用（收益以“－”号填列）", I, "", "", L, 2),
    (47, "投资损失（收益以“－”号填列）", I, "-6111", "", L, 2),
    (48, "递延所得税资产减少（增加以“－”号填列）", I, "-1811", "", L, 2),
    (49, "递延所得税负债增加（减少以“－”号填列）", I, "2901", "", L, 2),
    (
        50,
        "存货的减少（增加以“－”号填列）",
        I,
        "-1401 - 1402 - 1403 - 1404 - 1405 - 1406 + 1407 - 1408 - 1411 - 1421 - 5001 - 5101 - 5201",
        "",
        L,
        2,
    ),
    (
        51,
        "经营性应收项目的减少（增加以“－”号填列）",
        I,
        "-1121 - 1122 - 1123 - 1221 + 1231 - 6702",
        "",
        L,
        2,
    ),
    (
        52,
        "经营性应付项目的增加（减少以“－”号填列）",
        I,
        "2201 + 2202 + 2203 + 2205 + 2211 + 2221 + 2241",
        "",
        L,
        2,
    ),
    (53, "其他", I, "", "", L, 2),
    (54, "经营活动产生的现金流量净额", S, _sum(36, 53), "operating_net_indirect", L, 1),
    (None, "3. 现金及现金等价物净变动情况：", H, "", "", L, 0),
    (55, "现金的期末余额", I, "1001@net + 1002@net + 1012@net", "", L, 1),
    (56, "减：现金的期初余额", I, _CASH_OPENING, "", L, 1),
    (57, "现金及现金等价物净增加额", S, "L55 - L56", "", L, 1),
]

ASBE_BALANCE_SHEET: list[Row] = [
    (None, "流动资产：", H, "", "", L, 0),
    (1, "货币资金", I, _CASH, "", L, 1),
    (2, "短期投资", I, "1101", "", L, 1),
    (3, "应收票据", I, "1121", "", L, 1),
    (4, "应收账款", I, "1122@debit_detail + 2203@debit_detail", "", L, 1),
    (5, "预付账款", I, "1123@debit_detail + 2202@debit_detail", "", L, 1),
    (6, "应收股利", I, "1131", "", L, 1),
    (7, "应收利息", I, "1132", "", L, 1),
    (8, "其他应收款", I, "1221", "", L, 1),
    (
        9,
        "存货",
        I,
        "1401 + 1402 + 1403 + 1404 + 1405 + 1406 - 1407 + 1408 + 1411 + 1421 + 4001 + 4101"
        " + 4401 + 4403",
        "",
        L,
        1,
    ),
    (10, "其中：原材料", I, "1403", "", L, 2),
    (11, "在产品", I, "4001", "", L, 3),
    (12, "库存商品", I, "1405", "", L, 3),
    (13, "周转材料", I, "1411", "", L, 3),
    (14, "其他流动资产", I, "1901", "", L, 1),
    (15, "流动资产合计", S, _sum(1, 14, skip=(10, 11, 12, 13)), "", L, 0),
    (None, "非流动资产：", H, "", "", L, 0),
    (16, "长期债券投资", I, "1501", "", L, 1),
    (17, "长期股权投资", I, "1511", "", L, 1),
    (18, "固定资产原价", I, "1601", "", L, 1),
    (19, "减：累计折旧", I, "1602", "", L, 1),
    (20, "固定资产账面价值", S, "L18 - L19", "", L, 1),
    (21, "在建工程", I, "1604", "", L, 1),
    (22, "工程物资", I, "1605", "", L, 1),
    (23, "固定资产清理", I, "1606", "", L, 1),
    (24, "生产性生物资产", I, "1621 - 1622", "", L, 1),
    (25, "无形资产", I, "1701 - 1702", "", L, 1),
    (26, "开发支出", I, "4301", "", L, 1),
    (27, "长期待摊费用", I, "1801", "", L, 1),
    (28, "其他非流动资产", I, "", "", L, 1),
    (29, "非流动资产合计", S, "L16 + L17 + " + _sum(20, 28), "", L, 0),
    (30, "资产总计", S, "L15 + L29", "total_assets", L, 0),
    (None, "流动负债：", H, "", "", R, 0),
    (31, "短期借款", I, "2001", "", R, 1),
    (32, "应付票据", I, "2201", "", R, 1),
    (33, "应付账款", I, "2202@credit_detail + 1123@credit_detail", "", R, 1),
    (34, "预收账款", I, "2203@credit_detail + 1122@credit_detail", "", R, 1),
    (35, "应付职工薪酬", I, "2211", "", R, 1),
    (36, "应交税费", I, "2221", "", R, 1),
    (37, "应付利息", I, "2231", "", R, 1),
    (38, "应付利润", I, "2232", "", R, 1),
    (39, "其他应付款", I, "2241", "", R, 1),
    (40, "其他流动负债", I, "", "", R, 1),
    (41, "流动负债合计", S, _sum(31, 40), "", R, 0),
    (None, "非流动负债：", H, "", "", R, 0),
    (42, "长期借款", I, "2501", "", R, 1),
    (43, "长期应付款", I, "2701", "", R, 1),
    (44, "递延收益", I, "2401", "", R, 1),
    (45, "其他非流动负债", I, "", "", R, 1),
    (46, "非流动负债合计", S, _sum(42, 45), "", R, 0),
    (47, "负债合计", S, "L41 + L46", "total_liabilities", R, 0),
    (None, "所有者权益（或股东权益）：", H, "", "", R, 0),
    (48, "实收资本（或股本）", I, "3001", "", R, 1),
    (49, "资本公积", I, "3002", "", R, 1),
    (50, "盈余公积", I, "3101", "", R, 1),
    (51, "未分配利润", I, f"3103 + 3104 + {_ASBE_PROFIT_LOSS}", "retained_earnings", R, 1),
    (52, "所有者权益（或股东权益）合计", S, _sum(48, 51), "", R, 0),
    (53, "负债和所有者权益（或股东权益）总计", S, "L47 + L52", "total_liabilities_equity", R, 0),
]

ASBE_INCOME: list[Row] = [
    (1, "一、营业收入", I, "5001 + 5051", "revenue", L, 0),
    (2, "减：营业成本", I, "5401 + 5402", "", L, 1),
    (3, "税金及附加", I, "5403", "", L, 2),
    (4, "其中：消费税", I, "", "", L, 3),
    (5, "营业税", I, "", "", L, 4),
    (6, "城市维护建设税", I, "", "", L, 4),
    (7, "资源税", I, "", "", L, 4),
    (8, "土地增值税", I, "", "", L, 4),
    (9, "城镇土地使用税、房产税、车船税、印花税", I, "", "", L, 4),
    (10, "教育费附加、矿产资源补偿费、排污费", I, "", "", L, 4),
    (11, "销售费用", I, "5601", "", L, 2),
    (12, "其中：商品维修费", I, "", "", L, 3),
    (13, "广告费和业务宣传费", I, "", "", L, 4),
    (14, "管理费用", I, "5602", "", L, 2),
    (15, "其中：开办费", I, "", "", L, 3),
    (16, "业务招待费", I, "", "", L, 4),
    (17, "研究费用", I, "", "", L, 4),
    (18, "财务费用", I, "5603", "", L, 2),
    (19, "其中：利息费用（收入以“-”号填列）", I, "", "", L, 3),
    (20, "加：投资收益（损失以“-”号填列）", I, "5111", "", L, 1),
    (
        21,
        "二、营业利润（亏损以“-”号填列）",
        S,
        "L1 - L2 - L3 - L11 - L14 - L18 + L20",
        "operating_profit",
        L,
        0,
    ),
    (22, "加：营业外收入", I, "5301", "", L, 1),
    (23, "其中：政府补助", I, "", "", L, 3),
    (24, "减：营业外支出", I, "5711", "", L, 1),
    (25, "其中：坏账损失", I, "", "", L, 3),
    (26, "无法收回的长期债券投资损失", I, "", "", L, 4),
    (27, "无法收回的长期股权投资损失", I, "", "", L, 4),
    (28, "自然灾害等不可抗力因素造成的损失", I, "", "", L, 4),
    (29, "税收滞纳金", I, "", "", L, 4),
    (30, "三、利润总额（亏损总额以“-”号填列）", S, "L21 + L22 - L24", "total_profit", L, 0),
    (31, "减：所得税费用", I, "5801", "", L, 1),
    (32, "四、净利润（净亏损以“-”号填列）", S, "L30 - L31", "net_profit", L, 0),
]

ASBE_CASH_FLOW: list[Row] = [
    (None, "一、经营活动产生的现金流量：", H, "", "", L, 0),
    (1, "销售产成品、商品、提供劳务收到的现金", I, "CF101", "", L, 1),
    (2, "收到其他与经营活动有关的现金", I, "CF102 + CF103", "", L, 1),
    (3, "购买原材料、商品、接受劳务支付的现金", I, "CF111", "", L, 1),
    (4, "支付的职工薪酬", I, "CF112", "", L, 1),
    (5, "支付的税费", I, "CF113", "", L, 1),
    (6, "支付其他与经营活动有关的现金", I, "CF114", "", L, 1),
    (7, "经营活动产生的现金流量净额", S, "L1 + L2 - L3 - L4 - L5 - L6", "operating_net", L, 1),
    (None, "二、投资活动产生的现金流量：", H, "", "", L, 0),
    (8, "收回短期投资、长期债券投资和长期股权投资收到的现金", I, "CF201 + CF204", "", L, 1),
    (9, "取得投资收益收到的现金", I, "CF202", "", L, 1),
    (10, "处置固定资产、无形资产和其他非流动资产收回的现金净额", I, "CF203 + CF205", "", L, 1),
    (11, "短期投资、长期债券投资和长期股权投资支付的现金", I, "CF212 + CF213", "", L, 1),
    (12, "购建固定资产、无形资产和其他非流动资产支付的现金", I, "CF211 + CF214", "", L, 1),
    (13, "投资活动产生的现金流量净额", S, "L8 + L9 + L10 - L11 - L12", "investing_net", L, 1),
    (None, "三、筹资活动产生的现金流量：", H, "", "", L, 0),
    (14, "取得借款收到的现金", I, "CF302", "", L, 1),
    (15, "吸收投资者投资收到的现金", I, "CF301 + CF303", "", L, 1),
    (16, "偿还借款本金支付的现金", I, "CF311", "", L, 1),
    (17, "偿还借款利息支付的现金", I, "CF312", "", L, 1),
    (18, "分配利润支付的现金", I, "CF313 + CF314", "", L, 1),
    (19, "筹资活动产生的现金流量净额", S, "L14 + L15 - L16 - L17 - L18", "financing_net", L, 1),
    (20, "四、现金净增加额", S, "L7 + L13 + L19", "net_increase", L, 0),
    (21, "加：期初现金余额", I, _CASH_OPENING, "cash_opening", L, 1),
    (22, "五、期末现金余额", S, "L20 + L21", "cash_closing", L, 0),
]

TEMPLATES: dict[tuple[str, str], list[Row]] = {
    ("balance-sheet", "cas"): CAS_BALANCE_SHEET,
    ("income", "cas"): CAS_INCOME,
    ("cash-flow", "cas"): CAS_CASH_FLOW,
    ("balance-sheet", "asbe_se"): ASBE_BALANCE_SHEET,
    ("income", "asbe_se"): ASBE_INCOME,
    ("cash-flow", "asbe_se"): ASBE_CASH_FLOW,
}

# The same account in the other standard's chart; first-level codes of the classes that differ
# (equity, costs, profit and loss). Assets and liabilities keep their codes. A code of those
# classes missing here has no counterpart and is left out: ASBE-SE's 3101 is 盈余公积 where
# CAS's is 衍生工具, so nothing may pass through untranslated.
CAS_TO_ASBE = {
    "4001": "3001",
    "4002": "3002",
    "4101": "3101",
    "4103": "3103",
    "4104": "3104",
    "5001": "4001",
    "5101": "4101",
    "5301": "4301",
    "6001": "5001",
    "6051": "5051",
    "6111": "5111",
    "6301": "5301",
    "6401": "5401",
    "6402": "5402",
    "6403": "5403",
    "6601": "5601",
    "6602": "5602",
    "6603": "5603",
    "6711": "5711",
    "6801": "5801",
}
ASBE_TO_CAS = {asbe: cas for cas, asbe in CAS_TO_ASBE.items()}
# The classes whose first-level codes differ between the two standards' charts.
TRANSLATED_CLASSES = ("3", "4", "5", "6")


def code_translate(code: str, *, source: str, target: str) -> str | None:
    """An account code of `source`'s chart in `target`'s chart; None when it has no counterpart."""
    if source == target or not code.startswith(TRANSLATED_CLASSES):
        return code
    table = CAS_TO_ASBE if source == "cas" else ASBE_TO_CAS
    head, _dot, rest = code.partition(".")
    found = table.get(head)
    if found is None:
        return None
    return f"{found}.{rest}" if rest else found


def default_rows(
    *, kind: str, fmt: str, standard: str, account_exists: Callable[[str], bool]
) -> list[RowInput]:
    """The shipped rows of a statement for a chart of `standard`: codes translated when the
    format belongs to the other standard, terms on accounts the chart lacks left out."""
    rows = []
    for line_no, label, row_kind, formula, key, side, indent in TEMPLATES[(kind, fmt)]:
        terms: list[Term] = []
        for term in formula_parse(formula):
            if term.kind != TermKind.ACCOUNT:
                terms.append(term)
                continue
            code = code_translate(term.code, source=fmt, target=standard)
            if code is not None and account_exists(code):
                terms.append(replace(term, code=code))
        rows.append(RowInput(line_no, label, row_kind, formula_text(terms), key, side, indent))
    return rows
