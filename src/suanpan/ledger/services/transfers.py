"""Period-end transfers (期末结转): posting them, the templates companies define, and the close
check that keeps a month with open income and expense accounts from closing.

A transfer voucher is a voucher like any other: it takes the next number of its word and
month, joins the hash chain and the period totals. Like the vouchers of business documents it
is posted when it is made; the preview the user confirms is its check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.locks import for_update
from suanpan.ledger import selectors
from suanpan.ledger.calculations import transfers as maths
from suanpan.ledger.choices import (
    Direction,
    TransferBasis,
    TransferKind,
)
from suanpan.ledger.errors import (
    TransferNotAvailable,
    TransferOutOfOrder,
    TransferTemplateInUse,
    TransferTemplateInvalid,
    TransferUnbalanced,
    TransferUnknown,
)
from suanpan.ledger.models import (
    Account,
    Period,
    TransferTemplate,
    TransferTemplateLine,
    Voucher,
    VoucherLine,
)
from suanpan.ledger.selectors.transfer_balances import source_id
from suanpan.ledger.selectors.transfers import SOURCES
from suanpan.ledger.services.effects import _chain_assign, _post_effects
from suanpan.ledger.services.lines import LineInput, _line_rows, _lines_validate
from suanpan.ledger.services.periods import business_dates_require, period_for_posting
from suanpan.ledger.types import TransferSource
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

RUN_PERMISSION = "ledger.run_transfer"
MAX_TEMPLATE_LINES = 50
# A rate is a fraction with six places: a percentage with four (12.3456 %).
RATE_PLACES = Decimal("0.000001")

# ------------------------------------------------------------------------------ posting


def _word() -> str:
    """转 where the company writes 收付转 vouchers, else its one word (记)."""
    company = selectors.company_get()
    return "转" if "转" in company.voucher_words else company.default_word


@transaction.atomic
def transfer_post(
    *, actor: User, period: Period, kind: str, template: TransferTemplate | None = None
) -> Voucher | None:
    """Post what the transfer's preview shows for the month, dated its last day: None when
    there is nothing left to post (re-running posts only the difference).

    Refused when the month is closed, the transfer does not apply (a role not mapped, the
    year-end outside December, a deactivated template), a template does not balance, or an
    earlier transfer still has something to post (VAT before templates, both before profit
    and loss, profit and loss before the year-end). The template and then the month are locked
    first, so two runs queue and the second finds the first's voucher in the books.
    """
    permission_require(actor, RUN_PERMISSION)
    if kind not in TransferKind.values or (kind == TransferKind.TEMPLATE) != (template is not None):
        raise TransferNotAvailable(period=period.key, reason=_("there is no such transfer"))
    if kind == TransferKind.YEAR_END and period.month != 12:
        raise TransferNotAvailable(
            period=period.key, reason=_("the year-end transfer runs in December")
        )
    if template is not None:
        template = for_update(TransferTemplate.objects.all()).get(pk=template.pk)
        template = selectors.transfer_template_get(pk=template.pk)
    last_day = selectors.period_last_day(period)
    business_dates_require({"period": last_day})
    period = period_for_posting(last_day)
    preview = selectors.transfer_preview(period=period, kind=kind, template=template)
    if preview.unavailable:
        raise TransferNotAvailable(period=period.key, reason=preview.unavailable)
    if preview.error:
        raise TransferUnbalanced(template=preview.label, reason=preview.error)
    if preview.blocked_by:
        raise TransferOutOfOrder(period=period.key, first=", ".join(preview.blocked_by))
    if not preview.lines:
        return None
    source = SOURCES[TransferKind(kind)]
    sid = source_id(period, template)
    runs = Voucher.objects.filter(source_type=source, source_id=sid, source_event__isnull=False)
    voucher = Voucher(
        period=period,
        word=_word(),
        date=last_day,
        summary=preview.summary[:200],
        maker=actor,
        source_type=source,
        source_id=sid,
        source_event=f"{source}:{sid}:{runs.count() + 1}",
    )
    inputs = [
        LineInput(row.account, row.debit, row.credit, row.dimension, row.summary[:200])
        for row in preview.lines
    ]
    # Templates post to the accounts the user chose, which must take postings; the other
    # transfers empty what holds a balance, a deactivated account or customer included.
    _lines_validate(inputs, red=False, closing=kind != TransferKind.TEMPLATE)
    rows = _line_rows(voucher, inputs)
    _chain_assign([(voucher, rows)], actor=actor)
    voucher.save()
    VoucherLine.objects.bulk_create(rows)
    _post_effects([(voucher, rows)])
    return voucher


def transfer_keys_parse(text: str) -> list[tuple[str, TransferTemplate | None]]:
    """“vat,templates,pnl” → the transfers named, in the order they run; `templates` is every
    active template, `template:7` one. Unknown names are refused, each named."""
    wanted: list[tuple[str, TransferTemplate | None]] = []
    unknown = []
    for raw in (part.strip() for part in text.split(",")):
        if not raw:
            continue
        key = raw.lower().replace("_", "-")
        if key in (TransferKind.VAT, TransferKind.PNL, TransferKind.YEAR_END):
            wanted.append((key, None))
        elif key == "templates":
            wanted += [
                (TransferKind.TEMPLATE, t) for t in selectors.transfer_template_list(active=True)
            ]
        elif key.startswith("template:") and key[9:].isdigit():
            found = TransferTemplate.objects.filter(pk=int(key[9:])).first()
            if found is None:
                unknown.append(raw)
            else:
                wanted.append((TransferKind.TEMPLATE, found))
        else:
            unknown.append(raw)
    if unknown:
        raise TransferUnknown(names=", ".join(unknown))
    order = {kind: index for index, kind in enumerate(TransferKind.values)}
    seen: set[tuple[str, int | None]] = set()
    result = []
    for kind, template in sorted(
        wanted, key=lambda item: (order[item[0]], item[1].sequence if item[1] else 0)
    ):
        ident = (kind, template.pk if template else None)
        if ident not in seen:
            seen.add(ident)
            result.append((kind, template))
    return result


@transaction.atomic
def transfers_post(
    *, actor: User, period: Period, transfers: Sequence[tuple[str, TransferTemplate | None]]
) -> list[Voucher]:
    """Post several transfers of a month in their order, all or none: the vouchers made."""
    made = []
    for kind, template in transfers:
        voucher = transfer_post(actor=actor, period=period, kind=kind, template=template)
        if voucher is not None:
            made.append(voucher)
    return made


# ------------------------------------------------------------------------------ the close check


def transfers_close_check(period: Period) -> list[str]:
    """What a month may not close with: income or expense accounts holding a balance (结转损益
    not run since), and in December 本年利润 not moved to 未分配利润."""
    problems = []
    url = selectors.transfer_url(period)
    open_pnl = selectors.pnl_open_accounts(period=period)
    if open_pnl:
        problems.append(
            _(
                "income and expense accounts are not carried forward: %(accounts)s "
                "(carry them forward on the period-end transfers page, %(url)s)"
            )
            % {"accounts": selectors.accounts_named(open_pnl), "url": url}
        )
    open_profit = selectors.year_end_open_accounts(period=period)
    if open_profit:
        problems.append(
            _(
                "the year's profit is not moved to retained earnings: %(accounts)s "
                "(run the year-end transfer on the period-end transfers page, %(url)s)"
            )
            % {"accounts": selectors.accounts_named(open_profit), "url": url}
        )
    return problems


# ------------------------------------------------------------------------------ templates


@dataclass(frozen=True)
class TemplateLineInput:
    """A template line as entered: the account posted, its side, and how its amount is found
    (a percentage names the account it reads and a rate, a fraction: 0.07 for 7 %)."""

    account: Account
    direction: str
    basis: str
    source_account: Account | None = None
    rate: Decimal | None = None
    summary: str = ""


@dataclass(frozen=True)
class TemplateInput:
    name: str
    lines: Sequence[TemplateLineInput] = field(default_factory=tuple)
    summary: str = ""
    sequence: int = 10
    is_active: bool = True


def _template_check(data: TemplateInput, *, pk: int | None) -> None:
    """Every problem at once, by field: name, lines and each line's account, basis and rate."""
    errors: dict[str, list[str]] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = [_("Give the template a name.")]
    elif len(name) > 100:
        errors["name"] = [_("At most 100 characters.")]
    elif TransferTemplate.objects.filter(name=name).exclude(pk=pk or 0).exists():
        errors["name"] = [_("A transfer template with this name exists.")]
    if len(data.summary.strip()) > 200:
        errors["summary"] = [_("At most 200 characters.")]
    if not 0 <= data.sequence <= 32767:
        errors["sequence"] = [_("Enter a whole number from 0 to 32767.")]
    if len(data.lines) > MAX_TEMPLATE_LINES:
        errors["lines"] = [
            _("A template has at most %(count)s lines.") % {"count": MAX_TEMPLATE_LINES}
        ]
    parents = set(
        Account.objects.filter(parent_id__in={x.account.pk for x in data.lines}).values_list(
            "parent_id", flat=True
        )
    )
    for index, line in enumerate(data.lines):
        prefix = f"lines.{index}"
        account = line.account
        if account.pk in parents:
            errors[f"{prefix}.account"] = [
                _("Post to a leaf account, not to %(account)s.") % {"account": account}
            ]
        elif not account.is_active:
            errors[f"{prefix}.account"] = [
                _("Account %(account)s is deactivated.") % {"account": account}
            ]
        elif account.requires_customer:
            errors[f"{prefix}.account"] = [
                _("Account %(account)s needs a customer on each line; templates post none.")
                % {"account": account}
            ]
        if line.direction not in Direction.values:
            errors[f"{prefix}.direction"] = [_("Choose debit or credit.")]
        if line.basis not in TransferBasis.values:
            errors[f"{prefix}.basis"] = [_("Choose how the amount is found.")]
        elif line.basis in maths.PERCENTAGE_BASES:
            if line.source_account is None:
                errors[f"{prefix}.source_account"] = [_("Name the account the percentage reads.")]
            if line.rate is None or not 0 < line.rate <= 1:
                errors[f"{prefix}.rate"] = [_("Enter a percentage above 0 and at most 100.")]
            elif line.rate != line.rate.quantize(RATE_PLACES):
                errors[f"{prefix}.rate"] = [_("A percentage has at most four decimals.")]
        else:
            if line.source_account is not None:
                errors[f"{prefix}.source_account"] = [
                    _("Only a percentage reads another account; leave it empty.")
                ]
            if line.rate is not None:
                errors[f"{prefix}.rate"] = [_("Only a percentage takes a rate; leave it empty.")]
        if len(line.summary) > 200:
            errors[f"{prefix}.summary"] = [_("At most 200 characters.")]
    if "lines" not in errors and not any(key.startswith("lines.") for key in errors):
        problem = maths.rules_problem(
            [
                maths.RuleLine(
                    account_id=x.account.pk,
                    direction=x.direction,
                    basis=x.basis,
                    base=Decimal(0),
                    rate=x.rate,
                    source_id=x.source_account.pk if x.source_account else None,
                )
                for x in data.lines
            ]
        )
        if problem is not None:
            errors["lines"] = [RULE_PROBLEMS[problem]()]
    if errors:
        raise TransferTemplateInvalid(fields=errors)


RULE_PROBLEMS = {
    "too_few": lambda: _("A template has at least two lines."),
    "two_balancing": lambda: _("Only one line may take what balances the voucher."),
    "only_balancing": lambda: _("Besides the balancing line, give a line an amount."),
    "whole_without_balancing": lambda: _(
        "A line that moves a whole balance needs a line that balances the voucher."
    ),
    "rates_differ": lambda: _(
        "The lines would not balance: each account read must be taken at the same total "
        "percentage on the debit and the credit side, or give a line that balances the voucher."
    ),
}


def _lines_save(template: TransferTemplate, lines: Sequence[TemplateLineInput]) -> None:
    """Change lines in place by number, so their history shows what changed; add or remove
    the ones past the old or new end."""
    existing = {line.line_no: line for line in template.lines.all()}
    for number, data in enumerate(lines, start=1):
        line = existing.pop(number, None) or TransferTemplateLine(template=template, line_no=number)
        values = {
            "account": data.account,
            "direction": data.direction,
            "basis": data.basis,
            "source_account": data.source_account,
            "rate": data.rate,
            "summary": data.summary.strip(),
        }
        changed = line.pk is None or any(
            getattr(line, name) != value for name, value in values.items()
        )
        if changed:
            for name, value in values.items():
                setattr(line, name, value)
            line.save()
    for line in existing.values():
        line.delete()


@audited
@transaction.atomic
def transfer_template_create(*, actor: User, data: TemplateInput) -> TransferTemplate:
    permission_require(actor, "ledger.add_transfertemplate")
    _template_check(data, pk=None)
    template = TransferTemplate.objects.create(
        name=data.name.strip(),
        summary=data.summary.strip(),
        sequence=data.sequence,
        is_active=data.is_active,
        created_by=actor,
    )
    _lines_save(template, data.lines)
    return template


@audited
@transaction.atomic
def transfer_template_update(
    *, actor: User, template: TransferTemplate, data: TemplateInput
) -> TransferTemplate:
    """Change a template; vouchers it posted stay as they are, the next run posts the
    difference the new rules make for that month."""
    permission_require(actor, "ledger.change_transfertemplate")
    template = for_update(TransferTemplate.objects.all()).get(pk=template.pk)
    _template_check(data, pk=template.pk)
    values = {
        "name": data.name.strip(),
        "summary": data.summary.strip(),
        "sequence": data.sequence,
        "is_active": data.is_active,
    }
    if any(getattr(template, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(template, name, value)
        template.save()
    _lines_save(template, data.lines)
    return template


@audited
@transaction.atomic
def transfer_template_delete(*, actor: User, template: TransferTemplate) -> None:
    """Delete a template entered by mistake; one that has posted vouchers is deactivated
    instead, so its vouchers keep naming it."""
    permission_require(actor, "ledger.delete_transfertemplate")
    template = for_update(TransferTemplate.objects.all(), key_share=False).get(pk=template.pk)
    if Voucher.objects.filter(
        source_type=TransferSource.TEMPLATE, source_id__endswith=f"/{template.pk}"
    ).exists():
        raise TransferTemplateInUse(template=template.name)
    for line in template.lines.all():
        line.delete()
    template.delete()


__all__ = [
    "RUN_PERMISSION",
    "TemplateInput",
    "TemplateLineInput",
    "transfer_keys_parse",
    "transfer_post",
    "transfer_template_create",
    "transfer_template_delete",
    "transfer_template_update",
    "transfers_close_check",
    "transfers_post",
]
