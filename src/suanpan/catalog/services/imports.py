"""Import products from xlsx or csv: a dry run that lists every bad row, then an all-or-nothing
commit. A row whose code matches an existing product (in any case) updates it; others create.

File layout (the export writes the same, so an exported file imports again):

* The first non-blank row is the header. Chinese headers (商品编码, 商品名称 …) or their English
  names (code, name …) are accepted, in any order; only 商品编码 / code is required. Unknown
  columns are ignored and listed in the report.
* One row per product. A new product needs a name, a unit and a tax category; the rest have
  defaults (goods, list price 0 including tax, standard cost 0, active).
* On a row that updates a product, an empty cell keeps the current value, and a column left
  out of the file changes nothing.
* 税收分类 takes the category's code (税收分类编码) or its name; 税率, when given, must be
  the category's rate (it is there so a person reads it; the rate belongs to the category).
* Choices take the Chinese word or the English value (类型: 货物 / goods, 服务 / service;
  价格含税: 是 / 否; 状态: 启用 / 停用).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.catalog.choices import ProductKind, VatRateKey
from suanpan.catalog.models import Product, TaxCategory
from suanpan.catalog.services import products as services
from suanpan.core.errors import PermissionDeniedError, ValidationFailed
from suanpan.core.spreadsheets import Sheet, SheetRow, SpreadsheetInvalid, sheet_read
from suanpan.core.tax import VAT_RATES
from suanpan.users.models import User

IMPORT_PERMISSION = "catalog.import_product"
_CHUNK = 500


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header the export writes
    aliases: tuple[str, ...]
    description: Promise


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
    if _norm(value) in {_norm(word) for word in EXEMPT_WORDS}:
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


def _norm(text: str) -> str:
    """Compare headers and words loosely: width, case, spaces, marks and separators."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "*_-:：")


def _index(words: Mapping[str, Sequence[Any]]) -> dict[str, str]:
    return {_norm(str(word)): value for value, spelled in words.items() for word in spelled}


_HEADER_INDEX: dict[str, str] = {
    _norm(alias): column.key
    for column in COLUMNS
    for alias in (column.header, column.key, *column.aliases)
}
_KIND_INDEX = _index(
    {kind.value: (*KIND_WORDS[kind.value], kind.value, str(kind.label)) for kind in ProductKind}
)
_INCLUDES_INDEX = _index({"yes": YES_WORDS, "no": NO_WORDS})
_ACTIVE_INDEX = _index({"yes": ACTIVE_WORDS, "no": INACTIVE_WORDS})


class ProductImportInvalid(ValidationFailed):
    code = "product_import_invalid"
    default_message = gettext_lazy("The file has errors; nothing was imported.")

    def __init__(
        self, message: str | Promise | None = None, *, errors: Sequence[RowError] = ()
    ) -> None:
        super().__init__(message)
        self.errors = list(errors)


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class ImportCandidate:
    """One product to create or update, with the row it came from."""

    row: int
    product: Product
    action: str
    changes: list[str] = field(default_factory=list)  # labels, for the preview
    changed_fields: list[str] = field(default_factory=list)  # names, for the update


@dataclass
class ImportReport:
    filename: str
    format: str
    row_count: int = 0
    candidates: list[ImportCandidate] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for c in self.candidates if c.action == action)

    @property
    def create_count(self) -> int:
        return self.count(CREATE)

    @property
    def update_count(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged_count(self) -> int:
        return self.count(UNCHANGED)


def import_permission_require(actor: User) -> None:
    # New rows need add_product and matched rows change_product; the file decides which, so
    # importing at all takes the import permission and both.
    perms = (IMPORT_PERMISSION, "catalog.add_product", "catalog.change_product")
    if not all(actor.has_perm(perm) for perm in perms):
        raise PermissionDeniedError()


def products_import_read(
    *,
    actor: User,
    data: bytes | IO[bytes],
    filename: str,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Read a file and check every row: the dry run. Writes nothing.

    A file that cannot be read at all raises SpreadsheetInvalid; row errors go in the report.
    """
    import_permission_require(actor)
    sheet = sheet_read(data, filename=filename)
    return products_import_validate(actor=actor, sheet=sheet, filename=filename, progress=progress)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _header_map(sheet: Sheet) -> tuple[dict[str, int], dict[str, str], list[str]]:
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for position, text in enumerate(sheet.header):
        if not text:
            continue
        key = _HEADER_INDEX.get(_norm(text))
        if key is None:
            ignored.append(text)
            continue
        if key in positions:
            raise SpreadsheetInvalid(
                gettext_lazy("The columns “%(first)s” and “%(second)s” mean the same; keep one."),
                first=headers[key],
                second=text,
            )
        positions[key] = position
        headers[key] = text
    if "code" not in positions:
        raise SpreadsheetInvalid(
            gettext_lazy(
                "The header row (row %(row)s) has no “%(column)s” (code) column. "
                "The first row must hold the column names."
            ),
            row=sheet.header_row,
            column=COLUMNS_BY_KEY["code"].header,
        )
    return positions, headers, ignored


class _Validator:
    def __init__(self, *, sheet: Sheet) -> None:
        self.sheet = sheet
        self.errors: list[RowError] = []
        self.positions, self.headers, self.ignored = _header_map(sheet)
        self.existing = self._existing_load()
        categories = list(TaxCategory.objects.all())
        self.categories_by_code = {c.code: c for c in categories}
        by_name: dict[str, list[TaxCategory]] = {}
        for category in categories:
            by_name.setdefault(_norm(category.name), []).append(category)
        self.categories_by_name = by_name
        self.seen_codes: dict[str, int] = {}
        self.failed: dict[str, list[str]] = {}

    def _existing_load(self) -> dict[str, Product]:
        position = self.positions["code"]
        codes = sorted({row.get(position).lower() for row in self.sheet.rows} - {""})
        found: dict[str, Product] = {}
        for chunk in _chunks(codes):
            rows = (
                Product.objects.annotate(code_lower=Lower("code"))
                .filter(code_lower__in=chunk)
                .select_related("tax_category")
            )
            found.update((p.code.lower(), p) for p in rows)
        return found

    def header(self, key: str) -> str:
        return self.headers.get(key) or COLUMNS_BY_KEY[key].header

    def error(self, row: int, key: str | None, message: Any) -> None:
        column = self.header(key) if key in COLUMNS_BY_KEY else ""
        self.errors.append(RowError(row, column, str(message)))

    def values(self, row: SheetRow) -> dict[str, str]:
        return {key: row.get(position) for key, position in self.positions.items()}

    def _category(self, value: str) -> TaxCategory | str:
        """The tax category a cell names, or the message saying why none fits."""
        compact = "".join(value.split())
        if compact in self.categories_by_code:
            return self.categories_by_code[compact]
        named = self.categories_by_name.get(_norm(value), [])
        if len(named) == 1:
            return named[0]
        if named:
            return _("Several tax categories are named “%(value)s”; give the code.") % {
                "value": value
            }
        return _("There is no tax category with the code or name “%(value)s”.") % {"value": value}

    def _word(self, index: dict[str, str], key: str, value: str, allowed: str) -> str | None:
        word = index.get(_norm(value))
        if word is None:
            self.failed.setdefault(key, []).append(
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": allowed}
            )
        return word

    def build(self, row: int, values: dict[str, str]) -> ImportCandidate | None:
        code = values.get("code", "").strip()
        if not code:
            if any(values.values()):
                self.error(row, "code", _("Enter the product code."))
            return None
        if code.lower() in self.seen_codes:
            self.error(
                row,
                "code",
                _("Same product code as row %(row)s.") % {"row": self.seen_codes[code.lower()]},
            )
            return None
        self.seen_codes[code.lower()] = row
        existing = self.existing.get(code.lower())
        product = Product(code=code) if existing is None else _copy(existing)
        old_category_id = product.tax_category_id
        self.failed = {}
        for key in PRODUCT_KEYS:
            value = values.get(key, "")
            if not value:
                continue
            if key == "kind":
                word = self._word(_KIND_INDEX, key, value, "货物, 服务 (goods, service)")
                if word:
                    product.kind = word
            elif key == "tax_category":
                category = self._category(value)
                if isinstance(category, TaxCategory):
                    product.tax_category = category
                else:
                    self.failed.setdefault(key, []).append(category)
            elif key == "price_includes_tax":
                word = self._word(_INCLUDES_INDEX, key, value, "是, 否 (yes, no)")
                if word:
                    product.price_includes_tax = word == "yes"
            elif key == "is_active":
                word = self._word(_ACTIVE_INDEX, key, value, "启用, 停用 (active, inactive)")
                if word:
                    product.is_active = word == "yes"
            elif key in services.PRICE_FIELDS:
                setattr(product, key, _money_text(value))
            else:
                setattr(product, key, value.strip())
        self._rate_check(product, values.get("vat_rate", ""))
        for name, messages in services.product_check(
            product,
            tax_category_changed=product.tax_category_id != old_category_id,
            reactivated=existing is not None and product.is_active and not existing.is_active,
            check_code=False,
        ).items():
            if name not in self.failed:  # a word that did not parse is reported once
                self.failed.setdefault(name, []).extend(messages)
        for name, messages in self.failed.items():
            for message in messages:
                self.error(row, name if name in COLUMNS_BY_KEY else None, message)
        if existing is None:
            return ImportCandidate(row=row, product=product, action=CREATE)
        fields = _changed_fields(existing, product)
        return ImportCandidate(
            row=row,
            product=product,
            action=UPDATE if fields else UNCHANGED,
            changes=[_label(name) for name in fields],
            changed_fields=fields,
        )

    def _rate_check(self, product: Product, value: str) -> None:
        if not value or product.tax_category_id is None or "tax_category" in self.failed:
            return
        key = rate_key(value)
        if key != product.tax_category.vat_rate_key:
            self.failed.setdefault("vat_rate", []).append(
                _(
                    "The tax category %(category)s has the rate %(rate)s; "
                    "the rate comes from the tax category."
                )
                % {
                    "category": product.tax_category.name,
                    "rate": rate_word(product.tax_category.vat_rate_key),
                }
            )

    def run(self, progress: Callable[[int], object] | None) -> list[ImportCandidate]:
        candidates = []
        for row in self.sheet.rows:
            candidate = self.build(row.number, self.values(row))
            if candidate is not None:
                candidates.append(candidate)
            if progress:
                progress(1)
        return candidates


def _money_text(value: str) -> str:
    """A price as a person writes it: ¥1,234.50 → 1234.50 (the service parses and checks it)."""
    for mark in ("¥", "￥", "元", ",", "，", " "):
        value = value.replace(mark, "")
    return value


def _copy(product: Product) -> Product:
    copy = Product.objects.model(
        **{f.attname: getattr(product, f.attname) for f in Product._meta.concrete_fields}
    )
    copy._state.adding = False
    copy._state.db = product._state.db
    copy.tax_category = product.tax_category
    return copy


def _changed_fields(before: Product, after: Product) -> list[str]:
    """The names of the fields a row changes on an existing product."""
    changed = []
    for name in ("code", *PRODUCT_KEYS):
        attname = getattr(Product._meta.get_field(name), "attname", name)
        if getattr(before, attname) != getattr(after, attname):
            changed.append(name)
    return changed


def _label(name: str) -> str:
    return str(getattr(Product._meta.get_field(name), "verbose_name", name))


def products_import_validate(
    *,
    actor: User,
    sheet: Sheet,
    filename: str,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Check every row of a sheet already read; collect all errors with row and column."""
    import_permission_require(actor)
    validator = _Validator(sheet=sheet)
    candidates = validator.run(progress)
    order = {column.key: index for index, column in enumerate(COLUMNS)}
    by_header = {validator.header(key): index for key, index in order.items()}
    return ImportReport(
        filename=filename,
        format=sheet.format,
        row_count=len(sheet.rows),
        candidates=candidates,
        errors=sorted(validator.errors, key=lambda e: (e.row, by_header.get(e.column, -1))),
        ignored_columns=validator.ignored,
    )


def products_import_commit(*, actor: User, report: ImportReport) -> tuple[int, int]:
    """Create and update the products of a clean report in one transaction, or none.

    Returns (created, updated). A product created meanwhile by someone else with a code of the
    file trips the unique constraint, and the whole import rolls back with that row named.
    """
    import_permission_require(actor)
    if report.errors:
        raise ProductImportInvalid(errors=report.errors)
    creates = [c.product for c in report.candidates if c.action == CREATE]
    updates = [(c.product, c.changed_fields) for c in report.candidates if c.action == UPDATE]
    change_reason = f"import {report.filename}"[:100]
    try:
        with transaction.atomic():
            services.products_import_save(
                actor=actor, creates=creates, updates=updates, change_reason=change_reason
            )
    except IntegrityError as exc:
        for product in creates:
            product.pk = None  # the rows were rolled back
        taken = {
            code.lower()
            for chunk in _chunks([p.code.lower() for p in creates])
            for code in Product.objects.annotate(code_lower=Lower("code"))
            .filter(code_lower__in=chunk)
            .values_list("code", flat=True)
        }
        header = COLUMNS_BY_KEY["code"].header
        raise ProductImportInvalid(
            gettext_lazy(
                "Another user created one of these products meanwhile; nothing was imported."
            ),
            errors=[
                RowError(c.row, header, _("A product with this code already exists."))
                for c in report.candidates
                if c.action == CREATE and c.product.code.lower() in taken
            ],
        ) from exc
    return len(creates), len(updates)
