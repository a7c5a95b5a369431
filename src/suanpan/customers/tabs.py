"""Tabs that higher apps add to the customer page, so the customers app never imports them.

An app registers its tab from its `AppConfig.ready()`; the customer page shows the tabs the
user holds the permission for, in `position` order after the customer's own tabs, and renders
the active one's template with the context its `context` callable returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from suanpan.customers.models import Customer
from suanpan.users.models import User


@dataclass(frozen=True)
class CustomerTab:
    key: str
    label: str | Promise
    permission: str
    position: int
    template: str
    # (user, customer, GET parameters) → template context; reads through the app's selectors.
    context: Callable[[User, Customer, Any], dict[str, Any]]


CUSTOMER_TABS: dict[str, CustomerTab] = {}


def customer_tab_register(tab: CustomerTab) -> CustomerTab:
    CUSTOMER_TABS[tab.key] = tab
    return tab


def customer_tabs_for(user: User) -> list[CustomerTab]:
    return sorted(
        (tab for tab in CUSTOMER_TABS.values() if user.has_perm(tab.permission)),
        key=lambda tab: (tab.position, tab.key),
    )
