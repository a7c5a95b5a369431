"""Vouchers: the list, one voucher with its lines, counts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeAlias

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.shortcuts import get_object_or_404

from suanpan.core.filtering import filterset_qs
from suanpan.core.sums import fen_sum, yuan
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.choices import VoucherStatus
from suanpan.ledger.filters import VoucherFilter
from suanpan.ledger.models import (
    OpenItem,
    Voucher,
    VoucherLine,
)


def voucher_list(*, filters: Mapping[str, Any]) -> tuple[QuerySet[Voucher], VoucherFilter]:
    """Vouchers filtered and sorted by the one FilterSet; totals come annotated (no N+1)."""
    queryset = (
        Voucher.objects.select_related("period", "maker", "reviewer", "poster")
        .annotate(debit_fen=fen_sum("lines__debit_amount"))
        .order_by("-date", "-id")
    )
    filterset = VoucherFilter(filters, queryset=queryset)
    return filterset_qs(filterset, base=queryset), filterset


def voucher_debit_total(voucher: Voucher) -> Decimal:
    fen = getattr(voucher, "debit_fen", None)
    return yuan(fen) if fen is not None else ZERO


def voucher_get(*, pk: int) -> Voucher:
    return get_object_or_404(
        Voucher.objects.select_related(
            "period", "maker", "reviewer", "poster", "reverses", "reverses__period"
        ),
        pk=pk,
    )


def voucher_lines(*, voucher: Voucher) -> list[VoucherLine]:
    return list(
        voucher.lines.select_related("account", "dimension", "cash_flow_tag__item").order_by(
            "line_no"
        )
    )


def voucher_reversal(*, voucher: Voucher) -> Voucher | None:
    """The red voucher that reverses this one, if any."""
    return Voucher.objects.select_related("period").filter(reverses=voucher).first()


def vouchers_exist() -> bool:
    """Whether any voucher exists, draft or posted (the standard is fixed from then on)."""
    return Voucher.objects.exists()


def voucher_counts() -> dict[str, int]:
    rows = Voucher.objects.values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(VoucherStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


SourceVouchers: TypeAlias = "QuerySet[Voucher]"


def vouchers_for_source(
    *,
    source_type: str,
    source_ids: Iterable[int | str],
    event: str | None = None,
    with_shared: bool = False,
) -> SourceVouchers:
    """The vouchers a document posted (and reversed), in date order, with their periods: what
    the document's page shows. With `event`, only that event's voucher (posted or not yet).
    With `with_shared`, also the vouchers posted for several documents at once that carry a
    line of this one (a batch of settlements: the line's open item names the document), found
    in one more query."""
    ids = [str(pk) for pk in source_ids]
    own = Q(source_type=source_type, source_id__in=ids)
    if with_shared:
        shared = set(
            OpenItem.objects.filter(source_type=source_type, source_id__in=ids)
            .exclude(line__voucher__source_type=source_type)
            .values_list("line__voucher_id", flat=True)
        )
        if shared:
            own |= Q(pk__in=shared)
    vouchers = Voucher.objects.filter(own)
    if event is not None:
        vouchers = vouchers.filter(source_event__in=[f"{source_type}:{pk}:{event}" for pk in ids])
    return vouchers.select_related("period").order_by("date", "id")
