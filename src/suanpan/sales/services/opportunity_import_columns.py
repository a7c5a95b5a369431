"""The opportunity file's layout: its columns, their headers in Chinese and English, and the
words a file may use for the pipeline's stages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from suanpan.core.spreadsheet_imports import Column, header_index
from suanpan.sales.choices import StageOutcome

COLUMNS: tuple[Column, ...] = (
    Column(
        "external_ref",
        "外部编号",
        ("external_ref", "external id", "external reference", "原系统编号", "外部ID"),
        gettext_lazy(
            "The opportunity's id in the system it comes from; importing the file again "
            "updates the opportunities it names instead of adding them twice"
        ),
    ),
    Column(
        "title",
        "商机名称",
        ("title", "opportunity", "name", "商机", "名称", "标题"),
        gettext_lazy("Title (required for a new opportunity)"),
    ),
    Column(
        "customer",
        "客户",
        ("customer", "客户名称", "客户编号", "customer name", "customer number"),
        gettext_lazy(
            "The customer's number, credit code or name (required for a new opportunity); "
            "the customer must exist"
        ),
    ),
    Column(
        "amount",
        "金额",
        ("amount", "商机金额", "预计金额"),
        gettext_lazy("Amount in yuan, at most 2 decimals (default 0)"),
    ),
    Column(
        "expected_close_on",
        "预计成交日期",
        ("expected_close_on", "expected close date", "expected close", "预计成交", "预计结单日期"),
        gettext_lazy("Expected close date, e.g. 2024-03-31 (required for a new opportunity)"),
    ),
    Column(
        "stage",
        "阶段",
        ("stage", "销售阶段", "商机阶段"),
        gettext_lazy("The stage's name (default: the first open stage)"),
    ),
    Column(
        "owner",
        "负责人",
        ("owner", "负责人账号", "销售"),
        gettext_lazy("Username or full name of the owner; empty means you"),
    ),
    Column(
        "closed_on",
        "实际成交日期",
        ("closed_on", "closed on", "actual close date", "成交日期", "关闭日期"),
        gettext_lazy(
            "For a won or lost stage: the day it was won or lost, kept as given "
            "(default: the import's day); never in the future"
        ),
    ),
    Column("competitor", "竞争对手", ("competitor", "竞品"), gettext_lazy("Competitor")),
    Column(
        "next_step", "下一步", ("next_step", "next step", "下一步计划"), gettext_lazy("Next step")
    ),
    Column(
        "loss_reason",
        "输单原因",
        ("loss_reason", "loss reason", "丢单原因"),
        gettext_lazy("Why it was lost (required for a lost stage)"),
    ),
    Column("notes", "备注", ("notes", "note", "remarks"), gettext_lazy("Notes")),
    Column(
        "product",
        "产品",
        ("product", "产品编码", "产品名称", "product code", "product name"),
        gettext_lazy(
            "A product line: the product's code, else its exact name. Rows with the same "
            "external id add lines to one opportunity"
        ),
    ),
    Column(
        "quantity",
        "数量",
        ("quantity", "qty", "产品数量"),
        gettext_lazy("The line's quantity, at most 4 decimals (default 1)"),
    ),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
HEADER_INDEX = header_index(COLUMNS)
TEXT_KEYS = ("title", "competitor", "next_step", "loss_reason", "notes")

# Words for the stages a new company starts with, in English, and for an outcome as such
# (the first active stage with that outcome): stage names themselves are matched as stored.
STAGE_ALIASES: dict[str, tuple[str, ...]] = {
    "初步接洽": ("initial contact", "qualification", "lead"),
    "需求确认": ("needs analysis", "needs confirmed", "requirements"),
    "方案报价": ("proposal", "quotation", "quote"),
    "谈判": ("negotiation",),
    "赢单": ("closed won",),
    "输单": ("closed lost",),
}
OUTCOME_WORDS: dict[str, tuple[str, ...]] = {
    StageOutcome.WON: ("won", "win", "赢单", "成交", "已成交"),
    StageOutcome.LOST: ("lost", "loss", "输单", "丢单", "失败"),
}
