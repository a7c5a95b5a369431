"""What every export shares: the permission, the range of posted vouchers, streaming and text."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy

from suanpan.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from suanpan.ledger.choices import VoucherStatus
from suanpan.ledger.models import Voucher, VoucherLine
from suanpan.users.models import User

EXPORT_PERMISSION = "ledger.view_ledger_reports"
CHUNK = 500
ZERO = Decimal("0.00")

Progress = Callable[[int], object]


class ExportEncodingError(DomainError):
    """A text the target encoding cannot hold (Yonyou reads GBK only)."""

    code = "ledger_export_encoding"
    default_message = gettext_lazy(
        "Voucher %(voucher)s: “%(char)s” in %(field)s cannot be written in GBK, which Yonyou "
        "reads. Change the text, or export with unencodable characters replaced by “?”."
    )


class ExportRangeInvalid(ValidationFailed):
    code = "ledger_export_range"
    default_message = gettext_lazy("Periods are written YYYYMM, e.g. 202601; %(value)s is not.")


@dataclass(frozen=True)
class ExportResult:
    vouchers: int
    lines: int


def export_permission_require(actor: User) -> None:
    if not actor.has_perm(EXPORT_PERMISSION):
        raise PermissionDeniedError()


def period_key_parse(value: str) -> tuple[int, int]:
    """ "202601" → (2026, 1); anything else is refused with the value named."""
    value = value.strip()
    if len(value) != 6 or not value.isdigit() or not 1 <= int(value[4:]) <= 12:
        raise ExportRangeInvalid(value=value)
    return int(value[:4]), int(value[4:])


def posted_vouchers(
    *, period_from: str | None = None, period_to: str | None = None
) -> QuerySet[Voucher]:
    """Posted vouchers of a period range (YYYYMM, both ends included), by date and posting."""
    queryset = Voucher.objects.filter(status=VoucherStatus.POSTED)
    if period_from:
        year, month = period_key_parse(period_from)
        queryset = queryset.filter(
            Q(period__year__gt=year) | Q(period__year=year, period__month__gte=month)
        )
    if period_to:
        year, month = period_key_parse(period_to)
        queryset = queryset.filter(
            Q(period__year__lt=year) | Q(period__year=year, period__month__lte=month)
        )
    return (
        queryset.select_related("period", "maker", "reviewer", "poster", "reverses__period")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=VoucherLine.objects.select_related("account", "dimension").order_by(
                    "line_no"
                ),
            )
        )
        .order_by("period__year", "period__month", "date", "chain_seq")
    )


def voucher_stream(queryset: QuerySet[Voucher]) -> Iterator[Voucher]:
    # iterator() with a chunk size keeps memory flat and still prefetches the lines per chunk.
    return queryset.iterator(chunk_size=CHUNK)


def person_name(user: User | None) -> str:
    return str(user) if user is not None else ""


def amount_text(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def one_line(text: str) -> str:
    return " ".join(text.split())
