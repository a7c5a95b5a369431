"""What quote and order lines and totals share: the product as sold, quantity, price, tax."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from suanpan.catalog.choices import VatRateKey
from suanpan.catalog.types import PRICE_DIGITS, PRICE_PLACES
from suanpan.core.fields import MoneyField, QuantityField

RATE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


class DocumentLine(models.Model):
    """What quote and order lines share: the product as sold, quantity, price, tax."""

    position = models.PositiveIntegerField(_("line"))
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    product_name = models.CharField(_("name"), max_length=200)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    quantity = QuantityField(_("quantity"))
    unit_price = models.DecimalField(
        _("unit price"), max_digits=PRICE_DIGITS, decimal_places=PRICE_PLACES
    )
    discount_rate = models.DecimalField(
        _("discount"),
        max_digits=5,
        decimal_places=4,
        default=Decimal(0),
        validators=RATE_VALIDATORS,
    )
    vat_rate_key = models.CharField(_("VAT rate"), max_length=10, choices=VatRateKey.choices)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    net_amount = MoneyField(_("amount excluding tax"))
    tax_amount = MoneyField(_("tax"))
    gross_amount = MoneyField(_("amount including tax"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.position}. {self.product_name}"


class DocumentTotals(models.Model):
    """Totals of a priced document: the sums of its lines (never re-rounded)."""

    price_includes_tax = models.BooleanField(_("prices include tax"), default=True)
    net_amount = MoneyField(_("amount excluding tax"), default=0)
    tax_amount = MoneyField(_("tax"), default=0)
    gross_amount = MoneyField(_("amount including tax"), default=0)

    class Meta:
        abstract = True
