"""The invoicing tab of the customer page (composed in `suanpan.web`): the customer's latest
invoice requests and invoices, and what they were invoiced in all."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from suanpan.core.tabs import Tab
from suanpan.invoicing.selectors.invoices import (
    customer_invoice_totals,
    customer_invoices,
    customer_requests,
)


def _invoices_tab(user: Any, customer: Any, params: Any) -> dict[str, Any]:
    requests = (
        list(customer_requests(user=user, customer=customer))
        if user.has_perm("invoicing.view_invoicerequest")
        else []
    )
    return {
        "customer_invoices": list(customer_invoices(user=user, customer=customer)),
        "customer_invoice_totals": customer_invoice_totals(user=user, customer=customer),
        "customer_requests": requests,
    }


CUSTOMER_TABS = [
    Tab(
        key="invoices",
        label=_("Invoices"),
        permission="invoicing.view_invoice",
        position=60,
        template="invoicing/invoices/customer_tab.html",
        context=_invoices_tab,
    ),
]
