"""The customer page's own tabs, and what every tab of that page may use.

Apps above customers (sales, inventory …) declare their tabs of the customer page in their own
`tabs.py`; `suanpan.web` puts them together, so this app imports none of them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from suanpan.core.tabs import Tab
from suanpan.customers import selectors
from suanpan.customers.forms import AddressForm, ContactForm, FollowUpForm, MergeForm
from suanpan.customers.models import Customer


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


def customer_page_context(*, customer: Customer) -> dict[str, Any]:
    """What the customer page shows around and inside its own tabs."""
    return {
        "contacts": selectors.contact_list(customer=customer),
        "addresses": selectors.address_list(customer=customer),
        "followups": selectors.followup_list(customer=customer)[:50],
        "contact_form": ContactForm(prefix="contact"),
        "address_form": AddressForm(prefix="address"),
        "followup_form": FollowUpForm(prefix="followup"),
        "merge_form": MergeForm(),
    }
