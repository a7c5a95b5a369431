"""Demo invoicing: requests and invoices in every state for the demo's deliveries, under the demo
company's revenue policy (on invoice), so revenue, cost, output VAT and receivables appear in the
demo books.

Each shipped or signed delivery is billed by a request its order's salesperson raises, in turn:
left pending approval, rejected with a reason, approved and waiting, and the rest issued with
a 20-digit number. Numbers are made up but well-formed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from suanpan.core.errors import DomainError
from suanpan.inventory.selectors import deliveries as delivery_selectors
from suanpan.invoicing.choices import InvoiceType, RequestSource
from suanpan.invoicing.services import (
    IssueInput,
    RequestInput,
    invoice_issue,
    request_approve,
    request_create,
    request_reject,
)
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.invoicing.models import InvoiceRequest

# In turn, what happens to each delivery's request.
FATES = ("issued", "issued", "pending", "issued", "rejected", "issued", "approved", "issued")


def demo_invoicing(*, users: dict[str, User], today: date | None = None) -> list[InvoiceRequest]:
    """Requests for the demo's shipped and signed deliveries; idempotent (nothing twice)."""
    admin, accountant, finance = users["admin"], users["accountant"], users["finance"]
    today = today or timezone.localdate()
    deliveries = sorted(
        (
            delivery
            for status in ("shipped", "signed")
            for delivery in delivery_selectors.delivery_list(
                user=admin, filters={"status": status}
            )[0]
        ),
        key=lambda delivery: delivery.pk,
    )
    made: list[InvoiceRequest] = []
    serial = 1
    for index, delivery in enumerate(deliveries):
        fate = FATES[index % len(FATES)]
        maker = delivery.order.owner if delivery.order.owner.is_active else accountant
        on = min((delivery.signed_on or delivery.shipped_on or today) + timedelta(days=1), today)
        try:
            request = request_create(
                data=RequestInput(
                    source=RequestSource.DELIVERIES,
                    invoice_type=InvoiceType.E_SPECIAL if index % 3 else InvoiceType.E_NORMAL,
                    delivery_ids=(delivery.pk,),
                    remarks=f"发货单 {delivery.number}",
                    requested_on=on,
                ),
                actor=maker,
            )
        except DomainError:
            # Nothing left to bill on this delivery's order (an earlier request took it).
            continue
        made.append(request)
        reviewer = finance if maker == accountant else accountant
        if fate == "pending":
            continue
        if fate == "rejected":
            request_reject(
                request=request, reason="购方税号与营业执照不一致，请核对后重新提交", actor=reviewer
            )
            continue
        request_approve(request=request, actor=reviewer)
        if fate == "approved":
            continue
        number = f"{on:%y}11{serial:016d}"
        serial += 1
        invoice_issue(
            request=request,
            data=IssueInput(number=number, issued_on=on, drawer=accountant.get_full_name()[:40]),
            actor=reviewer,
        )
    return made
