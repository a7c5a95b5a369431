"""Export the product list, filtered as on the list page, to xlsx or csv.

The columns are the import's (imports.COLUMNS), so an exported file imports again and updates
the same products.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet

from suanpan.catalog import selectors
from suanpan.catalog.models import Product
from suanpan.catalog.services.import_columns import (
    COLUMNS,
    active_word,
    kind_word,
    rate_word,
    yes_no_word,
)
from suanpan.core.errors import PermissionDeniedError
from suanpan.core.spreadsheets import Format, sheet_write
from suanpan.users.models import User

EXPORT_PERMISSION = "catalog.export_product"
SHEET_TITLE = "商品"
# A spreadsheet keeps numbers as binary floats: about 15 significant digits survive.
_FLOAT_SAFE_DIGITS = 15


def product_export_header() -> list[str]:
    return [column.header for column in COLUMNS]


def price_cell(value: Decimal) -> Decimal | str:
    """A price as a number when a spreadsheet keeps it exactly, else as text (never rounded)."""
    plain = Decimal(format(value.normalize(), "f"))
    digits = len(plain.as_tuple().digits)
    return plain if digits <= _FLOAT_SAFE_DIGITS else format(plain, "f")


def _product_cells(product: Product) -> dict[str, Any]:
    category = product.tax_category
    return {
        "code": product.code,
        "name": product.name,
        "specification": product.specification,
        "unit": product.unit,
        "kind": kind_word(product.kind),
        "tax_category": category.code,
        "vat_rate": rate_word(category.vat_rate_key),
        "list_price": price_cell(product.list_price),
        "price_includes_tax": yes_no_word(product.price_includes_tax),
        "standard_cost": price_cell(product.standard_cost),
        "is_active": active_word(product.is_active),
        "notes": product.notes,
    }


def product_export_rows(
    queryset: QuerySet[Product], *, progress: Callable[[int], object] | None = None
) -> Iterator[list[Any]]:
    """Spreadsheet rows for the products of a queryset, read in chunks."""
    keys = [column.key for column in COLUMNS]
    for product in queryset.select_related("tax_category").iterator(chunk_size=2000):
        cells = _product_cells(product)
        yield [cells.get(key, "") for key in keys]
        if progress:
            progress(1)


def products_export_queryset(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[Product]:
    """The products an export holds: the list page's, for the same filters."""
    if not user.has_perm(EXPORT_PERMISSION):
        raise PermissionDeniedError()
    queryset, _filterset = selectors.product_list(user=user, filters=filters)
    return queryset


def products_export(
    *,
    user: User,
    stream: IO[bytes],
    fmt: Format,
    filters: Mapping[str, Any] | None = None,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write the user's filtered product list to a binary stream; return the number of rows."""
    queryset = products_export_queryset(user=user, filters=filters)
    return sheet_write(
        stream,
        fmt=fmt,
        header=product_export_header(),
        rows=product_export_rows(queryset, progress=progress),
        title=SHEET_TITLE,
    )
