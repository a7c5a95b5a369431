from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "suanpan.sales"
    label = "sales"
    verbose_name = _("sales")

    def ready(self) -> None:
        from suanpan.customers.tabs import CustomerTab, customer_tab_register
        from suanpan.sales.selectors.opportunities import customer_tab_context

        customer_tab_register(
            CustomerTab(
                key="opportunities",
                label=_("Opportunities"),
                permission="sales.view_opportunity",
                position=10,
                template="sales/opportunities/customer_tab.html",
                context=customer_tab_context,
            )
        )
