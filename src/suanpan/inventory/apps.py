from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "suanpan.inventory"
    label = "inventory"
    verbose_name = _("inventory")

    def ready(self) -> None:
        from suanpan.customers.tabs import CustomerTab, customer_tab_register

        customer_tab_register(
            CustomerTab(
                key="deliveries",
                label=_("Deliveries"),
                permission="inventory.view_delivery",
                position=50,
                template="inventory/deliveries/customer_tab.html",
                context=_deliveries_tab,
            )
        )


def _deliveries_tab(user: Any, customer: Any, params: Any) -> dict[str, Any]:
    from suanpan.inventory.selectors.deliveries import customer_deliveries, customer_returns

    returns = (
        customer_returns(customer=customer)
        if user.has_perm("inventory.view_deliveryreturn")
        else []
    )
    return {
        "customer_deliveries": customer_deliveries(user=user, customer=customer),
        "customer_returns": returns,
    }
