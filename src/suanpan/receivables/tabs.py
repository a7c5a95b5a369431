"""The receivables tab of the customer page (composed in `suanpan.web`): what the customer has
open on either side, with totals, the instalments of their payment plans still to receive,
their latest receipts and settlements, and their dunning (催款): the letters and actions
logged, promises to pay, the settings and a credit hold."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from suanpan.core.tabs import Tab
from suanpan.receivables.errors import SettlementInvalid
from suanpan.receivables.forms.dunning import ProfileForm, PromiseForm, profile_initial
from suanpan.receivables.selectors import (
    customer_dunning,
    customer_open_sides,
    customer_plan,
    line_document,
)
from suanpan.receivables.selectors.pages import customer_receipts, customer_settlements
from suanpan.receivables.selectors.statements import (
    customer_history,
    customer_statement_events,
    customer_statements,
    statement_schedule_of,
)
from suanpan.receivables.views._common import item_rows, source_url

HISTORY_PER_PAGE = 25


def _history(customer: Any, params: Any) -> dict[str, Any]:
    """The customer's movements for all time, a page at a time, the newest page by default
    (like a bank book, whose last page is the one read)."""
    detail = customer_history(customer=customer)
    if detail is None:
        return {"rx_history": [], "rx_history_page": None}
    paginator = Paginator(detail.lines, HISTORY_PER_PAGE)
    raw = str(params.get("hpage", ""))
    number = int(raw) if raw.isdigit() and len(raw) < 9 else paginator.num_pages
    page = paginator.get_page(number)
    rows = []
    for line in page.object_list:
        kind, document = line_document(line)
        rows.append(
            {
                "line": line,
                "document": f"{kind} {document}".strip(),
                "url": source_url(line.source_type, line.source_id),
            }
        )
    return {"rx_history": rows, "rx_history_page": page}


def _receivables_tab(user: Any, customer: Any, params: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "rx_receipts": list(customer_receipts(user=user, customer=customer)),
        "rx_settlements": list(customer_settlements(user=user, customer=customer)),
        "rx_plan": customer_plan(user=user, customer=customer),
        "rx_statements": list(customer_statements(user=user, customer=customer)),
        "rx_schedule": statement_schedule_of(customer=customer),
        "rx_statement_events": list(customer_statement_events(customer=customer, limit=10)),
        "rx_error": "",
        "rx_debits": [],
        "rx_credits": [],
    }
    dunning = customer_dunning(user=user, customer=customer)
    context.update(
        {
            "rx_dunning": dunning,
            "rx_promise_form": PromiseForm(auto_id="id_promise_%s"),
            "rx_profile_form": ProfileForm(
                initial=profile_initial(dunning["profile"]), auto_id="id_dunning_%s"
            ),
        }
    )
    try:
        sides = customer_open_sides(customer=customer)
    except SettlementInvalid as exc:
        context["rx_error"] = exc.message
        return context
    context.update(_history(customer, params))
    context.update(
        {
            "rx_debits": item_rows(sides.debits),
            "rx_credits": item_rows(sides.credits, credit=True),
            "rx_debit_total": sides.debit_total,
            "rx_credit_total": sides.credit_total,
            "rx_balance": sides.debit_total - sides.credit_total,
        }
    )
    return context


CUSTOMER_TABS = [
    Tab(
        key="receivables",
        label=_("Receivables"),
        permission="receivables.view_receipt",
        position=70,
        template="receivables/customer_tab.html",
        context=_receivables_tab,
    ),
]
