"""The customer 360° page: the customers app's own tabs, then those sales, inventory,
invoicing and receivables declare.

Routed as `customers:detail` (/customers/<pk>/) by the project's urls.py, so the customers app
never imports the apps whose tabs its page shows.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core.tabs import Tab, tab_choose, tabs_for
from suanpan.customers import selectors
from suanpan.customers import tabs as customer_tabs
from suanpan.inventory import tabs as inventory_tabs
from suanpan.invoicing import tabs as invoicing_tabs
from suanpan.receivables import tabs as receivables_tabs
from suanpan.sales import tabs as sales_tabs
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

# Shown greyed out until the service app declares its tab.
FUTURE_TABS = [gettext_lazy("Tickets")]


def customer_page_tabs() -> list[Tab]:
    """Every tab of the customer page, from every app that declares some."""
    return [
        *customer_tabs.CUSTOMER_TABS,
        *sales_tabs.CUSTOMER_TABS,
        *inventory_tabs.CUSTOMER_TABS,
        *invoicing_tabs.CUSTOMER_TABS,
        *receivables_tabs.CUSTOMER_TABS,
    ]


@page_permission("customers.view_customer")
def customer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, pk=pk)
    tabs = tabs_for(request.user, customer_page_tabs())
    tab = tab_choose(tabs, request.GET.get("tab"))
    context: dict[str, Any] = {
        "customer": customer,
        "tab": tab.key,
        **customer_tabs.customer_page_context(customer=customer, user=request.user),
        "breadcrumbs": [(_("Customers"), reverse("customers:list")), (customer.name, None)],
        "tabs": [(t.key, t.label) for t in tabs],
        "future_tabs": FUTURE_TABS,
    }
    if tab.template:
        context["tab_template"] = tab.template
    if tab.context is not None:
        context.update(tab.context(request.user, customer, request.GET))
    return render(request, "customers/customers/detail.html", context)
