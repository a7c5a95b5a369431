"""Dunning (催款): a day's run writes one consolidated letter per customer, e-mails it and takes
its level's actions (a collection task for the customer's owner, a credit hold); promises to
pay, the customers' dunning settings, the levels and the collection tasks.

A run is once a day (the run row is unique per day, so two racing runs cannot both write).
Each customer's letter is its own transaction: a failure with one customer's e-mail is logged
on that letter, the others go out, and a failed letter's items are dunned again next time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.locks import for_update
from suanpan.customers.services import customer_credit_hold
from suanpan.ledger.selectors import company_letterhead
from suanpan.receivables.calculations.dunning import TableRow, items_table
from suanpan.receivables.choices import (
    DunningLanguage,
    LetterStatus,
    PromiseStatus,
)
from suanpan.receivables.errors import (
    DunningAlreadyRun,
    DunningInvalid,
)
from suanpan.receivables.models import (
    CollectionTask,
    DunningLetter,
    DunningLetterItem,
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


# ---------------------------------------------------------------------------- letters


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
            letter, on=on, company=company_letterhead()[0] if company is None else company
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
    company, _tax_number = company_letterhead()
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
