"""The mailing section of the invoice page: `{% invoice_mailing_section invoice %}` reads the
invoice's mailings itself, so the page that includes it needs only `invoice` in its context."""

from __future__ import annotations

from typing import Any

from django import template

from suanpan.invoicing.choices import InvoiceKind, InvoiceStatus, MailingStatus
from suanpan.invoicing.selectors import mailing as selectors
from suanpan.invoicing.views.mailing import confirm_link

register = template.Library()


@register.inclusion_tag("invoicing/mailing/invoice_panel.html", takes_context=True)
def invoice_mailing_section(context: template.Context, invoice: Any) -> dict[str, Any]:
    request = context.get("request")
    mailings = list(selectors.invoice_mailings(invoice=invoice))
    rows = [
        (
            mailing,
            confirm_link(request, mailing)
            if request is not None and mailing.status == MailingStatus.SENT
            else "",
        )
        for mailing in mailings
    ]
    return {
        "invoice": invoice,
        "rows": rows,
        "perms": context.get("perms"),
        "can_mail": invoice.status != InvoiceStatus.VOIDED
        and not any(m.status in selectors.MAILED_STATUSES for m in mailings),
        "is_red": invoice.kind == InvoiceKind.RED,
    }
