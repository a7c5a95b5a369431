"""Customer statements (对账单) and balance confirmations (询证函): making one, e-mailing it with
its PDF and a signed answer link, recording the customer's answer (by a user, or by the
customer on the link: logged, rate-limited, once), and the monthly statements of the
customers who asked for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import DomainError, NotFound
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.customers.selectors import customer_by_id, customer_is_visible
from suanpan.ledger.services import business_dates_require
from suanpan.receivables.choices import (
    StatementAnswer,
    StatementEventKind,
    StatementKind,
    StatementStatus,
)
from suanpan.receivables.errors import (
    CustomerStatementAnswered,
    CustomerStatementInvalid,
    StatementLinkThrottled,
)
from suanpan.receivables.models import Statement, StatementEvent, StatementSchedule
from suanpan.receivables.selectors.dunning import customer_language
from suanpan.receivables.selectors.statements import (
    statement_of,
    statement_token,
    statement_token_read,
)
from suanpan.receivables.services.statement_pdf import statement_pdf_render, statement_title
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

SERIES = "DZ"
# The customer's link answers this many requests from one address in the window; past it, 429
# until the window moves on. Counted from the statement's own event log, so the limit holds
# across processes without a shared cache.
RATE_LIMIT = 30
RATE_WINDOW = timedelta(minutes=10)
# The longest period one statement may cover.
MAX_SPAN = timedelta(days=3660)
# The language of e-mails and PDFs sent to customers (customers carry no language of their own).


@dataclass(frozen=True)
class StatementInput:
    customer_id: int
    start_on: date
    end_on: date
    kind: str = StatementKind.STATEMENT


def _customer(actor: User, customer_id: int) -> Customer:
    if not customer_is_visible(user=actor, customer_id=customer_id):
        raise NotFound()
    customer = customer_by_id(customer_id)
    if customer is None:
        raise NotFound()
    return customer


def _range_problems(start_on: date, end_on: date, kind: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in StatementKind.values:
        errors["kind"] = [_("Choose a statement or a balance confirmation.")]
    if end_on < start_on:
        errors["end_on"] = [_("The period cannot end before it starts.")]
    elif end_on - start_on > MAX_SPAN:
        errors["end_on"] = [_("A statement covers at most ten years.")]
    if end_on > timezone.localdate():
        errors["end_on"] = [_("A statement cannot end after today.")]
    return errors


@audited
@transaction.atomic
def statement_create(*, data: StatementInput, actor: User) -> Statement:
    """Make a statement (draft) of the customer's account over the period, its opening and
    closing balances read from the ledger now and kept."""
    permission_require(actor, "receivables.add_statement")
    errors = _range_problems(data.start_on, data.end_on, data.kind)
    if errors:
        raise CustomerStatementInvalid(fields=errors)
    business_dates_require({"start_on": data.start_on, "end_on": data.end_on})
    customer = _customer(actor, data.customer_id)
    report = statement_of(customer=customer, start=data.start_on, end=data.end_on)
    return Statement.objects.create(
        number=number_next(series=SERIES, period=data.end_on.strftime("%Y%m")),
        customer=customer,
        kind=data.kind,
        start_on=data.start_on,
        end_on=data.end_on,
        opening_amount=report.opening,
        closing_amount=report.closing,
        created_by=actor,
    )


def statement_pdf(statement: Statement) -> bytes:
    """The statement as the customer reads it: its period's movements from the ledger."""
    report = statement_of(
        customer=statement.customer, start=statement.start_on, end=statement.end_on
    )
    return statement_pdf_render(statement=statement, report=report)


def statement_pdf_of(*, customer: Customer, start_on: date, end_on: date, reference: str) -> bytes:
    """A statement of the customer's account over the period as PDF, recorded nowhere: what a
    dunning letter carries, `reference` in the place of a statement number."""
    statement = Statement(
        number=reference,
        customer=customer,
        kind=StatementKind.STATEMENT,
        start_on=start_on,
        end_on=end_on,
    )
    report = statement_of(customer=customer, start=start_on, end=end_on)
    return statement_pdf_render(statement=statement, report=report)


def statement_answer_url(statement: Statement, *, site_url: str | None = None) -> str:
    base = (site_url or settings.SUANPAN_SITE_URL).rstrip("/")
    return base + reverse("receivables:statement_answer", args=[statement_token(statement)])


def _message(statement: Statement, *, email: str, site_url: str | None) -> EmailMessage:
    with translation.override(customer_language(customer=statement.customer)):
        title = statement_title(statement)
        subject = _("%(title)s %(number)s: %(customer)s, %(start)s to %(end)s") % {
            "title": title,
            "number": statement.number,
            "customer": statement.customer.name,
            "start": statement.start_on.isoformat(),
            "end": statement.end_on.isoformat(),
        }
        body = _(
            "Dear %(customer)s,\n\n"
            "Please find attached %(title)s %(number)s for %(start)s to %(end)s. The balance "
            "you owe us at %(end)s is %(amount)s yuan.\n\n"
            "Please confirm the balance, or tell us what differs, on this page (no sign-in "
            "needed; the link works for %(days)s days and takes one answer):\n%(url)s\n"
        ) % {
            "customer": statement.customer.name,
            "title": title,
            "number": statement.number,
            "start": statement.start_on.isoformat(),
            "end": statement.end_on.isoformat(),
            "amount": f"{statement.closing_amount:,.2f}",
            "days": settings.SUANPAN_STATEMENT_LINK_DAYS,
            "url": statement_answer_url(statement, site_url=site_url),
        }
        pdf = statement_pdf(statement)
    message = EmailMessage(subject=subject, body=body, to=[email])
    message.attach(f"{statement.number}.pdf", pdf, "application/pdf")
    return message


def _locked(statement: Statement) -> Statement:
    return for_update(Statement.objects.select_related("customer")).get(pk=statement.pk)


def _refuse_answered(statement: Statement) -> None:
    if statement.status in (StatementStatus.CONFIRMED, StatementStatus.DISPUTED):
        raise CustomerStatementAnswered(
            number=statement.number, status=statement.get_status_display()
        )


@audited
@transaction.atomic
def statement_send(
    *,
    statement: Statement,
    email: str,
    actor: User,
    site_url: str | None = None,
    connection: BaseEmailBackend | None = None,
) -> Statement:
    """E-mail the statement with its PDF and the signed answer link; sent again, the new link
    joins the old (both lead to the one statement, answered once). `connection` is the mail
    backend to use instead of the settings' (the demo's addresses are fictional)."""
    permission_require(actor, "receivables.add_statement")
    _customer(actor, statement.customer_id)
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise CustomerStatementInvalid(
            fields={"email": [_("Enter a valid e-mail address.")]}
        ) from exc
    statement = _locked(statement)
    _refuse_answered(statement)
    message = _message(statement, email=email, site_url=site_url)
    message.connection = connection
    message.send()
    now = timezone.now()
    statement.status = StatementStatus.SENT
    statement.sent_at = now
    statement.sent_to = email[:254]
    statement.save(update_fields=["status", "sent_at", "sent_to"])
    StatementEvent.objects.create(
        statement=statement,
        customer_id=statement.customer_id,
        kind=StatementEventKind.SENT,
        at=now,
        user=actor,
        notes=email[:1000],
    )
    return statement


def _answer_problems(answer: str, notes: str) -> dict[str, list[str]]:
    if answer not in StatementAnswer.values:
        return {"answer": [_("Choose confirmed or disputed.")]}
    if answer == StatementAnswer.DISPUTED and not notes:
        return {"notes": [_("Say what differs from your records.")]}
    return {}


@audited
@transaction.atomic
def statement_mark(*, statement: Statement, answer: str, notes: str, actor: User) -> Statement:
    """Record the customer's answer as a user heard it (by phone, on a returned letter)."""
    permission_require(actor, "receivables.change_statement")
    _customer(actor, statement.customer_id)
    notes = notes.strip()
    errors = _answer_problems(answer, notes)
    if errors:
        raise CustomerStatementInvalid(fields=errors)
    statement = _locked(statement)
    _refuse_answered(statement)
    now = timezone.now()
    statement.status = answer
    statement.answered_at = now
    statement.answered_by = actor
    statement.answered_online = False
    statement.answer_notes = notes[:1000]
    statement.save(
        update_fields=["status", "answered_at", "answered_by", "answered_online", "answer_notes"]
    )
    StatementEvent.objects.create(
        statement=statement,
        customer_id=statement.customer_id,
        kind=StatementEventKind.MARKED,
        at=now,
        user=actor,
        notes=f"{StatementAnswer(answer).label}: {notes}"[:1000],
    )
    return statement


def _throttle(statement: Statement, ip: str | None) -> None:
    recent = StatementEvent.objects.filter(
        statement=statement, ip=ip, at__gte=timezone.now() - RATE_WINDOW, user__isnull=True
    ).count()
    if recent >= RATE_LIMIT:
        raise StatementLinkThrottled()


def _online_event(
    statement: Statement, kind: str, *, ip: str | None, user_agent: str, notes: str = ""
) -> None:
    StatementEvent.objects.create(
        statement=statement,
        customer_id=statement.customer_id,
        kind=kind,
        ip=ip,
        user_agent=user_agent[:300],
        notes=notes[:1000],
    )


@transaction.atomic
def statement_view_online(*, token: str, ip: str | None, user_agent: str) -> Statement:
    """The customer opened the link: logged with their address and browser. A changed or
    expired link, or one asked too often from one address, is refused and logs nothing."""
    statement = statement_token_read(token)
    _throttle(statement, ip)
    _online_event(statement, StatementEventKind.VIEWED, ip=ip, user_agent=user_agent)
    return statement


@transaction.atomic
def statement_answer_online(
    *, token: str, answer: str, notes: str, ip: str | None, user_agent: str
) -> Statement:
    """The customer confirmed or disputed the balance on the signed link: no login, the
    signature is the authority. Once only: a second answer is refused (the page says what
    the first was); logged with the address and browser; rate-limited per link and address."""
    statement = statement_token_read(token)
    _throttle(statement, ip)
    notes = notes.strip()
    errors = _answer_problems(answer, notes)
    if errors:
        raise CustomerStatementInvalid(fields=errors)
    statement = _locked(statement)
    _refuse_answered(statement)
    if statement.status != StatementStatus.SENT:
        raise CustomerStatementInvalid(_("This statement was not sent; it cannot be answered."))
    statement.status = answer
    statement.answered_at = timezone.now()
    statement.answered_by = None
    statement.answered_online = True
    statement.answer_notes = notes[:1000]
    statement.save(
        update_fields=["status", "answered_at", "answered_by", "answered_online", "answer_notes"]
    )
    kind = (
        StatementEventKind.CONFIRMED
        if answer == StatementAnswer.CONFIRMED
        else StatementEventKind.DISPUTED
    )
    _online_event(statement, kind, ip=ip, user_agent=user_agent, notes=notes)
    return statement


@audited
@transaction.atomic
def statement_schedule_set(
    *, customer_id: int, email: str, is_active: bool, actor: User
) -> StatementSchedule:
    """Send the customer last month's statement every month (or stop): one schedule per
    customer, changed in place."""
    permission_require(actor, "receivables.add_statement")
    customer = _customer(actor, customer_id)
    email = email.strip()
    if is_active or email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CustomerStatementInvalid(
                fields={"email": [_("Enter a valid e-mail address.")]}
            ) from exc
    schedule = StatementSchedule.objects.filter(customer=customer).first()
    if schedule is None:
        return StatementSchedule.objects.create(customer=customer, email=email, is_active=is_active)
    schedule.email = email or schedule.email
    schedule.is_active = is_active
    schedule.save(update_fields=["email", "is_active", "updated_at"])
    return schedule


def last_month(on: date) -> tuple[date, date]:
    """The first and last day of the month before `on`'s."""
    end = on.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


@dataclass
class ScheduledRun:
    """What a run of the monthly statements did: the statements sent, and the customers whose
    statement could not be made or sent, with why (tried again on the next run)."""

    start_on: date
    end_on: date
    sent: list[Statement] = field(default_factory=list)
    failed: list[tuple[Customer, str]] = field(default_factory=list)


def statements_send_scheduled(
    *, on: date, actor: User, site_url: str | None = None
) -> ScheduledRun:
    """Send last month's statement to every active schedule whose customer has not had one
    for that month: run daily, each customer gets one a month. Each customer's statement is
    made and sent in its own transaction, so one that fails (a bad address, the mail server
    down) is rolled back alone and tried again on the next run."""
    permission_require(actor, "receivables.add_statement")
    start, end = last_month(on)
    run = ScheduledRun(start_on=start, end_on=end)
    schedules = (
        StatementSchedule.objects.filter(is_active=True).select_related("customer").order_by("pk")
    )
    # The customers sent last month's statement already: one query, not one per schedule.
    sent = set(
        Statement.objects.filter(
            kind=StatementKind.STATEMENT, start_on=start, end_on=end, sent_at__isnull=False
        ).values_list("customer_id", flat=True)
    )
    for schedule in schedules:
        if schedule.customer_id in sent:
            continue
        try:
            with transaction.atomic():
                statement = statement_create(
                    data=StatementInput(
                        customer_id=schedule.customer_id, start_on=start, end_on=end
                    ),
                    actor=actor,
                )
                run.sent.append(
                    statement_send(
                        statement=statement, email=schedule.email, actor=actor, site_url=site_url
                    )
                )
        except (DomainError, OSError) as exc:
            message = exc.message if isinstance(exc, DomainError) else str(exc)
            run.failed.append((schedule.customer, message))
    return run
