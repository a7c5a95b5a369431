"""Products: create, update, close and reopen, and the bulk save of an import.

A product's search text (code, name, pinyin, initials, specification) is recomputed on every
write here, so product search finds what a person reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, update_change_reason

from suanpan.catalog import calculations
from suanpan.catalog.errors import TaxCategoryInactive
from suanpan.catalog.models import PRODUCT_FIELDS, Product, TaxCategory
from suanpan.catalog.types import MAX_PRICE
from suanpan.core.audit import audited
from suanpan.core.errors import validation_failed_from_django
from suanpan.core.locks import for_update
from suanpan.core.writes import fields_assign
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

PRICE_FIELDS = ("list_price", "standard_cost")


def _field_label(name: str) -> str:
    field = Product._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _price_errors(product: Product) -> dict[str, list[str]]:
    """Prices as Decimals, not negative, within the column; messages a person can act on."""
    errors: dict[str, list[str]] = {}
    for name in PRICE_FIELDS:
        value = getattr(product, name)
        label = _field_label(name)
        if value is None or value == "":
            errors[name] = [_("Enter the %(field)s (0 if there is none).") % {"field": label}]
            continue
        try:
            amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        except InvalidOperation:
            errors[name] = [_("Enter a number.")]
            continue
        if not amount.is_finite():
            errors[name] = [_("Enter a number.")]
        elif amount < 0:
            errors[name] = [_("The %(field)s cannot be negative.") % {"field": label}]
        elif amount > MAX_PRICE:
            errors[name] = [
                _("The %(field)s can be at most %(max)s.")
                % {"field": label, "max": f"{MAX_PRICE:,}"}
            ]
        else:
            setattr(product, name, amount)
    return errors


def product_code_taken(code: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another product has this code, whatever its case."""
    return product_code_clash(code, exclude_pk=exclude_pk) is not None


def product_code_clash(code: str, *, exclude_pk: int | None = None) -> str | None:
    """The code of another product that has this code, whatever its case, or None."""
    queryset = Product.objects.filter(code__iexact=code.strip())
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.values_list("code", flat=True).first()


def code_taken_message(code: str, existing: str) -> str:
    """Codes are unique whatever their letter case (the policy: one product per code however it
    is typed); when only the case differs, say so, or the refusal looks wrong."""
    if code.strip() != existing:
        return _(
            "The code %(code)s differs from the existing product's %(existing)s only in letter "
            "case; product codes are unique whatever their case."
        ) % {"code": code.strip(), "existing": existing}
    return _("A product with this code already exists.")


def product_check(
    product: Product,
    *,
    tax_category_changed: bool,
    reactivated: bool = False,
    check_code: bool = True,
) -> dict[str, list[str]]:
    """Every field error of a product about to be saved (the import collects them per row).

    A product may keep a tax category deactivated after it chose it, but may neither choose one
    nor be reactivated with one. Uniqueness of the code is checked here only when `check_code`:
    the import checks a whole file's codes with one query instead.
    """
    errors = _price_errors(product)
    try:
        # The tax category comes loaded from a form, the API or the import's one query, so
        # its existence needs no query per product (imports check thousands).
        product.full_clean(
            exclude=[*errors, "tax_category"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if product.tax_category_id is None:
        errors.setdefault("tax_category", []).append(_("Choose a tax category."))
    elif (tax_category_changed or reactivated) and not product.tax_category.is_active:
        errors.setdefault("tax_category", []).append(
            str(TaxCategoryInactive(category=product.tax_category.name, product=product.code))
        )
    if check_code and product.code and "code" not in errors:
        existing = product_code_clash(product.code, exclude_pk=product.pk)
        if existing is not None:
            errors["code"] = [code_taken_message(product.code, existing)]
    return errors


def _product_check_or_raise(
    product: Product, *, tax_category_changed: bool, reactivated: bool = False
) -> None:
    errors = product_check(
        product, tax_category_changed=tax_category_changed, reactivated=reactivated
    )
    if errors:
        raise validation_failed_from_django(ValidationError(errors))


def product_search_text_set(product: Product) -> None:
    product.search_text = calculations.search_text(
        code=product.code, name=product.name, specification=product.specification
    )


def _product_save(product: Product) -> None:
    """Save; a code taken by a concurrent request since the check is a field error."""
    product_search_text_set(product)
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError as exc:
        existing = product_code_clash(product.code, exclude_pk=product.pk)
        if existing is not None:
            raise validation_failed_from_django(
                ValidationError({"code": code_taken_message(product.code, existing)})
            ) from exc
        raise


@audited
@transaction.atomic
def product_create(*, actor: User, data: Mapping[str, Any]) -> Product:
    """Create a product; the tax category must be active and the code free in any case."""
    permission_require(actor, "catalog.add_product")
    product = Product()
    fields_assign(product, data, PRODUCT_FIELDS)
    _product_check_or_raise(product, tax_category_changed=True)
    _product_save(product)
    return product


@audited
@transaction.atomic
def product_update(*, actor: User, product: Product, data: Mapping[str, Any]) -> Product:
    """Change a product. Documents already written keep their own copies of price and rate."""
    permission_require(actor, "catalog.change_product")
    product = for_update(Product.objects.select_related("tax_category")).get(pk=product.pk)
    old_category_id, was_active = product.tax_category_id, product.is_active
    fields_assign(product, data, PRODUCT_FIELDS)
    _product_check_or_raise(
        product,
        tax_category_changed=product.tax_category_id != old_category_id,
        reactivated=product.is_active and not was_active,
    )
    _product_save(product)
    return product


@audited
@transaction.atomic
def product_deactivate(*, actor: User, product: Product, reason: str = "") -> Product:
    """Take a product off new quotes and orders; documents that use it keep it."""
    permission_require(actor, "catalog.change_product")
    product = for_update(Product.objects.all()).get(pk=product.pk)
    if product.is_active:
        product.is_active = False
        product.save(update_fields=["is_active", "updated_at"])
        update_change_reason(product, reason.strip()[:100] or _("Deactivated"))
    return product


@audited
@transaction.atomic
def product_reactivate(*, actor: User, product: Product) -> Product:
    """Offer a product again; refused while its tax category is deactivated."""
    permission_require(actor, "catalog.change_product")
    # The tax category before the product (docs/locking.md), so a category deactivated at
    # this moment is seen here.
    category_id = Product.objects.values_list("tax_category_id", flat=True).get(pk=product.pk)
    category = for_update(TaxCategory.objects.all()).get(pk=category_id)
    product = for_update(Product.objects.all()).get(pk=product.pk)
    product.tax_category = category
    if product.is_active:
        return product
    if not product.tax_category.is_active:
        raise TaxCategoryInactive(category=product.tax_category.name, product=product.code)
    product.is_active = True
    product.save(update_fields=["is_active", "updated_at"])
    update_change_reason(product, _("Reactivated"))
    return product


@audited
@transaction.atomic
def products_import_save(
    *,
    actor: User,
    creates: Sequence[Product],
    updates: Sequence[tuple[Product, Sequence[str]]],
    change_reason: str = "",
    batch_size: int = 1000,
) -> None:
    """Create and update many products at once (import): all of them or none.

    `updates` pairs each changed product with the names of the fields that changed. Each product
    must already be checked by the caller (product_check and the code checks of the whole file);
    search text is computed here. Updated products are locked first, so a concurrent edit waits
    for the import instead of being overwritten half-way.
    """
    if creates:
        permission_require(actor, "catalog.add_product")
    if updates:
        permission_require(actor, "catalog.change_product")
        pks = [product.pk for product, _fields in updates]
        for start in range(0, len(pks), batch_size):
            list(
                for_update(Product.objects.filter(pk__in=pks[start : start + batch_size]))
                .order_by("pk")
                .values_list("pk", flat=True)
            )
    for product in creates:
        product_search_text_set(product)
    bulk_create_with_history(
        list(creates),
        Product,
        batch_size=batch_size,
        default_user=actor,
        default_change_reason=change_reason,
    )
    if not updates:
        return
    # One small UPDATE per product with just its changed fields: Django's bulk_update builds a
    # CASE per field and row, which costs minutes of Python for ten thousand products.
    now = timezone.now()
    for product, fields in updates:
        product_search_text_set(product)
        product.updated_at = now
        names = {*fields, "search_text", "updated_at"}
        Product.objects.filter(pk=product.pk).update(
            **{name: getattr(product, name) for name in names}
        )
    Product.history.bulk_history_create(
        [product for product, _fields in updates],
        batch_size=batch_size,
        update=True,
        default_user=actor,
        default_change_reason=change_reason,
    )
