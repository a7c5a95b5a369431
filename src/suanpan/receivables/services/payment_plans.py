"""Payment plans (回款计划): the company's reminder setting, and reminding contract owners of
the instalments coming due that are not received yet: one e-mail per owner with all of theirs,
each instalment once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.locks import for_update
from suanpan.receivables.calculations.payment_plans import RECEIVED
from suanpan.receivables.errors import ReceivablesSettingsInvalid
from suanpan.receivables.models import PlanReminder, ReceivablesSettings
from suanpan.receivables.models.payment_plans import REMIND_DAYS_MAX
from suanpan.receivables.selectors.plan_figures import PlanRow, plan_rows, receivables_settings_get
from suanpan.sales.selectors import instalments_due
from suanpan.users.models import User
from suanpan.users.permissions import permission_require


@audited
@transaction.atomic
def receivables_settings_update(*, remind_days_before: int, actor: User) -> ReceivablesSettings:
    """Save the receivables settings (the one row, made on first save)."""
    permission_require(actor, "receivables.change_receivablessettings")
    if (
        isinstance(remind_days_before, bool)
        or not isinstance(remind_days_before, int)
        or not 0 <= remind_days_before <= REMIND_DAYS_MAX
    ):
        raise ReceivablesSettingsInvalid(
            fields={
                "remind_days_before": [_("Between 0 and %(max)s days.") % {"max": REMIND_DAYS_MAX}]
            }
        )
    row = for_update(ReceivablesSettings.objects.all()).order_by("pk").first()
    if row is None:
        row = ReceivablesSettings()
    row.remind_days_before = remind_days_before
    row.save()
    return row


@dataclass
class ReminderReport:
    """What a reminder run did: e-mails sent, instalments in them, owners it could not reach
    (no e-mail address, or the mail server refused; tried again on the next run)."""

    emails: int = 0
    instalments: int = 0
    unreachable: list[str] = field(default_factory=list)


def _digest(owner: User, rows: list[PlanRow], on: date) -> tuple[str, str]:
    subject = _("Payment plan: %(count)s instalments coming due") % {"count": len(rows)}
    lines = [
        _("Hello %(name)s,") % {"name": owner.get_full_name() or owner.get_username()},
        "",
        _(
            "These instalments of your contracts are due soon and not received in full (as of %(on)s):"
        )
        % {"on": on.isoformat()},
        "",
    ]
    for row in rows:
        instalment = row.instalment
        contract = instalment.contract
        lines.append(
            _(
                "%(due)s  %(contract)s #%(position)s  %(customer)s  planned %(planned)s, "
                "invoiced %(invoiced)s, received %(received)s, still to receive %(open)s"
            )
            % {
                "due": instalment.due_on.isoformat(),
                "contract": contract.number,
                "position": instalment.position,
                "customer": contract.customer.name,
                "planned": f"{row.figures.planned:,.2f}",
                "invoiced": f"{row.figures.invoiced:,.2f}",
                "received": f"{row.figures.received:,.2f}",
                "open": f"{row.figures.open:,.2f}",
            }
        )
    return subject, "\n".join(lines) + "\n"


def payment_plan_reminders_send(*, on: date) -> ReminderReport:
    """E-mail each contract owner one digest of their instalments due from `on` to the
    company's reminder days after it and not received in full, leaving out instalments they
    were reminded of already. The company's work, not a user's: a daily job or the CLI runs it.
    Each owner's reminders are logged in the same transaction as their e-mail is sent, so a
    failed e-mail is tried again on the next run and two runs never send one twice."""
    days = receivables_settings_get().remind_days_before
    due = instalments_due(due_from=on, due_to=on + timedelta(days=days))
    sent = set(
        PlanReminder.objects.filter(instalment_id__in=[row.pk for row in due]).values_list(
            "instalment_id", flat=True
        )
    )
    waiting = [row for row in due if row.pk not in sent and row.contract.owner_id is not None]
    by_owner: dict[int, list[PlanRow]] = defaultdict(list)
    for row in plan_rows(waiting, today=on, remind_days=days):
        if row.figures.status != RECEIVED:
            by_owner[row.instalment.contract.owner_id].append(row)
    report = ReminderReport()
    for rows in by_owner.values():
        owner = rows[0].instalment.contract.owner
        if not owner.email or not owner.is_active:
            report.unreachable.append(owner.get_username())
            continue
        subject, body = _digest(owner, rows, on)
        try:
            with transaction.atomic():
                PlanReminder.objects.bulk_create(
                    PlanReminder(
                        instalment_id=row.instalment.pk,
                        owner=owner,
                        due_on=row.instalment.due_on,
                        sent_on=on,
                    )
                    for row in rows
                )
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email])
        except IntegrityError:
            # Another run reminded this owner of these instalments a moment ago.
            continue
        except (SMTPException, OSError):
            report.unreachable.append(owner.get_username())
            continue
        report.emails += 1
        report.instalments += len(rows)
    return report
