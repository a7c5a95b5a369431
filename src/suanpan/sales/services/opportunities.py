"""Every write to opportunities (商机) and the pipeline's stages.

Rules kept here, so pages, the API and the CLI agree:
- an actor works only on opportunities of customers they see (`customer_visible`);
- an opportunity in a won or lost stage is closed (`closed_on` set: today, or the date given
  when history is entered or imported, never in the future), a lost one says why; moving it
  back to an open stage re-opens it;
- the active stages always include an open, a won and a lost one; a stage that holds
  opportunities is deactivated, never deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import (
    ConflictError,
    PermissionDeniedError,
    validation_failed_from_django,
)
from suanpan.core.locks import for_update
from suanpan.customers.selectors import customer_is_visible
from suanpan.ledger.services import business_dates_require
from suanpan.sales.choices import StageOutcome
from suanpan.sales.errors import (
    LossReasonRequired,
    StageInactive,
    StageInUse,
    StageOutcomesIncomplete,
)
from suanpan.sales.models import Opportunity, OpportunityStage
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

OPPORTUNITY_FIELDS = (
    "customer",
    "title",
    "amount",
    "expected_close_on",
    "stage",
    "owner",
    "competitor",
    "next_step",
    "loss_reason",
    "closed_on",
    "notes",
)
STAGE_FIELDS = ("name", "probability", "outcome", "is_active")
# Stages are numbered in steps so that one can later be slotted between two others by hand.
POSITION_STEP = 10


def _field_error(name: str, message: str) -> Exception:
    return validation_failed_from_django(ValidationError({name: [message]}))


def _assign(instance: models.Model, data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise validation_failed_from_django(
            ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
        )
    for name, value in data.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)


def _clean(instance: models.Model, *, validate_unique: bool = True) -> None:
    try:
        instance.full_clean(validate_unique=validate_unique)
    except ValidationError as exc:
        raise validation_failed_from_django(exc) from exc


# Stages -----------------------------------------------------------------------------------------


def _stages_locked() -> list[OpportunityStage]:
    """Every stage, locked: the outcome rule spans the whole list, so writers take turns."""
    return list(for_update(OpportunityStage.objects.order_by("position", "id")))


def _outcomes_check(stages: list[OpportunityStage]) -> None:
    active = {stage.outcome for stage in stages if stage.is_active}
    if not {StageOutcome.OPEN, StageOutcome.WON, StageOutcome.LOST} <= active:
        raise StageOutcomesIncomplete()


def _stage_save(stage: OpportunityStage, stages: list[OpportunityStage]) -> OpportunityStage:
    if stage.probability is not None and not Decimal(0) <= stage.probability <= Decimal(1):
        raise _field_error("probability", _("The probability lies between 0 % and 100 %."))
    if any(other.name == stage.name and other.pk != stage.pk for other in stages):
        raise _field_error("name", _("A stage with this name already exists."))
    _clean(stage, validate_unique=False)
    others = [other for other in stages if other.pk != stage.pk]
    _outcomes_check([*others, stage])
    try:
        with transaction.atomic():
            stage.save()
    except IntegrityError as exc:  # a name taken since the check above
        raise _field_error("name", _("A stage with this name already exists.")) from exc
    return stage


@transaction.atomic
def stage_create(*, actor: User, data: Mapping[str, Any]) -> OpportunityStage:
    """Add a stage at the end of the pipeline; `probability` is a fraction (0.5 for 50 %)."""
    permission_require(actor, "sales.change_opportunitystage")
    stages = _stages_locked()
    stage = OpportunityStage(position=max((s.position for s in stages), default=0) + POSITION_STEP)
    _assign(stage, data, STAGE_FIELDS)
    return _stage_save(stage, stages)


@transaction.atomic
def stage_update(
    *, actor: User, stage: OpportunityStage, data: Mapping[str, Any]
) -> OpportunityStage:
    """Rename a stage or change its probability, outcome or active flag (rules above)."""
    permission_require(actor, "sales.change_opportunitystage")
    stages = _stages_locked()
    stage = next(s for s in stages if s.pk == stage.pk)
    previous_outcome = stage.outcome
    _assign(stage, data, STAGE_FIELDS)
    if stage.outcome != previous_outcome and Opportunity.objects.filter(stage=stage).exists():
        # Its opportunities were closed or opened under the old outcome.
        raise _field_error(
            "outcome", _("This stage holds opportunities; its outcome can no longer change.")
        )
    return _stage_save(stage, stages)


def stage_deactivate(*, actor: User, stage: OpportunityStage) -> OpportunityStage:
    """Take a stage off the board; its opportunities keep it and still count where they are."""
    return stage_update(actor=actor, stage=stage, data={"is_active": False})


def stage_activate(*, actor: User, stage: OpportunityStage) -> OpportunityStage:
    return stage_update(actor=actor, stage=stage, data={"is_active": True})


@transaction.atomic
def stage_move(
    *, actor: User, stage: OpportunityStage, direction: Literal["up", "down"]
) -> OpportunityStage:
    """Swap a stage with its neighbour; positions are renumbered 10, 20, 30 … in the new order."""
    permission_require(actor, "sales.change_opportunitystage")
    stages = _stages_locked()
    index = next(i for i, s in enumerate(stages) if s.pk == stage.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(stages):
        stages[index], stages[other] = stages[other], stages[index]
    changed = []
    for number, item in enumerate(stages, start=1):
        if item.position != number * POSITION_STEP:
            item.position = number * POSITION_STEP
            changed.append(item)
    OpportunityStage.objects.bulk_update(changed, ["position"])
    return next(s for s in stages if s.pk == stage.pk)


@transaction.atomic
def stage_delete(*, actor: User, stage: OpportunityStage) -> None:
    """Delete a stage created by mistake; refused once an opportunity (or its history) uses it."""
    permission_require(actor, "sales.change_opportunitystage")
    stages = _stages_locked()
    stage = next(s for s in stages if s.pk == stage.pk)
    count = Opportunity.objects.filter(stage=stage).count()
    if count:
        raise StageInUse(name=stage.name, count=count)
    _outcomes_check([s for s in stages if s.pk != stage.pk])
    try:
        with transaction.atomic():
            stage.delete()
    except (ProtectedError, RestrictedError, IntegrityError) as exc:
        raise StageInUse(name=stage.name, count=count) from exc


# Opportunities ----------------------------------------------------------------------------------


def _customer_check(actor: User, customer: Customer | None) -> None:
    if customer is not None and not customer_is_visible(user=actor, customer_id=customer.pk):
        raise _field_error("customer", _("Choose a customer you can see."))


def opportunity_owner_check(*, actor: User, owner: User | None, previous: User | None) -> None:
    """Salespeople own what they enter; managers may hand an opportunity to anyone active."""
    if owner is None or owner == previous:
        return
    if owner != actor and not actor.has_perm("sales.view_all_opportunities"):
        raise _field_error("owner", _("Only a sales manager can assign someone else."))
    if not owner.is_active:
        raise _field_error("owner", _("This user is deactivated."))


def closed_on_check(closed_on: date | None, *, outcome: str) -> str | None:
    """Why a close date given for an opportunity in a stage of this outcome is refused, if it is.

    Only won and lost opportunities are closed, and not on a day still to come. (A simple check
    of its own: the company's business-date window applies to documents that post.)
    """
    if closed_on is None:
        return None
    if outcome == StageOutcome.OPEN:
        return _("Only a won or lost opportunity has a close date.")
    if closed_on > timezone.localdate():
        return _("The close date cannot be in the future.")
    return None


def _stage_apply(
    opportunity: Opportunity,
    stage: OpportunityStage,
    *,
    previous: OpportunityStage | None,
    closed_on: date | None = None,
) -> None:
    """Close or re-open the opportunity as its (new) stage says; `closed_on`, when given, is
    the day it was actually won or lost (history entered later), else today."""
    problem = closed_on_check(closed_on, outcome=stage.outcome)
    if problem:
        raise _field_error("closed_on", problem)
    if stage.outcome == StageOutcome.OPEN:
        opportunity.closed_on = None
        opportunity.loss_reason = ""
        return
    if stage.outcome == StageOutcome.LOST and not opportunity.loss_reason.strip():
        raise LossReasonRequired(fields={"loss_reason": [_("Say why the opportunity was lost.")]})
    if stage.outcome == StageOutcome.WON:
        opportunity.loss_reason = ""
    if closed_on is not None:
        opportunity.closed_on = closed_on
    elif previous is None or previous.outcome != stage.outcome or opportunity.closed_on is None:
        opportunity.closed_on = timezone.localdate()


def _stage_active_check(
    stage: OpportunityStage | None, *, previous: OpportunityStage | None
) -> None:
    if stage is not None and not stage.is_active and stage != previous:
        raise StageInactive(fields={"stage": [_("Choose an active stage.")]}, name=stage.name)


def first_open_stage() -> OpportunityStage | None:
    return (
        OpportunityStage.objects.filter(is_active=True, outcome=StageOutcome.OPEN)
        .order_by("position", "id")
        .first()
    )


def _checked_save(
    actor: User,
    opportunity: Opportunity,
    *,
    previous_owner: User | None,
    previous_stage: OpportunityStage | None,
    closed_on_given: bool = False,
    previous_close: date | None = None,
) -> None:
    """Save an opportunity whose fields were set: owner, stage and fields checked, and the new
    stage closing or re-opening it (on the close date given, when `closed_on_given`). The
    expected close lies within the planning horizon (an unchanged one, `previous_close`, is not
    checked again)."""
    closed_on = opportunity.closed_on if closed_on_given else None
    business_dates_require(
        {},
        {"expected_close_on": opportunity.expected_close_on},
        was=None if previous_close is None else {"expected_close_on": previous_close},
    )
    opportunity_owner_check(actor=actor, owner=opportunity.owner, previous=previous_owner)
    _stage_active_check(getattr(opportunity, "stage", None), previous=previous_stage)
    _clean(opportunity)
    _stage_apply(opportunity, opportunity.stage, previous=previous_stage, closed_on=closed_on)
    opportunity.save()


@audited
@transaction.atomic
def opportunity_create(*, actor: User, data: Mapping[str, Any]) -> Opportunity:
    """Create an opportunity; owner defaults to the actor, stage to the first open stage."""
    permission_require(actor, "sales.add_opportunity")
    opportunity = Opportunity(owner=actor)
    _assign(opportunity, data, OPPORTUNITY_FIELDS)
    if data.get("stage") is None:
        opportunity.stage = first_open_stage()  # type: ignore[assignment]
    _customer_check(actor, data.get("customer"))
    _checked_save(
        actor,
        opportunity,
        previous_owner=actor,
        previous_stage=None,
        closed_on_given=data.get("closed_on") is not None,
    )
    return opportunity


@audited
@transaction.atomic
def opportunity_update(
    *, actor: User, opportunity: Opportunity, data: Mapping[str, Any]
) -> Opportunity:
    """Change an opportunity's fields; a new stage closes or re-opens it like a move does."""
    permission_require(actor, "sales.change_opportunity")
    opportunity = for_update(Opportunity.objects.all()).get(pk=opportunity.pk)
    _customer_check(actor, opportunity.customer)
    previous_stage, previous_owner = opportunity.stage, opportunity.owner
    previous_close = opportunity.expected_close_on
    _assign(opportunity, data, OPPORTUNITY_FIELDS)
    if "customer" in data:
        _customer_check(actor, data["customer"])
    _checked_save(
        actor,
        opportunity,
        previous_owner=previous_owner,
        previous_stage=previous_stage,
        closed_on_given=data.get("closed_on") is not None,
        previous_close=previous_close,
    )
    return opportunity


@audited
@transaction.atomic
def opportunity_stage_move(
    *, actor: User, opportunity: Opportunity, stage: OpportunityStage, loss_reason: str = ""
) -> Opportunity:
    """Move an opportunity to another stage (the board's drag and drop).

    Into a won or lost stage it closes (closed_on is today); lost needs a reason, given here or
    already on record; back into an open stage it re-opens.
    """
    permission_require(actor, "sales.change_opportunity")
    opportunity = for_update(Opportunity.objects.select_related("stage")).get(pk=opportunity.pk)
    _customer_check(actor, opportunity.customer)
    stage = OpportunityStage.objects.get(pk=stage.pk)
    previous = opportunity.stage
    _stage_active_check(stage, previous=previous)
    if loss_reason.strip():
        opportunity.loss_reason = loss_reason.strip()[
            : Opportunity._meta.get_field("loss_reason").max_length
        ]
    opportunity.stage = stage
    _stage_apply(opportunity, stage, previous=previous)
    opportunity.save()
    return opportunity


@audited
@transaction.atomic
def opportunity_delete(*, actor: User, opportunity: Opportunity) -> None:
    """Delete an opportunity entered by mistake: its owner or a sales manager, and only while no
    quote refers to it."""
    permission_require(actor, "sales.delete_opportunity")
    opportunity = for_update(Opportunity.objects.all(), key_share=False).get(pk=opportunity.pk)
    _customer_check(actor, opportunity.customer)
    if opportunity.owner_id != actor.pk and not actor.has_perm("sales.view_all_opportunities"):
        raise PermissionDeniedError(_("Only its owner or a sales manager can delete it."))
    try:
        with transaction.atomic():
            opportunity.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ConflictError(
            _("Opportunity %(title)s has quotes and cannot be deleted.")
            % {"title": opportunity.title}
        ) from exc
