"""Catalog forms: input validation only; services save."""

from suanpan.catalog.forms.products import DeactivateForm, ProductForm
from suanpan.catalog.forms.tax_categories import TaxCategoryForm

__all__ = ["DeactivateForm", "ProductForm", "TaxCategoryForm"]
