from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The built-in roles; each is a Django group named by its value."""

    ADMINISTRATOR = "administrator", _("Administrator")
    FINANCE_MANAGER = "finance_manager", _("Finance manager")
    ACCOUNTANT = "accountant", _("Accountant")
    SALES_MANAGER = "sales_manager", _("Sales manager")
    SALES = "sales", _("Sales")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
