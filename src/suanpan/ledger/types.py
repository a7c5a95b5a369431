"""What other apps hand the ledger: business events in account roles. No Django here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from suanpan.ledger.calculations import ZERO


class Role(StrEnum):
    """The account roles business code posts to (labels and the chart mapping live in the
    ledger: `choices.AccountRole` takes its values from here)."""

    CASH = "cash"
    BANK = "bank"
    NOTES_RECEIVABLE = "notes_receivable"
    RECEIVABLE = "receivable"
    RECEIVABLE_UNBILLED = "receivable_unbilled"
    CUSTOMER_ADVANCE = "customer_advance"
    BAD_DEBT_PROVISION = "bad_debt_provision"
    INVENTORY = "inventory"
    GOODS_SHIPPED = "goods_shipped"
    STOCK_ADJUSTMENT = "stock_adjustment"
    PAYABLE = "payable"
    VAT_OUTPUT = "vat_output"
    VAT_OUTPUT_PENDING = "vat_output_pending"
    VAT_TRANSFER_OUT = "vat_transfer_out"
    VAT_UNPAID = "vat_unpaid"
    REVENUE = "revenue"
    COGS = "cogs"
    SELLING_EXPENSE = "selling_expense"
    ADMIN_EXPENSE = "admin_expense"
    FINANCIAL_EXPENSE = "financial_expense"
    CREDIT_LOSS = "credit_loss"
    NON_OPERATING_INCOME = "non_operating_income"
    NON_OPERATING_EXPENSE = "non_operating_expense"
    CURRENT_YEAR_PROFIT = "current_year_profit"
    RETAINED_EARNINGS = "retained_earnings"
    PRIOR_YEAR_ADJUSTMENT = "prior_year_adjustment"


@dataclass(frozen=True)
class RoleLine:
    """A voucher line as business code posts it: an account role and a customer number."""

    role: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    dimension_code: str = ""
    # The values of DimensionKind.CUSTOMER and VoucherWord.ZHUAN (choices.py needs Django).
    dimension_kind: str = "customer"
    summary: str = ""
    due_on: date | None = None
    # The document the line belongs to when one voucher posts for several (a batch transfer
    # of advances, a line pair per settlement): its open item names this source instead of
    # the voucher's, so the document finds its own items. Blank: the voucher's source.
    source_type: str = ""
    source_id: str = ""


@dataclass(frozen=True)
class PostingEvent:
    """One business event to post: posting the same (source, event) twice gives one voucher."""

    source_type: str
    source_id: str
    event: str
    date: date
    summary: str
    lines: tuple[RoleLine, ...]
    word: str = "转"
    red: bool = False

    @property
    def key(self) -> str:
        return f"{self.source_type}:{self.source_id}:{self.event}"


@dataclass(frozen=True)
class ItemMatch:
    """Settle `amount` of a positive open item with a negative one (same account and customer):
    what `open_items_match_many` takes, many at once."""

    debit_item_id: int
    credit_item_id: int
    amount: Decimal


class TransferSource(StrEnum):
    """The source type of the period-end transfer vouchers (期末结转); the source id is the
    period (YYYYMM), and for a template's voucher the period and the template's id
    (202601/7). A report of a month's profit and loss as it was earned leaves out the
    carry-forwards (`PNL`, `YEAR_END`)."""

    VAT = "ledger.transfer.vat"
    TEMPLATE = "ledger.transfer.template"
    PNL = "ledger.transfer.pnl"
    YEAR_END = "ledger.transfer.year_end"


@dataclass(frozen=True)
class LineMatch:
    """Settle `amount` of an existing open item against the open item that line `line_no`
    (from 1) of the event keyed `event_key` makes as it is posted: a transfer that settles at
    once (`posting_post_matched`). The line's item is written already settled."""

    item_id: int
    event_key: str
    line_no: int
    amount: Decimal
