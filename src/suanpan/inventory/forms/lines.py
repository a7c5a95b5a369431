"""The line grid of goods receipts and stock adjustments: product, quantity, unit cost.

A row names its product by id (set by the picker that searches `catalog:product_search`) or,
without JavaScript, by the product code typed into the label field. Blank rows are ignored,
so the grid may always end with an empty row.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.catalog.selectors import product_by_code, product_by_id
from suanpan.catalog.types import PRICE_DIGITS, PRICE_PLACES
from suanpan.core.forms import LineGridFormSet, StyledFormMixin, grid_cells_name, plain

if TYPE_CHECKING:
    from suanpan.catalog.models import Product

LINE_PREFIX = "lines"
MAX_LINES = 500


class StockLineForm(StyledFormMixin, forms.Form):
    product = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    product_label = forms.CharField(label=_("Product"), required=False, max_length=300)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=16, decimal_places=4)
    unit_cost = forms.DecimalField(
        label=_("Unit cost"),
        required=False,
        max_digits=PRICE_DIGITS,
        decimal_places=PRICE_PLACES,
        min_value=Decimal(0),
    )
    unit_cost_required = True
    negative_allowed = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("quantity", "unit_cost"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "decimal", "class": "form-control form-control-sm text-end"}
            )
        self.fields["product_label"].widget.attrs.update(
            {
                "class": "form-control form-control-sm sp-product-picker",
                "autocomplete": "off",
                "placeholder": _("Code, name or pinyin"),
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
            }
        )
        # Cells are named by their column; the product cell controls its row's list of matches.
        grid_cells_name(self, ("product_label", "quantity", "unit_cost"), row_header=False)
        if self.prefix:
            self.fields["product_label"].widget.attrs["aria-controls"] = f"{self.prefix}-results"

    def has_changed(self) -> bool:
        return any(
            self.data.get(self.add_prefix(name)) not in (None, "")
            for name in ("product", "product_label", "quantity", "unit_cost")
        )

    def clean_quantity(self) -> Decimal:
        quantity: Decimal = self.cleaned_data["quantity"]
        if quantity == 0 or (quantity < 0 and not self.negative_allowed):
            raise forms.ValidationError(
                _("Enter a quantity above 0.")
                if not self.negative_allowed
                else _("Enter the difference: more than zero for a gain, less for a loss.")
            )
        return quantity

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        product = None
        if data.get("product"):
            product = product_by_id(data["product"])
        elif (label := (data.get("product_label") or "").strip()) != "":
            # Without the picker a person types the code; the first word is enough.
            product = product_by_code(label.split()[0])
        if product is None:
            self.add_error("product_label", _("Pick a product from the list or type its code."))
        data["product_obj"] = product
        if (
            self.unit_cost_required
            and data.get("unit_cost") is None
            and "unit_cost" not in self.errors
        ):
            self.add_error("unit_cost", _("Enter the unit cost (0 for goods received free)."))
        return data


class AdjustmentLineForm(StockLineForm):
    unit_cost_required = False
    negative_allowed = True


class BaseStockLineFormSet(LineGridFormSet):
    def line_values(self) -> list[tuple[Product, Decimal, Decimal | None]]:
        """(product, quantity, unit cost) of the rows entered, in order; after is_valid()."""
        return [
            (f.cleaned_data["product_obj"], f.cleaned_data["quantity"], f.cleaned_data["unit_cost"])
            for f in self.filled_forms()
        ]


ReceiptLineFormSet = cast(
    type[BaseStockLineFormSet],
    forms.formset_factory(
        StockLineForm,
        formset=BaseStockLineFormSet,
        extra=1,
        max_num=MAX_LINES,
        validate_max=True,
        absolute_max=MAX_LINES,
    ),
)
AdjustmentLineFormSet = cast(
    type[BaseStockLineFormSet],
    forms.formset_factory(
        AdjustmentLineForm,
        formset=BaseStockLineFormSet,
        extra=1,
        max_num=MAX_LINES,
        validate_max=True,
        absolute_max=MAX_LINES,
    ),
)


def line_initial(lines: Iterable[Any]) -> list[dict[str, Any]]:
    """Initial rows for editing a draft's saved lines."""
    return [
        {
            "product": line.product_id,
            "product_label": f"{line.product.code} {line.product.name}",
            "quantity": plain(line.quantity),
            "unit_cost": plain(line.unit_cost),
        }
        for line in lines
    ]


def line_errors_place(formset: BaseStockLineFormSet, fields: dict[str, list[str]]) -> bool:
    """Put a service's `lines.N.field` messages on the grid's rows; True if any were placed.

    Service line numbers count the rows entered, which skip blank rows of the grid.
    """
    filled = formset.filled_forms()
    placed = False
    for key, messages in fields.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
            index, name = int(parts[1]), parts[2]
            if index < len(filled):
                target = "product_label" if name == "product" else name
                for message in messages:
                    filled[index].add_error(
                        target if target in filled[index].fields else None, message
                    )
                placed = True
    return placed
