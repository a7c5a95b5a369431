"""Bad-debt provisions (坏账准备) under 企业会计准则: the provision matrix by ageing bucket,
individual provisions for named customers, and the period-end run that posts the difference
between required and existing provision. Write-offs and recoveries are `bad_debts`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.locks import for_update
from suanpan.customers.choices import CustomerGrade
from suanpan.ledger.services import (
    PostingEvent,
    business_dates_require,
    period_for_posting,
    posting_post,
)
from suanpan.receivables.calculations import provisions
from suanpan.receivables.choices import ProvisionBucket
from suanpan.receivables.errors import (
    BadDebtInvalid,
)
from suanpan.receivables.models import (
    IndividualProvision,
    ProvisionRate,
    ProvisionRun,
)
from suanpan.receivables.selectors.bad_debts import (
    period_end,
    provision_preview,
)
from suanpan.receivables.services.settlements import customer_for
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    pass

from suanpan.receivables.services.bad_debts import amount_problem

ZERO = Decimal(0)
RATE_PLACES = Decimal("0.0001")


def _rate_problem(rate: Decimal | None) -> str | None:
    if rate is None or not rate.is_finite():
        return _("Enter a rate.")
    if rate < 0 or rate > 1:
        return _("A rate lies between 0 and 1 (0.05 is 5%).")
    if rate != rate.quantize(RATE_PLACES):
        return _("A rate has at most four decimals (0.0525 is 5.25%).")
    return None


# --- The matrix and individual provisions -------------------------------------------------


@dataclass(frozen=True)
class RateInput:
    """One cell of the matrix: `grade` "" for every customer, or one grade's own rate; a rate of
    None removes the cell (a grade's bucket then takes the default rate, a default one 0)."""

    bucket: int
    rate: Decimal | None
    grade: str = ""


@audited
@transaction.atomic
def provision_rates_save(*, rates: Sequence[RateInput], actor: User) -> list[ProvisionRate]:
    """Set the matrix's rates: each cell given is replaced or removed. All or nothing."""
    permission_require(actor, "receivables.change_provisionrate")
    errors: dict[str, list[str]] = {}
    for index, cell in enumerate(rates):
        if cell.bucket not in ProvisionBucket.values:
            errors.setdefault(f"rates.{index}", []).append(_("Choose an ageing bucket."))
        if cell.grade and cell.grade not in CustomerGrade.values:
            errors.setdefault(f"rates.{index}", []).append(_("Choose a customer grade."))
        problem = None if cell.rate is None else _rate_problem(cell.rate)
        if problem:
            errors.setdefault(f"rates.{index}", []).append(problem)
    if len({(c.grade, c.bucket) for c in rates}) != len(rates):
        errors.setdefault("rates", []).append(_("Each bucket and grade takes one rate."))
    if errors:
        raise BadDebtInvalid(fields=errors)
    saved = []
    for cell in rates:
        if cell.rate is None:
            for row in ProvisionRate.objects.filter(bucket=cell.bucket, grade=cell.grade):
                row.delete()
            continue
        row, _created = ProvisionRate.objects.update_or_create(
            bucket=cell.bucket, grade=cell.grade, defaults={"rate": cell.rate}
        )
        saved.append(row)
    return saved


@dataclass(frozen=True)
class IndividualInput:
    """A named customer's provision: `amount` or `rate`, never both."""

    customer_id: int
    reason: str
    amount: Decimal | None = None
    rate: Decimal | None = None
    is_active: bool = True


def _individual_problems(data: IndividualInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.reason.strip():
        errors["reason"] = [_("Say why this customer is provided for on its own.")]
    if (data.amount is None) == (data.rate is None):
        errors["amount"] = [_("Give either an amount or a rate.")]
    elif data.amount is not None:
        problem = amount_problem(data.amount)
        if problem:
            errors["amount"] = [problem]
    else:
        problem = _rate_problem(data.rate)
        if problem:
            errors["rate"] = [problem]
    return errors


@audited
@transaction.atomic
def individual_provision_save(*, data: IndividualInput, actor: User) -> IndividualProvision:
    """Provide for a named customer on its own (单项计提), or change its provision."""
    permission_require(actor, "receivables.add_individualprovision")
    errors = _individual_problems(data)
    if errors:
        raise BadDebtInvalid(fields=errors)
    customer = customer_for(actor, data.customer_id)
    found = for_update(IndividualProvision.objects.filter(customer=customer)).first()
    provision = found or IndividualProvision(customer=customer, created_by=actor)
    provision.amount = data.amount
    provision.rate = data.rate
    provision.reason = data.reason.strip()[:300]
    provision.is_active = data.is_active
    provision.save()
    return provision


# --- The period-end run ---------------------------------------------------------------------


@audited
@transaction.atomic
def provision_post(*, period: str, actor: User) -> ProvisionRun | None:
    """Post the difference between the required provision and the provision account's
    balance as of the period's last day; None when there is none. The month is locked first,
    so two runs queue and the second finds the first's voucher in the balance: re-running posts
    only what changed since. A closed period is refused."""
    permission_require(actor, "receivables.add_provisionrun")
    key, as_of = period_end(period)
    business_dates_require({"period": as_of})
    period_for_posting(as_of)
    preview = provision_preview(period=key)
    if preview.change == 0:
        return None
    run = ProvisionRun.objects.create(
        period=key,
        as_of=as_of,
        required_amount=preview.required.total,
        existing_amount=preview.existing,
        change_amount=preview.change,
        created_by=actor,
    )
    month = {"period": f"{key[:4]}-{key[4:]}"}
    summary = (
        _("Bad-debt provision for %(period)s") % month
        if preview.change > 0
        else _("Bad-debt provision released for %(period)s") % month
    )
    posting_post(
        event=PostingEvent(
            source_type=provisions.SOURCE_PROVISION,
            source_id=str(run.pk),
            event=provisions.EVENT_PROVIDE,
            date=as_of,
            summary=summary,
            lines=provisions.provision_lines(preview.change, summary=summary),
        ),
        actor=actor,
    )
    return run
