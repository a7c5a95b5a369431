"""What the dashboard shows, each figure scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from suanpan.customers.choices import CustomerStatus
from suanpan.customers.selectors import customer_visible, followup_due_list
from suanpan.invoicing.choices import RequestStatus
from suanpan.invoicing.selectors import request_counts
from suanpan.invoicing.selectors.mailing import invoices_to_mail
from suanpan.ledger import selectors as ledger_selectors
from suanpan.ledger.types import Role
from suanpan.receivables.calculations.postings import SOURCE_RECEIPT
from suanpan.receivables.selectors import promises_due, task_list
from suanpan.users.models import User


def dashboard(*, user: User) -> dict[str, Any]:
    customers = customer_visible(user=user)
    counts = customers.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status=CustomerStatus.ACTIVE)),
        prospect=Count("pk", filter=Q(status=CustomerStatus.PROSPECT)),
        on_hold=Count("pk", filter=Q(status=CustomerStatus.ON_HOLD)),
        mine=Count("pk", filter=Q(owner_id=user.pk)),
    )
    today = timezone.localdate()
    due_followups = followup_due_list(customers=customers, on=today, limit=10)
    recent = customers.select_related("owner").order_by("-created_at", "-id")[:8]
    return {
        "counts": counts,
        "due_followups": due_followups,
        "recent_customers": recent,
        "work": workbench(user=user, today=today),
    }


def workbench(*, user: User, today: Any) -> dict[str, Any]:
    """The accountant's work of the day (工作台), each part only for who may act on it: what is
    overdue and who owes most, receipts not yet settled, requests to approve, invoices to mail,
    the open period and its unposted vouchers, promises to pay due and my collection tasks."""
    work: dict[str, Any] = {}
    receivable = ledger_selectors.account_for_role(Role.RECEIVABLE)
    if user.has_perm("ledger.view_ledger_reports") and receivable is not None:
        work["overdue"] = ledger_selectors.overdue_summary(account=receivable, today=today)
    if user.has_perm("receivables.add_settlement"):
        count, total = ledger_selectors.open_items_of_source_type(source_type=SOURCE_RECEIPT)
        work["unsettled_receipts"] = {"count": count, "amount": -total}
    if user.has_perm("invoicing.approve_invoicerequest"):
        work["requests_pending"] = request_counts(user=user)[RequestStatus.PENDING]
    if user.has_perm("invoicing.add_invoicemailing"):
        work["invoices_to_mail"] = invoices_to_mail(user=user).count()
    if user.has_perm("ledger.close_period"):
        period = ledger_selectors.period_current()
        if period is not None:
            row = ledger_selectors.period_list().filter(pk=period.pk).first()
            unposted = getattr(row, "unposted_count", 0)
            work["period"] = {"period": period, "unposted": unposted}
    if user.has_perm("receivables.change_paymentpromise"):
        work["promises_due"] = promises_due(user=user, today=today).count()
    # A salesperson's only work of the day here is collecting: shown once they have some.
    tasks = task_list(user=user).count()
    if tasks or user.has_perm("receivables.run_dunning"):
        work["collection_tasks"] = tasks
    return work
