"""Manual vouchers: draft, review, post, reverse."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.locks import for_update
from suanpan.ledger.choices import (
    VoucherStatus,
)
from suanpan.ledger.errors import (
    VoucherAlreadyReversed,
    VoucherInvalid,
    VoucherMakerCannotReview,
    VoucherStateInvalid,
)
from suanpan.ledger.models import (
    OpenItem,
    Voucher,
    VoucherLine,
)
from suanpan.ledger.selectors import company_get
from suanpan.ledger.services.cash_flow import (
    cash_flow_entry_check,
    cash_flow_entry_write,
    cash_flow_tags_fill,
)
from suanpan.ledger.services.effects import _post_saved
from suanpan.ledger.services.lines import LineInput, _lines_validate, _lines_write, _word_check
from suanpan.ledger.services.open_items import _match_write
from suanpan.ledger.services.periods import business_dates_require, period_for_posting
from suanpan.users.models import User
from suanpan.users.permissions import permission_require


def _draft_check(*, on: date, word: str, summary: str, lines: Sequence[LineInput]) -> None:
    """What a draft must have: a date within the window, a word in use, a summary, valid and
    balanced lines."""
    business_dates_require(
        {"date": on}, {f"lines.{index}.due_on": line.due_on for index, line in enumerate(lines)}
    )
    _word_check(word)
    if not summary.strip():
        raise VoucherInvalid(fields={"summary": [_("A voucher needs a summary.")]})
    _lines_validate(lines, red=False)
    cash_flow_entry_check(lines)


@transaction.atomic
def voucher_create(
    *,
    actor: User,
    date: date,
    summary: str,
    lines: Sequence[LineInput],
    word: str | None = None,
    attachments: int = 0,
) -> Voucher:
    """Save a manual voucher as a draft; it is numbered when posted."""
    permission_require(actor, "ledger.add_voucher")
    word = word or company_get().default_word
    _draft_check(on=date, word=word, summary=summary, lines=lines)
    period = period_for_posting(date)
    voucher = Voucher.objects.create(
        period=period,
        word=word,
        date=date,
        summary=summary.strip(),
        attachments=attachments,
        maker=actor,
    )
    cash_flow_entry_write(_lines_write(voucher, lines), lines)
    return voucher


def _voucher_locked(voucher: Voucher, status: str) -> Voucher:
    """The voucher, locked for the change; refused unless it is in `status`."""
    # The voucher only: the services lock the month they post into through period_for_posting.
    voucher = for_update(Voucher.objects.select_related("period")).get(pk=voucher.pk)
    if voucher.status != status:
        raise VoucherStateInvalid(voucher=str(voucher), status=voucher.get_status_display())
    return voucher


@transaction.atomic
def voucher_update(
    *,
    actor: User,
    voucher: Voucher,
    date: date,
    summary: str,
    lines: Sequence[LineInput],
    word: str | None = None,
    attachments: int = 0,
) -> Voucher:
    """Replace a draft's content; reviewed or posted vouchers cannot be edited."""
    permission_require(actor, "ledger.change_voucher")
    voucher = _voucher_locked(voucher, VoucherStatus.DRAFT)
    word = word or voucher.word
    _draft_check(on=date, word=word, summary=summary, lines=lines)
    voucher.period = period_for_posting(date)
    voucher.word, voucher.date, voucher.summary = word, date, summary.strip()
    voucher.attachments = attachments
    voucher.save()
    voucher.lines.all().delete()
    cash_flow_entry_write(_lines_write(voucher, lines), lines)
    return voucher


@transaction.atomic
def voucher_delete(*, actor: User, voucher: Voucher) -> None:
    permission_require(actor, "ledger.delete_voucher")
    voucher = _voucher_locked(voucher, VoucherStatus.DRAFT)
    voucher.delete()


@transaction.atomic
def voucher_review(*, actor: User, voucher: Voucher) -> Voucher:
    """Draft → reviewed, by someone other than the maker."""
    permission_require(actor, "ledger.review_voucher")
    voucher = _voucher_locked(voucher, VoucherStatus.DRAFT)
    if voucher.maker_id == actor.pk:
        raise VoucherMakerCannotReview()
    voucher.status, voucher.reviewer = VoucherStatus.REVIEWED, actor
    voucher.save(update_fields=["status", "reviewer"])
    return voucher


@transaction.atomic
def voucher_unreview(*, actor: User, voucher: Voucher) -> Voucher:
    permission_require(actor, "ledger.review_voucher")
    voucher = _voucher_locked(voucher, VoucherStatus.REVIEWED)
    voucher.status, voucher.reviewer = VoucherStatus.DRAFT, None
    voucher.save(update_fields=["status", "reviewer"])
    return voucher


@transaction.atomic
def voucher_post(*, actor: User, voucher: Voucher) -> Voucher:
    """Reviewed → posted: numbered, chained, totalled, its open items created."""
    permission_require(actor, "ledger.post_voucher")
    voucher = _voucher_locked(voucher, VoucherStatus.REVIEWED)
    period = period_for_posting(voucher.date)
    voucher.period = period
    lines = list(voucher.lines.select_related("account", "dimension"))
    inputs = [
        LineInput(x.account, x.debit_amount, x.credit_amount, x.dimension, x.summary, x.due_on)
        for x in lines
    ]
    _lines_validate(inputs, red=voucher.reverses_id is not None)
    _post_saved(voucher, lines, actor=actor)
    cash_flow_tags_fill(vouchers=[voucher])
    return voucher


@transaction.atomic
def voucher_reverse(
    *, actor: User, voucher: Voucher, on: date | None = None, summary: str = ""
) -> Voucher:
    """Correct a posted voucher with its red copy (negative amounts), posted at once.

    Open items of the original are matched against the red ones as far as they are open.
    """
    permission_require(actor, "ledger.reverse_voucher")
    original = _voucher_locked(voucher, VoucherStatus.POSTED)
    if Voucher.objects.filter(reverses=original).exists():
        raise VoucherAlreadyReversed(voucher=str(original))
    on = on or timezone.localdate()
    business_dates_require({"date": on})
    if on < original.date:
        raise VoucherInvalid(
            fields={"date": [_("A reversal cannot be dated before the voucher it corrects.")]}
        )
    period = period_for_posting(on)
    red = Voucher.objects.create(
        period=period,
        word=original.word,
        date=on,
        summary=summary or _("Reversal of %(voucher)s") % {"voucher": original},
        maker=actor,
        reverses=original,
        source_type=original.source_type,
        source_id=original.source_id,
    )
    original_lines = list(original.lines.select_related("account", "dimension"))
    red_lines = VoucherLine.objects.bulk_create(
        [
            VoucherLine(
                voucher=red,
                line_no=line.line_no,
                account=line.account,
                dimension=line.dimension,
                summary=line.summary,
                debit_amount=-line.debit_amount,
                credit_amount=-line.credit_amount,
                due_on=line.due_on,
            )
            for line in original_lines
        ]
    )
    _post_saved(red, red_lines, actor=actor)
    cash_flow_tags_fill(vouchers=[red])
    # Settle each original item against its red twin as far as it is still open; the
    # originals are locked like open_item_match locks them.
    items = for_update(
        OpenItem.objects.filter(line__voucher__in=[original, red]).select_related("line")
    ).order_by("pk")
    twins: dict[int, OpenItem] = {}
    originals: list[OpenItem] = []
    for item in items:
        if item.line.voucher_id == red.pk:
            twins[item.line.line_no] = item
        else:
            originals.append(item)
    for item in originals:
        twin = twins.get(item.line.line_no)
        if twin is None:
            continue
        amount = min(abs(item.open_amount), abs(twin.open_amount))
        if amount > 0:
            debit, credit = (item, twin) if item.amount > 0 else (twin, item)
            _match_write(debit, credit, amount=amount, on=on, actor=actor)
    return red
