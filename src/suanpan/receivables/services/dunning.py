"""Dunning (催款): a day's run writes one consolidated letter per customer, e-mails it and takes
its level's actions (a collection task for the customer's owner, a credit hold); promises to
pay, the customers' dunning settings, the levels and the collection tasks.

A run is once a day (the run row is unique per day, so two racing runs cannot both write).
Each customer's letter is its own transaction: a failure with one customer's e-mail is logged
on that letter, the others go out, and a failed letter's items are dunned again next time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import NotFound
from suanpan.core.limits import MAX_AMOUNT
from suanpan.core.locks import for_update
from suanpan.customers.selectors import customer_by_id, customer_is_visible
from suanpan.customers.services import customer_credit_hold
from suanpan.ledger.errors import LedgerNotSetUp
from suanpan.ledger.selectors import company_get
from suanpan.receivables.calculations.dunning import TableRow, items_table
from suanpan.receivables.choices import (
    DunningLanguage,
    LetterStatus,
    PromiseStatus,
)
from suanpan.receivables.errors import (
    DunningAlreadyRun,
    DunningInvalid,
    PromiseNotOpen,
    TaskDone,
)
from suanpan.receivables.models import (
    CollectionTask,
    DunningLetter,
    DunningLetterItem,
    DunningLevel,
    DunningProfile,
    DunningRun,
    PaymentPromise,
)
from suanpan.receivables.selectors.dunning import (
    CustomerDunning,
    dunning_preview,
    promises_with_received,
)
from suanpan.receivables.services.statements import statement_pdf_of
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

# The owner's collection task is due this many days after the letter went out.
TASK_DAYS = 3
TEMPLATE_FIELDS = ("subject_zh", "body_zh", "subject_en", "body_en")
MAX_INTEREST_RATE = Decimal("0.01")


def _customer(actor: User, customer_id: int) -> Any:
    if not customer_is_visible(user=actor, customer_id=customer_id):
        raise NotFound()
    customer = customer_by_id(customer_id)
    if customer is None:
        raise NotFound()
    return customer


# ---------------------------------------------------------------------------- letters


def _company_name() -> str:
    try:
        return company_get().name
    except LedgerNotSetUp:
        return ""


def letter_context(letter: CustomerDunning, *, on: date, company: str) -> dict[str, Any]:
    """What a level's templates see (documented in docs/receivables.md): the customer, the
    items and their table, totals, interest and the company."""
    charges = any(item.interest_amount for item in letter.items)
    headers = (
        _("Document"),
        _("Due on"),
        _("Days overdue"),
        _("Open amount"),
        _("Interest"),
    )
    table = items_table(
        [
            TableRow(i.label, i.due_on, i.days_overdue, i.open_amount, i.interest_amount)
            for i in letter.items
        ],
        headers,
        interest=charges,
    )
    total, charged = letter.total_amount, letter.interest_amount
    return {
        "customer": letter.customer.name,
        "customer_number": letter.customer.number,
        "company": company,
        "on": on.isoformat(),
        "level": letter.level.name,
        "items": [
            {
                "document": i.label,
                "due_on": i.due_on.isoformat(),
                "days_overdue": i.days_overdue,
                "open_amount": f"{i.open_amount:,.2f}",
                "interest": f"{i.interest_amount:,.2f}",
                "level": i.level.name,
            }
            for i in letter.items
        ],
        "items_table": table,
        "total": f"{total:,.2f}",
        "interest": f"{charged:,.2f}" if charged else "",
        "total_with_interest": f"{total + charged:,.2f}",
    }


def _render(source: str, context: Mapping[str, Any]) -> str:
    # Plain-text e-mail: nothing is HTML-escaped.
    return Template(source).render(Context(dict(context), autoescape=False))


def letter_render(
    letter: CustomerDunning, *, on: date, company: str | None = None
) -> tuple[str, str]:
    """The letter's subject and body in the customer's language, from its level's templates."""
    level = letter.level
    english = letter.language == DunningLanguage.EN
    with translation.override(letter.language):
        context = letter_context(
            letter, on=on, company=_company_name() if company is None else company
        )
        subject = _render(level.subject_en if english else level.subject_zh, context)
        body = _render(level.body_en if english else level.body_zh, context)
    return " ".join(subject.split())[:200], body


def _skip_logged(letter: CustomerDunning) -> bool:
    """Whether the customer's latest letter is this same skip: a customer who stays excluded
    or without an e-mail is logged once per level, not every day."""
    last = DunningLetter.objects.filter(customer=letter.customer).order_by("-id").first()
    return (
        last is not None
        and last.status == LetterStatus.SKIPPED
        and last.skip_reason == letter.skip_reason
        and last.level_id == letter.level.pk
    )


def _send(letter: DunningLetter, due: CustomerDunning, *, on: date) -> None:
    message = EmailMessage(
        subject=letter.subject,
        body=letter.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[letter.to_email],
    )
    if letter.statement_requested and due.items:
        # The statement from the month the oldest item in the letter fell due, to the day.
        start = min(item.due_on for item in due.items).replace(day=1)
        reference = f"CK-{on:%Y%m%d}-{letter.pk}"
        message.attach(
            f"statement-{due.customer.number}-{on:%Y%m%d}.pdf",
            statement_pdf_of(
                customer=due.customer, start_on=min(start, on), end_on=on, reference=reference
            ),
            "application/pdf",
        )
    message.send(fail_silently=False)


@transaction.atomic
def _letter_write(
    run: DunningRun, due: CustomerDunning, *, on: date, company: str, actor: User | None
) -> DunningLetter | None:
    if due.skip_reason:
        if _skip_logged(due):
            return None
        return DunningLetter.objects.create(
            run=run,
            customer=due.customer,
            level=due.level,
            status=LetterStatus.SKIPPED,
            skip_reason=due.skip_reason,
            language=due.language,
            to_email=due.email,
            total_amount=due.total_amount,
            interest_amount=due.interest_amount,
        )
    subject, body = letter_render(due, on=on, company=company)
    emails = due.acts("sends_email")
    letter = DunningLetter.objects.create(
        run=run,
        customer=due.customer,
        level=due.level,
        status=LetterStatus.SENT if emails else LetterStatus.RECORDED,
        language=due.language,
        to_email=due.email if emails else "",
        subject=subject,
        body=body,
        total_amount=due.total_amount,
        interest_amount=due.interest_amount,
        statement_requested=due.acts("attaches_statement"),
    )
    DunningLetterItem.objects.bulk_create(
        [
            DunningLetterItem(
                letter=letter,
                item_id=item.item_id,
                level=item.level,
                label=item.label,
                due_on=item.due_on,
                open_amount=item.open_amount,
                days_overdue=item.days_overdue,
                interest_amount=item.interest_amount,
            )
            for item in due.items
        ]
    )
    if emails:
        try:
            _send(letter, due, on=on)
        except (OSError, ValueError) as exc:  # SMTP errors are OSErrors; bad headers ValueError
            letter.status = LetterStatus.FAILED
            letter.error = str(exc)[:500]
            letter.save(update_fields=["status", "error"])
            return letter
        letter.sent_at = timezone.now()
        letter.save(update_fields=["sent_at"])
    fields = []
    if due.acts("creates_task"):
        CollectionTask.objects.create(
            customer=due.customer,
            owner=due.customer.owner,
            due_on=on + timedelta(days=TASK_DAYS),
            text=(
                _("Call %(customer)s about %(amount)s overdue (%(level)s).")
                % {
                    "customer": due.customer.name,
                    "amount": f"{due.total_amount:,.2f}",
                    "level": due.level.name,
                }
            )[:300],
            letter=letter,
        )
        letter.task_created = True
        fields.append("task_created")
    if due.acts("holds_credit") and not due.customer.credit_hold:
        customer_credit_hold(
            customer=due.customer,
            reason=_("Dunning: %(level)s on %(on)s") % {"level": due.level.name, "on": on},
            actor=actor,
        )
        letter.hold_placed = True
        fields.append("hold_placed")
    if fields:
        letter.save(update_fields=fields)
    return letter


def _run_row(on: date, actor: User | None) -> DunningRun:
    if DunningRun.objects.filter(run_on=on).exists():
        raise DunningAlreadyRun(on=on.isoformat())
    try:
        with transaction.atomic():
            return DunningRun.objects.create(run_on=on, started_by=actor)
    except IntegrityError as exc:
        raise DunningAlreadyRun(on=on.isoformat()) from exc


@audited
def dunning_run(*, on: date, actor: User | None = None) -> DunningRun:
    """Run dunning for `on`: one consolidated letter per customer with an item reaching a
    level anew, each item at its level; skipped customers logged with their reason. `actor`
    None is the scheduled run. Once per day (`DunningAlreadyRun` after)."""
    if actor is not None:
        permission_require(actor, "receivables.run_dunning")
    if on > timezone.localdate():
        # A day ahead would send tomorrow's letters today and use up tomorrow's run.
        raise DunningInvalid(fields={"on": [_("Dunning runs for today or an earlier day.")]})
    run = _run_row(on, actor)
    # Before the letters: a promise broken yesterday no longer holds today's letter back.
    run.promises_kept, run.promises_broken = promises_settle(on=on)
    company = _company_name()
    counts = dict.fromkeys(LetterStatus.values, 0)
    tasks = holds = 0
    for due in dunning_preview(on=on):
        if not due.is_due:
            continue
        letter = _letter_write(run, due, on=on, company=company, actor=actor)
        if letter is None:
            continue
        counts[letter.status] += 1
        tasks += letter.task_created
        holds += letter.hold_placed
    run.letters_sent = counts[LetterStatus.SENT]
    run.letters_recorded = counts[LetterStatus.RECORDED]
    run.letters_skipped = counts[LetterStatus.SKIPPED]
    run.letters_failed = counts[LetterStatus.FAILED]
    run.tasks_created = tasks
    run.holds_placed = holds
    run.save()
    return run


def promises_settle(*, on: date) -> tuple[int, int]:
    """Close the open promises to pay the money has decided by `on`: kept once the customer
    has paid the amount (receipts from the day the promise was made to the day promised),
    broken when that day has passed without it. A broken promise gives the customer's owner a
    task to call, and dunning resumes. Returns (kept, broken)."""
    with transaction.atomic():
        decided = promises_with_received(
            for_update(PaymentPromise.objects.filter(status=PromiseStatus.OPEN))
        ).filter(Q(promised_on__lt=on) | Q(received__gte=F("amount")))
        kept = broken = 0
        for promise in decided.select_related("customer").order_by("pk"):
            received: Decimal = promise.received  # type: ignore[attr-defined]  # annotated
            if received >= promise.amount:
                promise.status = PromiseStatus.KEPT
                kept += 1
            else:
                promise.status = PromiseStatus.BROKEN
                broken += 1
                _broken_promise_task(promise, received=received, on=on)
            promise._change_reason = _("Dunning run of %(on)s") % {"on": on.isoformat()}  # type: ignore[attr-defined]
            promise.save(update_fields=["status"])
    return kept, broken


def _broken_promise_task(promise: PaymentPromise, *, received: Decimal, on: date) -> None:
    customer = promise.customer
    if customer.owner_id is None:
        return
    CollectionTask.objects.create(
        customer=customer,
        owner_id=customer.owner_id,
        due_on=on,
        text=(
            _(
                "%(customer)s promised %(amount)s by %(day)s and paid %(received)s: "
                "call about the promise."
            )
            % {
                "customer": customer.name,
                "amount": f"{promise.amount:,.2f}",
                "day": promise.promised_on.isoformat(),
                "received": f"{received:,.2f}",
            }
        )[:300],
    )


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
