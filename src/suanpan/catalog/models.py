from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.catalog.choices import ProductKind, VatRateKey
from suanpan.catalog.types import PRICE_DIGITS, PRICE_PLACES
from suanpan.core.audit import history_user
from suanpan.core.tax import VAT_RATES


class TaxCategory(models.Model):
    """A tax category (税收分类): the VAT rate and the tax-code the fapiao prints."""

    code = models.CharField(
        _("tax classification code"),
        max_length=19,
        unique=True,
        validators=[RegexValidator(r"^\d{1,19}$", _("Digits only, at most 19."))],
        help_text=_("The 19-digit 税收分类编码 printed on invoices."),
    )
    name = models.CharField(_("name"), max_length=100)
    vat_rate_key = models.CharField(_("VAT rate"), max_length=10, choices=VatRateKey.choices)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("tax category")
        verbose_name_plural = _("tax categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_vat_rate_key_display()})"

    @property
    def vat_rate(self) -> Decimal:
        return VAT_RATES[self.vat_rate_key].rate


class Product(models.Model):
    """A product or service (商品/服务) that quotes, orders and invoices sell."""

    code = models.CharField(_("product code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    kind = models.CharField(
        _("type"), max_length=10, choices=ProductKind.choices, default=ProductKind.GOODS
    )
    tax_category = models.ForeignKey(
        TaxCategory,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("tax category"),
    )
    list_price = models.DecimalField(
        _("list price"),
        max_digits=PRICE_DIGITS,
        decimal_places=PRICE_PLACES,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    price_includes_tax = models.BooleanField(_("price includes tax"), default=True)
    standard_cost = models.DecimalField(
        _("standard cost"),
        max_digits=PRICE_DIGITS,
        decimal_places=PRICE_PLACES,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Per unit, excluding tax; used until goods receipts give a moving average."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    # Kept by services on every write: name, code, pinyin and initials, lower-case.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["search_text", "updated_at"], get_user=history_user
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]
        permissions = [
            ("import_product", _("Can import products")),
            ("export_product", _("Can export products")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(list_price__gte=0), name="catalog_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(standard_cost__gte=0), name="catalog_cost_not_negative"
            ),
            # People type codes in any case; "sp-001" and "SP-001" are one product.
            models.UniqueConstraint(
                Lower("code"),
                name="catalog_product_code_ci_unique",
                violation_error_message=_("A product with this code already exists."),
            ),
        ]
        indexes = [
            models.Index(fields=["is_active", "code"], name="catalog_product_active"),
            models.Index(fields=["name"], name="catalog_product_name"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_stocked(self) -> bool:
        return self.kind == ProductKind.GOODS


# What a person may set on a product (forms, API, import); the rest is kept by services.
PRODUCT_FIELDS = (
    "code",
    "name",
    "specification",
    "unit",
    "kind",
    "tax_category",
    "list_price",
    "price_includes_tax",
    "standard_cost",
    "is_active",
    "notes",
)
