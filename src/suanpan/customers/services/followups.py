"""Follow-up records: who talked to the customer, how, and what comes next."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import validation_failed_from_django
from suanpan.core.writes import fields_assign, instance_clean
from suanpan.customers.models import Customer, FollowUp
from suanpan.ledger.services import business_dates_require
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

FOLLOWUP_FIELDS = ("followed_on", "way", "content", "next_step", "next_on")


@audited
@transaction.atomic
def followup_create(*, actor: User, customer: Customer, data: Mapping[str, Any]) -> FollowUp:
    permission_require(actor, "customers.add_followup")
    followup = FollowUp(customer=customer, author=actor)
    fields_assign(followup, data, FOLLOWUP_FIELDS)
    instance_clean(followup, exclude=["customer", "author"])
    business_dates_require({"followed_on": followup.followed_on}, {"next_on": followup.next_on})
    if followup.next_on and followup.next_on < followup.followed_on:
        raise validation_failed_from_django(
            ValidationError({"next_on": _("The next step cannot be before the follow-up.")})
        )
    followup.save()
    return followup
