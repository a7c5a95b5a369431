from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProductKind(models.TextChoices):
    """Goods move stock and cost; services do neither."""

    GOODS = "goods", pgettext_lazy("product kind", "Goods")
    SERVICE = "service", pgettext_lazy("product kind", "Service")


class VatRateKey(models.TextChoices):
    """The keys of `suanpan.core.tax.VAT_RATES`, as a person picks them."""

    RATE_13 = "13", "13%"
    RATE_9 = "9", "9%"
    RATE_6 = "6", "6%"
    RATE_3 = "3", "3%"
    RATE_1 = "1", "1%"
    RATE_0 = "0", "0%"
    EXEMPT = "exempt", _("Exempt")
