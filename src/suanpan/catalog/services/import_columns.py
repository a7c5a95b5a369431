"""The product file's layout: its columns, their headers in Chinese and English, and the
words a file may use for types, yes/no, status and VAT rates (the export writes the first)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy

from suanpan.catalog.choices import ProductKind, VatRateKey
from suanpan.core.spreadsheet_imports import (
    Column,
    header_index,
    word_norm,
)
from suanpan.core.tax import VAT_RATES

COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "商品编码",
        ("code", "product code", "编码", "商品代码", "物料编码", "货号"),
        gettext_lazy("Product code (required); an existing code updates that product"),
    ),
    Column(
        "name",
        "商品名称",
        ("name", "product name", "product", "名称", "品名", "商品"),
        gettext_lazy("Name (required for a new product)"),
    ),
    Column(
        "specification",
        "规格型号",
        ("specification", "spec", "规格", "型号"),
        gettext_lazy("Specification or model"),
    ),
    Column(
        "unit",
        "单位",
        ("unit", "计量单位"),
        gettext_lazy("Unit, such as 台, 个, 次 (required for a new product)"),
    ),
    Column(
        "kind",
        "类型",
        ("kind", "type", "商品类型"),
        gettext_lazy("货物 or 服务 (or goods, service); default goods"),
    ),
    Column(
        "tax_category",
        "税收分类",
        ("tax_category", "tax category", "税收分类编码", "税收编码", "税目"),
        gettext_lazy("Code or name of an active tax category (required for a new product)"),
    ),
    Column(
        "vat_rate",
        "税率",
        ("vat_rate", "vat rate", "rate", "增值税税率"),
        gettext_lazy("Read only: must match the tax category's rate when given (13%, 免税 …)"),
    ),
    Column(
        "list_price",
        "标准售价",
        ("list_price", "list price", "price", "售价", "单价", "价格"),
        gettext_lazy("List price per unit in yuan, up to 6 decimals (default 0)"),
    ),
    Column(
        "price_includes_tax",
        "价格含税",
        ("price_includes_tax", "includes tax", "含税", "是否含税"),
        gettext_lazy("是 or 否 (or yes, no): whether the list price includes VAT; default 是"),
    ),
    Column(
        "standard_cost",
        "标准成本",
        ("standard_cost", "standard cost", "cost", "成本", "单位成本"),
        gettext_lazy("Standard cost per unit excluding tax, up to 6 decimals (default 0)"),
    ),
    Column(
        "is_active",
        "状态",
        ("status", "is_active", "active", "启用"),
        gettext_lazy("启用 or 停用 (or active, inactive); default 启用"),
    ),
    Column("notes", "备注", ("notes", "note", "remarks", "说明"), gettext_lazy("Notes")),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
# The product fields a row may set, in column order.
PRODUCT_KEYS = tuple(c.key for c in COLUMNS if c.key not in ("code", "vat_rate"))

KIND_WORDS: dict[str, tuple[str, ...]] = {
    ProductKind.GOODS: ("货物", "商品", "产品", "存货"),
    ProductKind.SERVICE: ("服务", "劳务", "服务类"),
}
YES_WORDS = ("是", "含税", "yes", "y", "true", "1", "√")
NO_WORDS = ("否", "不含税", "no", "n", "false", "0", "×")
ACTIVE_WORDS = ("启用", "在售", "正常", "active", "yes", "true", "1")
INACTIVE_WORDS = ("停用", "停售", "禁用", "inactive", "no", "false", "0")


def kind_word(value: str) -> str:
    """The Chinese word a file shows for a product type (the export's spelling)."""
    return KIND_WORDS[value][0] if value in KIND_WORDS else value


def yes_no_word(value: bool) -> str:
    return YES_WORDS[0] if value else NO_WORDS[0]


def active_word(value: bool) -> str:
    return ACTIVE_WORDS[0] if value else INACTIVE_WORDS[0]


EXEMPT_WORDS = ("免税", "exempt")


def rate_word(key: str) -> str:
    """How a file shows a VAT rate: 13%, or 免税 for exempt."""
    return EXEMPT_WORDS[0] if key == VatRateKey.EXEMPT else f"{key}%"


def rate_key(value: str) -> str | None:
    """The rate key a cell means: 13%, 13, 0.13 (a percent cell) or 免税; None if none."""
    if word_norm(value) in {word_norm(word) for word in EXEMPT_WORDS}:
        return VatRateKey.EXEMPT.value
    text = value.strip().rstrip("%％").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    percent = number if value.strip().endswith(("%", "％")) or number >= 1 else number * 100
    for key, rate in VAT_RATES.items():
        if not rate.is_exempt and rate.rate * 100 == percent:
            return key
    return None


def words_index(words: Mapping[str, Sequence[Any]]) -> dict[str, str]:
    return {word_norm(str(word)): value for value, spelled in words.items() for word in spelled}


HEADER_INDEX = header_index(COLUMNS)
KIND_INDEX = words_index(
    {kind.value: (*KIND_WORDS[kind.value], kind.value, str(kind.label)) for kind in ProductKind}
)
INCLUDES_INDEX = words_index({"yes": YES_WORDS, "no": NO_WORDS})
ACTIVE_INDEX = words_index({"yes": ACTIVE_WORDS, "no": INACTIVE_WORDS})
