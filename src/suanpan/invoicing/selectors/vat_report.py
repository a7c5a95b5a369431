"""The output VAT report (销项税额统计): net, tax and invoice count per VAT rate and month of a
year, blue and red netted, and each month tied out against the credits the ledger's output VAT
account took that month.

The invoice side is one grouped query over the invoice lines; the ledger side is the account's
general ledger (its monthly movements, two queries whatever the history). The difference column
is what an accountant looks at: invoices recorded without posting (history imports), vouchers
entered by hand on the account, or a voucher still missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from suanpan.catalog.choices import VatRateKey
from suanpan.core.sums import fen_sum, yuan
from suanpan.invoicing.choices import InvoiceKind, InvoiceStatus
from suanpan.invoicing.models import InvoiceLine
from suanpan.invoicing.selectors.invoices import invoice_visible
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.selectors import account_for_role, general_ledger, period_choices
from suanpan.users.models import User

ZERO = Decimal("0.00")
# The rates in the order the VAT return lists them.
RATE_ORDER = [key for key, _label in VatRateKey.choices]


@dataclass(frozen=True)
class VatCell:
    """One rate in one month (or the year): amounts excluding tax, tax, invoices blue and red."""

    net_amount: Decimal = ZERO
    tax_amount: Decimal = ZERO
    blue_count: int = 0
    red_count: int = 0

    def __add__(self, other: VatCell) -> VatCell:
        return VatCell(
            self.net_amount + other.net_amount,
            self.tax_amount + other.tax_amount,
            self.blue_count + other.blue_count,
            self.red_count + other.red_count,
        )


@dataclass(frozen=True)
class VatMonth:
    """A month: its cells by rate (in `VatReport.rates` order), their total, the credits the
    ledger's output VAT account took and the difference (report tax less ledger credits)."""

    month: int
    cells: list[VatCell]
    total: VatCell
    ledger_credit: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.ledger_credit is None:
            return None
        return self.total.tax_amount - self.ledger_credit


@dataclass(frozen=True)
class VatReport:
    year: int
    rates: list[tuple[str, str]]
    months: list[VatMonth]
    totals: list[VatCell]
    total: VatCell
    ledger_credit: Decimal | None
    # The account the tie-out reads, None when the books have no output VAT account yet.
    account_label: str = ""

    @property
    def difference(self) -> Decimal | None:
        if self.ledger_credit is None:
            return None
        return self.total.tax_amount - self.ledger_credit


def _invoice_side(user: User, year: int) -> dict[tuple[int, str], VatCell]:
    """One grouped query: per month and rate, the lines' net and tax and the invoices counted
    once per rate, blue and red apart. Voided invoices count nowhere."""
    invoices = (
        invoice_visible(user=user).filter(issued_on__year=year).exclude(status=InvoiceStatus.VOIDED)
    )
    rows = (
        InvoiceLine.objects.filter(invoice__in=invoices)
        .values("vat_rate_key", month=ExtractMonth("invoice__issued_on"))
        .annotate(
            net=fen_sum("net_amount"),
            tax=fen_sum("tax_amount"),
            blue=Count("invoice", distinct=True, filter=Q(invoice__kind=InvoiceKind.BLUE)),
            red=Count("invoice", distinct=True, filter=Q(invoice__kind=InvoiceKind.RED)),
        )
        .order_by()
    )
    return {
        (row["month"], row["vat_rate_key"]): VatCell(
            yuan(row["net"]), yuan(row["tax"]), row["blue"], row["red"]
        )
        for row in rows
    }


def _ledger_side(year: int) -> tuple[dict[int, Decimal] | None, str]:
    """Credits on the output VAT account (and any sub-account) per month of the year, from the
    ledger's general ledger; None when the books have no such account."""
    account = account_for_role(AccountRole.VAT_OUTPUT)
    if account is None:
        return None, ""
    label = f"{account.code} {account.name}"
    periods = [period for period in period_choices() if period.year == year]
    if not periods:
        return {}, label
    rows = general_ledger(account=account, period_from=periods[0], period_to=periods[-1])
    return {row.month: row.credit for row in rows if row.year == year}, label


def vat_output_report(*, user: User, year: int) -> VatReport:
    """Output VAT by rate and month of `year` for the invoices the user sees, with the ledger's
    output VAT credits beside each month."""
    cells = _invoice_side(user, year)
    keys = {key for _month, key in cells}
    rates = [(key, str(VatRateKey(key).label)) for key in RATE_ORDER if key in keys]
    rates += [(key, key) for key in sorted(keys - set(RATE_ORDER))]
    credits, label = _ledger_side(year)
    months = []
    totals = [VatCell() for _rate in rates]
    for month in range(1, 13):
        row = [cells.get((month, key), VatCell()) for key, _label in rates]
        total = sum(row, VatCell())
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        months.append(
            VatMonth(
                month=month,
                cells=row,
                total=total,
                ledger_credit=None if credits is None else credits.get(month, ZERO),
            )
        )
    return VatReport(
        year=year,
        rates=rates,
        months=months,
        totals=totals,
        total=sum(totals, VatCell()),
        ledger_credit=None if credits is None else sum(credits.values(), ZERO),
        account_label=label,
    )
