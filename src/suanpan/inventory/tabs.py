"""The inventory tabs of the customer page (composed in `suanpan.web`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from suanpan.core.tabs import Tab
from suanpan.inventory.selectors.deliveries import customer_deliveries, customer_returns


def _deliveries_tab(user: Any, customer: Any, params: Any) -> dict[str, Any]:
    returns = (
        customer_returns(customer=customer)
        if user.has_perm("inventory.view_deliveryreturn")
        else []
    )
    return {
        "customer_deliveries": customer_deliveries(user=user, customer=customer),
        "customer_returns": returns,
    }


CUSTOMER_TABS = [
    Tab(
        key="deliveries",
        label=_("Deliveries"),
        permission="inventory.view_delivery",
        position=50,
        template="inventory/deliveries/customer_tab.html",
        context=_deliveries_tab,
    ),
]
