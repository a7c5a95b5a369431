"""Follow-ups recorded from the customer page's tab."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suanpan.customers import services
from suanpan.customers.forms import FollowUpForm
from suanpan.customers.models import Customer
from suanpan.customers.views._pages import customer_gate, redirect_to_tab, tab_form_submit
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest


@page_permission()
@require_POST
@customer_gate("customers.add_followup")
def followup_add(request: AuthenticatedHttpRequest, customer: Customer) -> HttpResponse:
    tab_form_submit(
        request,
        FollowUpForm(request.POST, prefix="followup"),
        save=lambda data: services.followup_create(
            actor=request.user, customer=customer, data=data
        ),
        success=_("Follow-up recorded."),
    )
    return redirect_to_tab(customer, "followups")
