"""The customer's credit hold (信用冻结): put on by dunning or finance, released by finance.
Sales reads the flag when an order is confirmed."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from suanpan.core.audit import audited
from suanpan.core.locks import for_update
from suanpan.customers.models import Customer
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

HOLD_PERMISSION = "customers.hold_customer_credit"


@audited
@transaction.atomic
def customer_credit_hold(*, customer: Customer, reason: str, actor: User | None) -> Customer:
    """Put the customer on credit hold with a reason. `actor` None is the scheduled dunning
    run, which acts for the company; a person needs the hold permission. Holding a held
    customer keeps the first reason."""
    if actor is not None:
        permission_require(actor, HOLD_PERMISSION)
    customer = for_update(Customer.objects.all()).get(pk=customer.pk)
    if not customer.credit_hold:
        customer.credit_hold = True
        customer.credit_hold_reason = reason.strip()[:300]
        customer.save(update_fields=["credit_hold", "credit_hold_reason", "updated_at"])
        update_change_reason(
            customer, (_("Credit hold: %(reason)s") % {"reason": reason.strip()})[:100]
        )
    return customer


@audited
@transaction.atomic
def customer_credit_release(*, customer: Customer, actor: User) -> Customer:
    """Release the customer's credit hold: its orders are confirmed as usual again."""
    permission_require(actor, HOLD_PERMISSION)
    customer = for_update(Customer.objects.all()).get(pk=customer.pk)
    if customer.credit_hold:
        customer.credit_hold = False
        customer.credit_hold_reason = ""
        customer.save(update_fields=["credit_hold", "credit_hold_reason", "updated_at"])
        update_change_reason(customer, _("Credit hold released"))
    return customer
