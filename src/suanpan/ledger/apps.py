from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "suanpan.ledger"
    label = "ledger"
    verbose_name = _("ledger")

    def ready(self) -> None:
        # A month with open income and expense accounts (or, in December, an unmoved 本年利润)
        # does not close: the check lives with the transfers that fix it.
        from suanpan.ledger.services import close_check_register, transfers_close_check

        close_check_register(transfers_close_check)
