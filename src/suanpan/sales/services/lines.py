"""Priced lines of sales documents (quotes, orders): what a line sells, at what price, with tax.

How a document uses the shared line entry:

1. Its form page renders `{% include "sales/includes/line_grid.html" with formset=... %}`, the
   formset made by `sales.forms.lines.line_formset(request.POST or None, lines=doc.lines.all())`
   (prefix `lines` unless another is passed). The surrounding `<form>` carries a checkbox named
   `price_includes_tax`. The grid posts the whole form to `sales:lines_preview` (htmx) when it
   loads and on every change; that view prices the rows here and answers with each row's
   amounts and the document's totals. No tax maths runs in the browser.
2. Its view validates the formset and hands `formset.line_inputs()` to its service.
3. Its service calls `lines_price(inputs=..., price_includes_tax=...)` inside its transaction and
   `lines_replace(document=..., lines=..., line_model=..., parent_field=...)` to store them and
   set the document's totals, then saves the document.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from suanpan.catalog.choices import VatRateKey
from suanpan.catalog.selectors import products_by_id
from suanpan.catalog.types import PRICE_PLACES
from suanpan.core.errors import ValidationFailed
from suanpan.core.money import divide, round_to
from suanpan.core.tax import VAT_RATES, LineAmounts, lines_total
from suanpan.sales.calculations import LinePricing, document_amounts
from suanpan.sales.errors import LineProductInactive, LineProductUnknown, LinesMissing
from suanpan.sales.models import DocumentLine, DocumentTotals

if TYPE_CHECKING:
    from suanpan.catalog.models import Product

__all__ = [
    "LineInput",
    "PricedLine",
    "line_inputs_stored",
    "lines_copied",
    "lines_price",
    "lines_products",
    "lines_replace",
    "lines_rows",
    "lines_totals",
    "list_price_in_basis",
]


@dataclass(frozen=True, slots=True)
class LineInput:
    """A line as entered: the unit price is in the document's tax basis, None for the list price;
    the discount is a fraction (0.05 for 5 %)."""

    product_id: int
    quantity: Decimal
    unit_price: Decimal | None = None
    discount_rate: Decimal = Decimal(0)

    @classmethod
    def like(cls, line: Any) -> LineInput:
        """The input with `line`'s product, quantity, unit price and discount (a stored line,
        an API line)."""
        return cls(
            product_id=line.product_id,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount_rate=line.discount_rate,
        )


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A line ready to store: the product's details copied, the amounts worked out."""

    position: int
    product: Product
    product_name: str
    specification: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    discount_rate: Decimal
    vat_rate_key: str
    vat_rate: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    # True when no price was entered and the product's list price was used.
    is_list_price: bool = False

    @property
    def vat_label(self) -> str:
        """13%, or Exempt (免税), as the rate column prints it."""
        return str(VatRateKey(self.vat_rate_key).label)


# What a stored line keeps of a priced line; `lines_rows` and `lines_copied` go both ways.
STORED = (
    "position",
    "product",
    "product_name",
    "specification",
    "unit",
    "quantity",
    "unit_price",
    "discount_rate",
    "vat_rate_key",
    "vat_rate",
    "net_amount",
    "tax_amount",
    "gross_amount",
)


def list_price_in_basis(product: Product, *, price_includes_tax: bool) -> Decimal:
    """The product's list price in the document's basis: net = gross / (1 + rate), or
    gross = net × (1 + rate), rounded half up to the 6 places a unit price keeps."""
    price = product.list_price
    if product.price_includes_tax == price_includes_tax:
        return price
    rate = VAT_RATES[product.tax_category.vat_rate_key].rate
    if product.price_includes_tax:
        return divide(price, 1 + rate, places=PRICE_PLACES)
    return round_to(price * (1 + rate), PRICE_PLACES)


def lines_products(product_ids: Iterable[int]) -> dict[int, Product]:
    """The products lines name, with their tax category, in one query."""
    return products_by_id(product_ids, with_tax_category=True)


def lines_price(
    *,
    inputs: Sequence[LineInput],
    price_includes_tax: bool,
    products: Mapping[int, Product] | None = None,
    field_prefix: str = "",
) -> list[PricedLine]:
    """Price the lines of a document, numbered from 1 in the order given.

    Products are read in one query unless the caller read them already (`lines_products`, once
    for a batch). Unknown and inactive products are refused, naming the line; quantities must be
    positive, prices not negative and discounts between 0 and 1 (the forms check that first).
    Error field names start with `field_prefix` ("orders.3." in a batch).
    """
    if not inputs:
        raise LinesMissing(fields={f"{field_prefix}lines": [LinesMissing.default_message]})
    if products is None:
        products = lines_products(line.product_id for line in inputs)
    pricing: list[LinePricing] = []
    chosen: list[tuple[Product, Decimal, bool]] = []
    for position, line in enumerate(inputs, 1):
        product = products.get(line.product_id)
        if product is None:
            raise LineProductUnknown(
                fields={
                    f"{field_prefix}lines.{position - 1}.product": [
                        _unknown(position, line.product_id)
                    ]
                },
                position=position,
                product_id=line.product_id,
            )
        if not product.is_active:
            raise LineProductInactive(
                fields={
                    f"{field_prefix}lines.{position - 1}.product": [_inactive(position, product)]
                },
                position=position,
                product=str(product),
            )
        _check_numbers(position, line, field_prefix=field_prefix)
        is_list_price = line.unit_price is None
        unit_price = (
            list_price_in_basis(product, price_includes_tax=price_includes_tax)
            if line.unit_price is None
            else line.unit_price
        )
        pricing.append(
            LinePricing(
                quantity=line.quantity,
                unit_price=unit_price,
                vat_rate_key=product.tax_category.vat_rate_key,
                discount_rate=line.discount_rate,
            )
        )
        chosen.append((product, unit_price, is_list_price))
    amounts, _totals = document_amounts(pricing, price_includes_tax=price_includes_tax)
    return [
        PricedLine(
            position=position,
            product=product,
            product_name=product.name,
            specification=product.specification,
            unit=product.unit,
            quantity=line.quantity,
            unit_price=unit_price,
            discount_rate=line.discount_rate,
            vat_rate_key=line.vat_rate_key,
            vat_rate=VAT_RATES[line.vat_rate_key].rate,
            net_amount=amount.net_amount,
            tax_amount=amount.tax_amount,
            gross_amount=amount.gross_amount,
            is_list_price=is_list_price,
        )
        for position, ((product, unit_price, is_list_price), line, amount) in enumerate(
            zip(chosen, pricing, amounts, strict=True), 1
        )
    ]


def lines_totals(lines: Sequence[PricedLine]) -> LineAmounts:
    """The document's totals: the sums of its lines, never re-rounded."""
    return lines_total(
        LineAmounts(
            net_amount=line.net_amount,
            tax_amount=line.tax_amount,
            gross_amount=line.gross_amount,
        )
        for line in lines
    )


def lines_replace(
    *,
    document: DocumentTotals,
    lines: Sequence[PricedLine],
    line_model: type[DocumentLine],
    parent_field: str,
) -> list[DocumentLine]:
    """Replace the document's lines with `lines` (one bulk insert) and set its totals.

    The document must be saved and locked by the caller, who saves it again afterwards: the
    totals are only set on the instance here.
    """
    line_model._default_manager.filter(**{parent_field: document}).delete()
    created = line_model._default_manager.bulk_create(
        lines_rows(document=document, lines=lines, line_model=line_model, parent_field=parent_field)
    )
    totals = lines_totals(lines)
    document.net_amount = totals.net_amount
    document.tax_amount = totals.tax_amount
    document.gross_amount = totals.gross_amount
    return created


def lines_rows(
    *,
    document: DocumentTotals,
    lines: Sequence[PricedLine],
    line_model: type[DocumentLine],
    parent_field: str,
) -> list[Any]:
    """Unsaved `line_model` rows of the document for priced lines, ready for `bulk_create`."""
    return [
        line_model(**{parent_field: document}, **{name: getattr(line, name) for name in STORED})
        for line in lines
    ]


def lines_copied(stored: Iterable[DocumentLine]) -> list[PricedLine]:
    """A document's stored lines as they are, to store on another document: same prices, same
    amounts to the fen."""
    return [PricedLine(**{name: getattr(line, name) for name in STORED}) for line in stored]


def line_inputs_stored(stored: Iterable[DocumentLine]) -> list[LineInput]:
    """Stored lines as entered again: same products, quantities, prices and discounts (so they
    can be priced anew, in another tax basis, without falling back to today's list price)."""
    return [LineInput.like(line) for line in stored]


def _check_numbers(position: int, line: LineInput, *, field_prefix: str) -> None:
    """The forms and API schemas check these first; services called directly get the same."""
    errors: dict[str, list[str]] = {}
    field = f"{field_prefix}lines.{position - 1}"
    if line.quantity <= 0:
        errors[f"{field}.quantity"] = [_("Enter a quantity above 0.")]
    if line.unit_price is not None and line.unit_price < 0:
        errors[f"{field}.unit_price"] = [_("The unit price cannot be negative.")]
    if not 0 <= line.discount_rate <= 1:
        errors[f"{field}.discount"] = [_("The discount lies between 0 and 100 %.")]
    if errors:
        raise ValidationFailed(fields=errors)


def _unknown(position: int, product_id: int) -> str:
    return LineProductUnknown.default_message % {"position": position, "product_id": product_id}


def _inactive(position: int, product: Product) -> str:
    return LineProductInactive.default_message % {"position": position, "product": product}
