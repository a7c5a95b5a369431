from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "suanpan.sales"
    label = "sales"
    verbose_name = _("sales")

    def ready(self) -> None:
        from suanpan.customers.tabs import CustomerTab, customer_tab_register
        from suanpan.sales.selectors.contracts import contracts_tab_context
        from suanpan.sales.selectors.opportunities import customer_tab_context
        from suanpan.sales.selectors.orders import customer_tab_context as orders_tab_context
        from suanpan.sales.selectors.quotes import quotes_tab_context

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
        customer_tab_register(
            CustomerTab(
                key="orders",
                label=_("Orders"),
                permission="sales.view_salesorder",
                position=40,
                template="sales/orders/customer_tab.html",
                context=orders_tab_context,
            )
        )
        customer_tab_register(
            CustomerTab(
                key="quotes",
                label=_("Quotes"),
                permission="sales.view_quote",
                position=20,
                template="sales/quotes/customer_tab.html",
                context=quotes_tab_context,
            )
        )
        customer_tab_register(
            CustomerTab(
                key="contracts",
                label=_("Contracts"),
                permission="sales.view_contract",
                position=30,
                template="sales/contracts/customer_tab.html",
                context=contracts_tab_context,
            )
        )
