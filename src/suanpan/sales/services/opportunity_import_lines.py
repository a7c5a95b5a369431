"""The product lines of an opportunity file: 产品 and 数量 read into (product, quantity), and
whether a re-imported opportunity's lines differ from the file's. One lookup for all the
file's products and one for the lines of the opportunities imported before."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from suanpan.catalog.selectors import products_by_reference
from suanpan.core.spreadsheet_imports import chunks
from suanpan.sales.models import OpportunityLine

if TYPE_CHECKING:
    from suanpan.catalog.models import Product

Line = tuple["Product", Decimal]


class LineReader:
    def __init__(
        self,
        *,
        references: Iterable[str],
        opportunity_ids: Iterable[int],
        error: Callable[[int, str, Any], None],
    ) -> None:
        self.error = error
        self.products = products_by_reference(references)
        self.existing = self._existing_load(sorted(opportunity_ids))

    @staticmethod
    def _existing_load(ids: list[int]) -> dict[int, list[tuple[int, Decimal]]]:
        """The lines the opportunities imported before have, to tell a re-import of the same
        lines (unchanged) from new ones."""
        lines: dict[int, list[tuple[int, Decimal]]] = {}
        for chunk in chunks(ids):
            for line in OpportunityLine.objects.filter(opportunity_id__in=chunk).order_by(
                "opportunity_id", "position", "id"
            ):
                lines.setdefault(line.opportunity_id, []).append((line.product_id, line.quantity))
        return lines

    def line(self, row: int, values: dict[str, str]) -> Line | None:
        """The row's product line, or None: no product named, or an error (recorded)."""
        text, quantity_text = values.get("product", ""), values.get("quantity", "")
        if not text:
            if quantity_text:
                self.error(row, "quantity", _("Give the product of this quantity."))
            return None
        found = self.products.get(text, [])
        if len(found) > 1:
            self.error(
                row,
                "product",
                _("Several products are named “%(value)s”; give the product code.")
                % {"value": text},
            )
            return None
        if not found:
            self.error(
                row,
                "product",
                _("There is no product with the code or name “%(value)s”.") % {"value": text},
            )
            return None
        quantity: Decimal | None = Decimal(1)
        if quantity_text:
            try:
                quantity = OpportunityLine._meta.get_field("quantity").to_python(
                    quantity_text.replace(",", "")
                )
            except ValidationError as exc:
                for message in exc.messages:
                    self.error(row, "quantity", message)
                return None
        if quantity is None or quantity <= 0:
            self.error(row, "quantity", _("Enter a quantity greater than 0."))
            return None
        return found[0], quantity

    def differ(self, opportunity_id: int, lines: list[Line]) -> bool:
        """Whether the file's lines for an opportunity imported before are not its lines."""
        given = [(product.pk, quantity) for product, quantity in lines]
        return given != self.existing.get(opportunity_id, [])
