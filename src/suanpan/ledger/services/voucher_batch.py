"""Batch review and batch post of a selection of vouchers: all or nothing.

Each voucher goes through the single-voucher service (`voucher_review`, `voucher_post`), so a
batch keeps exactly their rules — the maker never reviews their own voucher, only reviewed
vouchers post, closed months take nothing — and numbers, chain and totals come as they do one
by one. A voucher the service refuses is noted and the batch goes on, to name every refusal;
then, if any was refused, the whole transaction rolls back and nothing has changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.db import transaction

from suanpan.core.errors import DomainError
from suanpan.core.locks import for_update
from suanpan.ledger.errors import Refusal, VoucherBatchRefused
from suanpan.ledger.models import Voucher
from suanpan.ledger.selectors.journals import vouchers_by_ids
from suanpan.ledger.services.vouchers import voucher_post, voucher_review
from suanpan.users.models import User
from suanpan.users.permissions import permission_require


def _reason(exc: DomainError) -> str:
    details = [message for messages in exc.fields.values() for message in messages]
    return " ".join(details) if details else exc.message


def _batch(
    *,
    actor: User,
    ids: Iterable[int],
    perm: str,
    service: Callable[..., Voucher],
) -> list[Voucher]:
    permission_require(actor, perm)
    vouchers = vouchers_by_ids(ids=ids)
    positions = {v.pk: index for index, v in enumerate(vouchers)}
    # Every voucher of the selection is locked first, in id order (locking.md row 15), so two
    # batches over the same vouchers queue instead of deadlocking; then they are worked in
    # date order, so the months they post into are locked in date order too (row 16).
    list(for_update(Voucher.objects.filter(pk__in=positions)).order_by("pk").values_list("pk"))
    refusals: list[Refusal] = []
    done: list[Voucher] = []
    for voucher in sorted(vouchers, key=lambda v: (v.date, v.pk)):
        try:
            done.append(service(actor=actor, voucher=voucher))
        except DomainError as exc:
            refusals.append(
                Refusal(positions[voucher.pk], voucher.pk, voucher.display_number, _reason(exc))
            )
    if refusals:
        raise VoucherBatchRefused(sorted(refusals))
    by_id = {v.pk: v for v in done}
    return [by_id[v.pk] for v in vouchers]


@transaction.atomic
def voucher_review_batch(*, actor: User, ids: Sequence[int]) -> list[Voucher]:
    """Review every voucher of the selection, or none: VoucherBatchRefused names each one
    `voucher_review` refuses (not a draft, or made by the actor) and why."""
    return _batch(actor=actor, ids=ids, perm="ledger.review_voucher", service=voucher_review)


@transaction.atomic
def voucher_post_batch(*, actor: User, ids: Sequence[int]) -> list[Voucher]:
    """Post every voucher of the selection, or none: VoucherBatchRefused names each one
    `voucher_post` refuses (not reviewed, its month closed, its lines no longer valid)."""
    return _batch(actor=actor, ids=ids, perm="ledger.post_voucher", service=voucher_post)
