"""The customer page's own tabs, and what every tab of that page may use.

Apps above customers (sales, inventory …) declare their tabs of the customer page in their own
`tabs.py`; `suanpan.web` puts them together, so this app imports none of them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from suanpan.core.tabs import Tab
from suanpan.customers import calculations, selectors
from suanpan.customers.forms import AddressForm, ContactForm, FollowUpForm, MergeForm
from suanpan.customers.models import Customer
from suanpan.users.models import User


def _history(user: Any, customer: Customer, params: Any) -> dict[str, Any]:
    return {"history": selectors.customer_history(customer=customer)}


# Drawn by customers/customers/detail.html itself (no template of their own).
CUSTOMER_TABS = [
    Tab(key="overview", label=_("Overview"), position=1),
    Tab(key="contacts", label=_("Contacts"), position=2),
    Tab(key="addresses", label=_("Addresses"), position=3),
    Tab(key="followups", label=_("Follow-ups"), position=4),
    Tab(key="history", label=_("History"), position=5, context=_history),
]


def _figures(user: User, customer: Customer) -> dict[str, Any]:
    """The figures above the tabs: what the customer owes, what it paid in advance, and how
    much of its credit limit that uses (receivables only; the order page's credit check adds
    open orders)."""
    figures = selectors.customer_figures(user=user, customer=customer)
    if figures is None:
        return {"figures": None}
    used = calculations.credit_used_percent(
        balance=figures.balance, limit=customer.credit_limit_amount
    )
    return {
        "figures": figures,
        "advance": selectors.customer_advance(user=user, customer=customer),
        "credit_used": used,
        "credit_bar": None if used is None else min(used, 100),
    }


def customer_page_context(*, customer: Customer, user: User) -> dict[str, Any]:
    """What the customer page shows around and inside its own tabs."""
    return {
        **_figures(user, customer),
        "contacts": selectors.contact_list(customer=customer),
        "addresses": selectors.address_list(customer=customer),
        "followups": selectors.followup_list(customer=customer)[:50],
        "contact_form": ContactForm(prefix="contact"),
        "address_form": AddressForm(prefix="address"),
        "followup_form": FollowUpForm(prefix="followup"),
        "merge_form": MergeForm(),
    }
