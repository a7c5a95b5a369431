"""The line-entry formset shared by priced documents (quotes, orders).

Each row holds a product id (picked through `catalog:product_search`), a quantity (> 0, at most
4 decimals), a unit price in the document's tax basis (≥ 0, at most 6 decimals; blank for the
list price) and a discount entered as a percentage (0–100) that `line_inputs()` hands on as a
fraction. Rows left blank are ignored, so the grid may always end with an empty row. See
`sales.services.lines` for how a document wires the grid, the preview and its service together.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from suanpan.catalog.types import PRICE_DIGITS, PRICE_PLACES
from suanpan.core.forms import LineGridFormSet, StyledFormMixin, grid_cells_name, plain
from suanpan.sales.services.lines import LineInput

LINE_PREFIX = "lines"
MAX_LINES = 500
HUNDRED = Decimal(100)


class LineForm(StyledFormMixin, forms.Form):
    product = forms.IntegerField(label=_("Product"), min_value=1, widget=forms.HiddenInput)
    # What the picker shows; kept so a page re-rendered after an error still names the product.
    product_label = forms.CharField(label=_("Product"), required=False, max_length=300)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=16,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"), _("Enter a quantity above 0."))],
    )
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        required=False,
        max_digits=PRICE_DIGITS,
        decimal_places=PRICE_PLACES,
        min_value=Decimal(0),
        help_text=_("Blank for the list price."),
    )
    discount = forms.DecimalField(
        label=_("Discount %"),
        required=False,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(HUNDRED)],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("quantity", "unit_price", "discount"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "decimal", "class": "form-control form-control-sm text-end"}
            )
        self.fields["product_label"].widget.attrs.update(
            {"class": "form-control form-control-sm", "autocomplete": "off"}
        )
        # Named by column and line ("数量 行 2"); the grid's script renumbers the ids with the row.
        grid_cells_name(self, ("quantity", "unit_price", "discount"))

    def has_changed(self) -> bool:
        # The picker's label alone (a search typed, nothing picked) is still an empty row.
        return any(
            self.data.get(self.add_prefix(name)) not in (None, "")
            for name in ("product", "quantity", "unit_price", "discount")
        )

    def line_input(self) -> LineInput:
        data = self.cleaned_data
        discount = data.get("discount") or Decimal(0)
        return LineInput(
            product_id=data["product"],
            quantity=data["quantity"],
            unit_price=data.get("unit_price"),
            discount_rate=discount / HUNDRED,
        )


class BaseLineFormSet(LineGridFormSet):
    def line_inputs(self) -> list[LineInput]:
        """The rows entered, in order, blank rows left out; call after is_valid()."""
        return [form.line_input() for form in self.filled_forms()]


LineFormSet = forms.formset_factory(
    LineForm,
    formset=BaseLineFormSet,
    extra=1,
    max_num=MAX_LINES,
    validate_max=True,
    absolute_max=MAX_LINES,
)


def line_formset(
    data: Any = None, *, lines: Iterable[Any] = (), prefix: str = LINE_PREFIX
) -> BaseLineFormSet:
    """A bound formset for a POST, or one filled from a document's stored lines (any
    `DocumentLine`), always ending with one empty row."""
    if data is not None:
        return cast(BaseLineFormSet, LineFormSet(data, prefix=prefix))
    initial = [
        {
            "product": line.product_id,
            "product_label": f"{line.product.code} {line.product_name}",
            "quantity": plain(line.quantity),
            "unit_price": plain(line.unit_price),
            "discount": plain(line.discount_rate * HUNDRED) if line.discount_rate else None,
        }
        for line in lines
    ]
    return cast(BaseLineFormSet, LineFormSet(prefix=prefix, initial=initial))
