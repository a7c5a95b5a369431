"""What the accountant sets up for dunning (催款): the levels with their letters and actions,
a customer's dunning profile (excluded, contact), promises to pay, and the owners' collection
tasks. The daily run that uses them is `dunning`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template import Template, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import NotFound
from suanpan.core.limits import MAX_AMOUNT
from suanpan.core.locks import for_update
from suanpan.customers.selectors import customer_by_id, customer_is_visible
from suanpan.receivables.choices import (
    DunningLanguage,
    PromiseStatus,
)
from suanpan.receivables.errors import (
    DunningInvalid,
    PromiseNotOpen,
    TaskDone,
)
from suanpan.receivables.models import (
    CollectionTask,
    DunningLevel,
    DunningProfile,
    PaymentPromise,
)
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

TEMPLATE_FIELDS = ("subject_zh", "body_zh", "subject_en", "body_en")
MAX_INTEREST_RATE = Decimal("0.01")


def _customer(actor: User, customer_id: int) -> Any:
    if not customer_is_visible(user=actor, customer_id=customer_id):
        raise NotFound()
    customer = customer_by_id(customer_id)
    if customer is None:
        raise NotFound()
    return customer


# ---------------------------------------------------------------------------- levels


@dataclass(frozen=True)
class LevelInput:
    position: int
    name: str
    days: int
    subject_zh: str
    body_zh: str
    subject_en: str
    body_en: str
    sends_email: bool = True
    creates_task: bool = False
    holds_credit: bool = False
    attaches_statement: bool = False
    interest_rate: Decimal | None = None
    is_active: bool = True


def _level_problems(data: LevelInput, *, pk: int | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    others = DunningLevel.objects.all() if pk is None else DunningLevel.objects.exclude(pk=pk)
    if not data.name.strip():
        errors["name"] = [_("Give the level a name.")]
    if not -365 <= data.days <= 3650:
        errors["days"] = [_("Enter days between -365 and 3650.")]
    elif others.filter(days=data.days).exists():
        errors["days"] = [_("Another level is reached on that day already.")]
    if not 1 <= data.position <= 100:
        errors["position"] = [_("Enter a position between 1 and 100.")]
    elif others.filter(position=data.position).exists():
        errors["position"] = [_("Another level has that position.")]
    rate = data.interest_rate
    if rate is not None and (
        rate < 0 or rate > MAX_INTEREST_RATE or rate != rate.quantize(Decimal("0.000001"))
    ):
        errors["interest_rate"] = [
            _(
                "Enter a rate per day between 0 and 0.01 with at most six decimals (0.0005 is 万分之五)."
            )
        ]
    for name in TEMPLATE_FIELDS:
        text = getattr(data, name)
        if not text.strip():
            errors[name] = [_("Write the text of the letter.")]
            continue
        try:
            Template(text)
        except TemplateSyntaxError as exc:
            errors[name] = [_("The template cannot be read: %(error)s") % {"error": exc}]
    return errors


def _level_save(level: DunningLevel, data: LevelInput) -> DunningLevel:
    errors = _level_problems(data, pk=level.pk)
    if errors:
        raise DunningInvalid(fields=errors)
    for name, value in data.__dict__.items():
        setattr(level, name, value.strip() if isinstance(value, str) else value)
    try:
        with transaction.atomic():
            level.save()
    except IntegrityError as exc:
        raise DunningInvalid(
            fields={"days": [_("Another level is reached on that day already.")]}
        ) from exc
    return level


@audited
@transaction.atomic
def dunning_level_create(*, data: LevelInput, actor: User) -> DunningLevel:
    permission_require(actor, "receivables.add_dunninglevel")
    return _level_save(DunningLevel(), data)


@audited
@transaction.atomic
def dunning_level_update(*, level: DunningLevel, data: LevelInput, actor: User) -> DunningLevel:
    permission_require(actor, "receivables.change_dunninglevel")
    level = for_update(DunningLevel.objects.all()).get(pk=level.pk)
    return _level_save(level, data)


# ---------------------------------------------------------------------------- promises


@audited
@transaction.atomic
def promise_create(
    *, customer_id: int, amount: Decimal, promised_on: date, notes: str = "", actor: User
) -> PaymentPromise:
    """Record a customer's promise to pay `amount` by `promised_on`: dunning waits for it
    until that day."""
    permission_require(actor, "receivables.add_paymentpromise")
    customer = _customer(actor, customer_id)
    errors: dict[str, list[str]] = {}
    if amount <= 0:
        errors["amount"] = [_("The amount must be positive.")]
    elif amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        errors["amount"] = [_("Enter an amount in yuan with at most two decimals.")]
    today = timezone.localdate()
    if promised_on < today:
        errors["promised_on"] = [_("A promise to pay is for today or a later day.")]
    elif promised_on > today + timedelta(days=366):
        errors["promised_on"] = [_("A promise to pay is for a day within a year.")]
    if len(notes) > 300:
        errors["notes"] = [_("Keep the notes to 300 characters.")]
    if errors:
        raise DunningInvalid(fields=errors)
    return PaymentPromise.objects.create(
        customer=customer,
        amount=amount,
        promised_on=promised_on,
        notes=notes.strip(),
        created_by=actor,
    )


@audited
@transaction.atomic
def promise_mark(*, promise: PaymentPromise, status: str, actor: User) -> PaymentPromise:
    """Mark an open promise kept or broken; a broken one no longer pauses dunning."""
    permission_require(actor, "receivables.change_paymentpromise")
    if status not in (PromiseStatus.KEPT, PromiseStatus.BROKEN):
        raise DunningInvalid(fields={"status": [_("Mark the promise kept or broken.")]})
    promise = for_update(PaymentPromise.objects.all()).get(pk=promise.pk)
    if promise.status != PromiseStatus.OPEN:
        raise PromiseNotOpen(status=promise.get_status_display())
    promise.status = status
    promise.save(update_fields=["status"])
    return promise


# ---------------------------------------------------------------------------- settings, tasks


@dataclass(frozen=True)
class ProfileInput:
    is_excluded: bool = False
    excluded_reason: str = ""
    email: str = ""
    language: str = DunningLanguage.ZH


@audited
@transaction.atomic
def dunning_profile_update(*, customer_id: int, data: ProfileInput, actor: User) -> DunningProfile:
    """A customer's dunning settings: excluded (a reason is needed), the address letters go
    to instead of the contacts', and their language."""
    permission_require(actor, "receivables.change_dunningprofile")
    customer = _customer(actor, customer_id)
    errors: dict[str, list[str]] = {}
    reason = data.excluded_reason.strip()
    if data.is_excluded and not reason:
        errors["excluded_reason"] = [_("Say why the customer is excluded from dunning.")]
    elif len(reason) > 300:
        errors["excluded_reason"] = [_("Keep the reason to 300 characters.")]
    email = data.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    if data.language not in DunningLanguage.values:
        errors["language"] = [_("Choose Chinese or English.")]
    if errors:
        raise DunningInvalid(fields=errors)
    profile, _created = for_update(DunningProfile.objects.all()).get_or_create(customer=customer)
    profile.is_excluded = data.is_excluded
    profile.excluded_reason = reason if data.is_excluded else ""
    profile.email = email
    profile.language = data.language
    profile.save()
    return profile


@audited
@transaction.atomic
def task_done(*, task: CollectionTask, actor: User) -> CollectionTask:
    """Tick off a collection task: its owner, or whoever may change anyone's."""
    if task.owner_id != actor.pk:
        permission_require(actor, "receivables.change_collectiontask")
    task = for_update(CollectionTask.objects.all()).get(pk=task.pk)
    if task.done_at is not None:
        raise TaskDone()
    task.done_at = timezone.now()
    task.done_by = actor
    task.save(update_fields=["done_at", "done_by"])
    return task
