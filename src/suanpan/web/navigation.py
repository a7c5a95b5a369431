"""The main navigation. A section whose page is not installed yet is shown disabled, so the
layout stays the same as modules arrive: each module only names its URL here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavSection:
    key: str
    label: str | Promise
    icon: str
    url_name: str
    permission: str | None = None


SECTIONS = (
    NavSection("home", _("Dashboard"), "speedometer2", "web:home"),
    NavSection("customers", _("Customers"), "people", "customers:list", "customers.view_customer"),
    NavSection("sales", _("Sales"), "briefcase", "sales:home", "sales.view_salesorder"),
    NavSection(
        "catalog", _("Products"), "upc-scan", "catalog:product_list", "catalog.view_product"
    ),
    NavSection(
        "inventory", _("Inventory"), "box-seam", "inventory:home", "inventory.view_stocklevel"
    ),
    NavSection(
        "invoicing",
        _("Invoicing"),
        "receipt",
        "invoicing:home",
        "invoicing.view_invoicerequest",
    ),
    NavSection(
        "receivables",
        _("Receivables"),
        "cash-coin",
        "receivables:home",
        "receivables.view_receipt",
    ),
    NavSection("ledger", _("Ledger"), "journal-text", "ledger:home", "ledger.view_voucher"),
    NavSection("service", _("Service"), "headset", "service:home"),
    NavSection("reports", _("Reports"), "bar-chart", "reports:home"),
)


def nav_url(url_name: str) -> str | None:
    """The section's address, or None while its module is not installed. Looked up once per
    URLconf and script prefix: every page draws the navigation, and a failed reverse() (a
    module still to come) costs more than a page's own links."""
    return _nav_url(url_name, get_urlconf(), get_script_prefix())


@lru_cache(maxsize=256)
def _nav_url(url_name: str, urlconf: Any, prefix: str) -> str | None:
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


@receiver(setting_changed)
def _nav_urls_forget(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _nav_url.cache_clear()
