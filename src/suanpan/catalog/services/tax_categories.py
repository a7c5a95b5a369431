"""Tax categories: the VAT rate a product takes, by category; in use, a category stays."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from suanpan.catalog.errors import TaxCategoryInUse
from suanpan.catalog.models import TaxCategory
from suanpan.core.audit import audited
from suanpan.core.errors import validation_failed_from_django
from suanpan.core.locks import for_update
from suanpan.core.writes import fields_assign
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

TAX_CATEGORY_FIELDS = ("code", "name", "vat_rate_key", "is_active")


def _tax_category_check(category: TaxCategory) -> None:
    category.code = "".join(category.code.split())
    errors: dict[str, list[str]] = {}
    try:
        category.full_clean(validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if (
        "code" not in errors
        and TaxCategory.objects.filter(code=category.code).exclude(pk=category.pk).exists()
    ):
        errors["code"] = [_("A tax category with this code already exists.")]
    if errors:
        raise validation_failed_from_django(ValidationError(errors))


def _tax_category_save(category: TaxCategory) -> None:
    try:
        with transaction.atomic():
            category.save()
    except IntegrityError as exc:
        raise validation_failed_from_django(
            ValidationError({"code": _("A tax category with this code already exists.")})
        ) from exc


@audited
@transaction.atomic
def tax_category_create(*, actor: User, data: Mapping[str, Any]) -> TaxCategory:
    permission_require(actor, "catalog.add_taxcategory")
    category = TaxCategory()
    fields_assign(category, data, TAX_CATEGORY_FIELDS)
    _tax_category_check(category)
    _tax_category_save(category)
    return category


@audited
@transaction.atomic
def tax_category_update(
    *, actor: User, tax_category: TaxCategory, data: Mapping[str, Any]
) -> TaxCategory:
    """Change a tax category; its products take the new rate on documents written from now."""
    permission_require(actor, "catalog.change_taxcategory")
    category = for_update(TaxCategory.objects.all()).get(pk=tax_category.pk)
    fields_assign(category, data, TAX_CATEGORY_FIELDS)
    _tax_category_check(category)
    _tax_category_save(category)
    return category


@audited
@transaction.atomic
def tax_category_deactivate(*, actor: User, tax_category: TaxCategory) -> TaxCategory:
    """No new product may choose it; products that have it keep it."""
    permission_require(actor, "catalog.change_taxcategory")
    category = for_update(TaxCategory.objects.all()).get(pk=tax_category.pk)
    if category.is_active:
        category.is_active = False
        category.save(update_fields=["is_active"])
        update_change_reason(category, _("Deactivated"))
    return category


@audited
@transaction.atomic
def tax_category_reactivate(*, actor: User, tax_category: TaxCategory) -> TaxCategory:
    permission_require(actor, "catalog.change_taxcategory")
    category = for_update(TaxCategory.objects.all()).get(pk=tax_category.pk)
    if not category.is_active:
        category.is_active = True
        category.save(update_fields=["is_active"])
        update_change_reason(category, _("Reactivated"))
    return category


@audited
@transaction.atomic
def tax_category_delete(*, actor: User, tax_category: TaxCategory) -> None:
    """Delete a category entered by mistake; refused while any product uses it."""
    permission_require(actor, "catalog.delete_taxcategory")
    category = for_update(TaxCategory.objects.all(), key_share=False).get(pk=tax_category.pk)
    try:
        with transaction.atomic():
            category.delete()
    except ProtectedError as exc:
        raise TaxCategoryInUse(category=category.name, count=category.products.count()) from exc
