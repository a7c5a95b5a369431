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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.catalog.models import Product, TaxCategory
from suanpan.catalog.services import products as services
from suanpan.catalog.services.import_columns import (
    ACTIVE_INDEX,
    COLUMNS,
    COLUMNS_BY_KEY,
    HEADER_INDEX,
    INCLUDES_INDEX,
    KIND_INDEX,
    PRODUCT_KEYS,
    rate_key,
    rate_word,
)
from suanpan.core.errors import PermissionDeniedError
from suanpan.core.spreadsheet_imports import (
    CREATE,
    UNCHANGED,
    UPDATE,
    ImportInvalid,
    RowError,
    chunks,
    header_map,
    word_norm,
)
from suanpan.core.spreadsheet_imports import ImportReport as BaseImportReport
from suanpan.core.spreadsheets import Sheet, SheetRow, sheet_read
from suanpan.users.models import User

IMPORT_PERMISSION = "catalog.import_product"


class ProductImportInvalid(ImportInvalid):
    code = "product_import_invalid"


@dataclass
class ImportCandidate:
    """One product to create or update, with the row it came from."""

    row: int
    product: Product
    action: str
    changes: list[str] = field(default_factory=list)  # labels, for the preview
    changed_fields: list[str] = field(default_factory=list)  # names, for the update


@dataclass
class ImportReport(BaseImportReport):
    candidates: list[ImportCandidate] = field(default_factory=list)


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
    encoding: str | None = None,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Read a file and check every row: the dry run. Writes nothing.

    A file that cannot be read at all raises SpreadsheetInvalid; row errors go in the report.
    """
    import_permission_require(actor)
    sheet = sheet_read(data, filename=filename, encoding=encoding)
    return products_import_validate(actor=actor, sheet=sheet, filename=filename, progress=progress)


def _header_map(sheet: Sheet) -> tuple[dict[str, int], dict[str, str], list[str]]:
    return header_map(
        sheet,
        index=HEADER_INDEX,
        required="code",
        missing=gettext_lazy(
            "The header row (row %(row)s) has no “%(column)s” (code) column. "
            "The first row must hold the column names."
        ),
        missing_header=COLUMNS_BY_KEY["code"].header,
    )


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
            by_name.setdefault(word_norm(category.name), []).append(category)
        self.categories_by_name = by_name
        self.seen_codes: dict[str, tuple[int, str]] = {}
        self.failed: dict[str, list[str]] = {}

    def _existing_load(self) -> dict[str, Product]:
        position = self.positions["code"]
        codes = sorted({row.get(position).lower() for row in self.sheet.rows} - {""})
        found: dict[str, Product] = {}
        for chunk in chunks(codes):
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
        named = self.categories_by_name.get(word_norm(value), [])
        if len(named) == 1:
            return named[0]
        if named:
            return _("Several tax categories are named “%(value)s”; give the code.") % {
                "value": value
            }
        return _("There is no tax category with the code or name “%(value)s”.") % {"value": value}

    def _word(self, index: dict[str, str], key: str, value: str, allowed: str) -> str | None:
        word = index.get(word_norm(value))
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
            first_row, first_code = self.seen_codes[code.lower()]
            if first_code == code:
                message = _("Same product code as row %(row)s.") % {"row": first_row}
            else:
                message = _(
                    "The code %(code)s differs from %(first)s in row %(row)s only in letter "
                    "case; product codes are unique whatever their case."
                ) % {"code": code, "first": first_code, "row": first_row}
            self.error(row, "code", message)
            return None
        self.seen_codes[code.lower()] = (row, code)
        existing = self.existing.get(code.lower())
        product = Product(code=code) if existing is None else _copy(existing)
        old_category_id = product.tax_category_id
        self.failed = {}
        for key in PRODUCT_KEYS:
            value = values.get(key, "")
            if not value:
                continue
            if key == "kind":
                word = self._word(KIND_INDEX, key, value, "货物, 服务 (goods, service)")
                if word:
                    product.kind = word
            elif key == "tax_category":
                category = self._category(value)
                if isinstance(category, TaxCategory):
                    product.tax_category = category
                else:
                    self.failed.setdefault(key, []).append(category)
            elif key == "price_includes_tax":
                word = self._word(INCLUDES_INDEX, key, value, "是, 否 (yes, no)")
                if word:
                    product.price_includes_tax = word == "yes"
            elif key == "is_active":
                word = self._word(ACTIVE_INDEX, key, value, "启用, 停用 (active, inactive)")
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
        changes = [_label(name) for name in fields]
        if fields and code != existing.code:
            # Codes are unique whatever their case: the row updates the product as it is coded.
            changes.append(
                _("code %(code)s matches %(existing)s (letter case ignored)")
                % {"code": code, "existing": existing.code}
            )
        return ImportCandidate(
            row=row,
            product=product,
            action=UPDATE if fields else UNCHANGED,
            changes=changes,
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
            for chunk in chunks([p.code.lower() for p in creates])
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
