"""The sales tabs of the customer page (composed in `suanpan.web`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from suanpan.core.tabs import Tab
from suanpan.sales.selectors.contracts import contracts_tab_context
from suanpan.sales.selectors.opportunities import customer_tab_context
from suanpan.sales.selectors.orders import customer_tab_context as orders_tab_context
from suanpan.sales.selectors.quotes import quotes_tab_context

CUSTOMER_TABS = [
    Tab(
        key="opportunities",
        label=_("Opportunities"),
        permission="sales.view_opportunity",
        position=10,
        template="sales/opportunities/customer_tab.html",
        context=customer_tab_context,
    ),
    Tab(
        key="quotes",
        label=_("Quotes"),
        permission="sales.view_quote",
        position=20,
        template="sales/quotes/customer_tab.html",
        context=quotes_tab_context,
    ),
    Tab(
        key="contracts",
        label=_("Contracts"),
        permission="sales.view_contract",
        position=30,
        template="sales/contracts/customer_tab.html",
        context=contracts_tab_context,
    ),
    Tab(
        key="orders",
        label=_("Orders"),
        permission="sales.view_salesorder",
        position=40,
        template="sales/orders/customer_tab.html",
        context=orders_tab_context,
    ),
]
