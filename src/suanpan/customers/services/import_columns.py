"""The customer file's layout: its columns, their headers in Chinese and English, and the
words a file may use for each choice (the export writes the first)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from suanpan.core.spreadsheet_imports import (
    Column,
    header_index,
    word_norm,
)
from suanpan.customers.choices import CustomerGrade, CustomerKind, CustomerSource, CustomerStatus

COLUMNS: tuple[Column, ...] = (
    Column(
        "number",
        "客户编号",
        ("number", "编号", "customer number"),
        gettext_lazy("Customer number; ignored on import (numbers are assigned)"),
        "ignored",
    ),
    Column(
        "name",
        "客户名称",
        ("name", "customer", "customer name", "名称", "客户"),
        gettext_lazy("Name (required)"),
    ),
    Column("short_name", "简称", ("short_name", "short name"), gettext_lazy("Short name")),
    Column(
        "credit_code",
        "统一社会信用代码",
        ("credit_code", "credit code", "信用代码", "uscc"),
        gettext_lazy("Unified social credit code, 18 characters with a valid check character"),
    ),
    Column(
        "kind",
        "类型",
        ("kind", "type", "客户类型"),
        gettext_lazy("企业, 个人, 政府 (or enterprise, individual, government)"),
    ),
    Column("industry", "行业", ("industry",), gettext_lazy("Industry")),
    Column("grade", "等级", ("grade", "客户等级"), gettext_lazy("A, B, C or D")),
    Column(
        "source",
        "来源",
        ("source", "客户来源"),
        gettext_lazy("转介绍, 网站, 展会, 电话开发, 招标, 合作伙伴, 其他 (or the English values)"),
    ),
    Column("region", "地区", ("region", "区域"), gettext_lazy("Region")),
    Column("address", "地址", ("address",), gettext_lazy("Address")),
    Column(
        "owner",
        "负责人",
        ("owner", "负责人账号"),
        gettext_lazy("Username of the owner; empty means the default owner"),
    ),
    Column(
        "payment_terms_days",
        "账期(天)",
        ("payment_terms_days", "payment terms", "账期"),
        gettext_lazy("Payment terms in days, a whole number (default 30)"),
    ),
    Column(
        "credit_limit_amount",
        "信用额度",
        ("credit_limit_amount", "credit_limit", "credit limit"),
        gettext_lazy("Credit limit in yuan, at most 2 decimals (default 0)"),
    ),
    Column(
        "status",
        "状态",
        ("status", "客户状态"),
        gettext_lazy("潜在客户, 活跃, 暂停, 停用 (or prospect, active, on_hold, closed)"),
    ),
    Column("tags", "标签", ("tags", "tag"), gettext_lazy("Tags separated by commas")),
    Column("notes", "备注", ("notes", "note", "remarks"), gettext_lazy("Notes")),
    Column(
        "invoice_title",
        "开票抬头",
        ("invoice_title", "invoice title"),
        gettext_lazy("Invoice title"),
    ),
    Column(
        "invoice_tax_number",
        "纳税人识别号",
        ("invoice_tax_number", "tax number", "税号"),
        gettext_lazy("Taxpayer number"),
    ),
    Column(
        "invoice_address_phone",
        "开票地址电话",
        ("invoice_address_phone", "地址电话", "地址及电话"),
        gettext_lazy("Address and phone on invoices"),
    ),
    Column(
        "invoice_bank_account",
        "开户行及账号",
        ("invoice_bank_account", "bank account", "开户行"),
        gettext_lazy("Bank and account on invoices"),
    ),
    Column(
        "contact_name",
        "联系人",
        ("contact_name", "contact", "contact name"),
        gettext_lazy("Contact name"),
        "contact",
    ),
    Column(
        "contact_title",
        "职务",
        ("contact_title", "title", "job title"),
        gettext_lazy("Contact's job title"),
        "contact",
    ),
    Column(
        "contact_phone",
        "电话",
        ("contact_phone", "phone", "联系电话", "手机"),
        gettext_lazy("Contact's phone"),
        "contact",
    ),
    Column(
        "contact_email",
        "邮箱",
        ("contact_email", "email", "电子邮箱", "邮件"),
        gettext_lazy("Contact's e-mail"),
        "contact",
    ),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
# A column without a part fills the customer; contact columns say "contact".
CUSTOMER_KEYS = tuple(c.key for c in COLUMNS if not c.part and c.key != "name")
CONTACT_KEYS = tuple(c.key for c in COLUMNS if c.part == "contact")

# The words a file may use for each choice; the first, what the export writes, is the word the
# Chinese UI shows.
CHOICE_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "kind": {
        CustomerKind.ENTERPRISE: ("企业", "公司", "单位"),
        CustomerKind.INDIVIDUAL: ("个人",),
        CustomerKind.GOVERNMENT: ("政府", "政府机关", "机关事业单位"),
    },
    "status": {
        CustomerStatus.PROSPECT: ("潜在客户", "潜在"),
        CustomerStatus.ACTIVE: ("活跃", "正常", "合作中"),
        CustomerStatus.ON_HOLD: ("暂停", "冻结"),
        CustomerStatus.CLOSED: ("停用", "关闭", "已关闭"),
    },
    "grade": {grade: (grade.value,) for grade in CustomerGrade},
    "source": {
        CustomerSource.REFERRAL: ("转介绍", "介绍"),
        CustomerSource.WEBSITE: ("网站", "官网"),
        CustomerSource.EXHIBITION: ("展会",),
        CustomerSource.COLD_CALL: ("电话开发", "陌拜"),
        CustomerSource.TENDER: ("招标", "投标"),
        CustomerSource.PARTNER: ("合作伙伴",),
        CustomerSource.OTHER: ("其他",),
    },
}
CHOICE_CLASSES: dict[str, Any] = {
    "kind": CustomerKind,
    "status": CustomerStatus,
    "grade": CustomerGrade,
    "source": CustomerSource,
}


def choice_word(key: str, value: str) -> str:
    """The Chinese word a file shows for a stored choice value (the export's spelling)."""
    words = CHOICE_WORDS[key].get(value)
    return words[0] if words else value


HEADER_INDEX = header_index(COLUMNS)
CHOICE_INDEX: dict[str, dict[str, str]] = {}
for _key, _words in CHOICE_WORDS.items():
    index: dict[str, str] = {}
    for _choice in CHOICE_CLASSES[_key]:
        for _word in (*_words.get(_choice, ()), _choice.value, str(_choice.label)):
            index[word_norm(_word)] = _choice.value
    CHOICE_INDEX[_key] = index
