from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.core.badges import badge_tones
from suanpan.ledger.types import Role


class AccountingStandard(models.TextChoices):
    CAS = "cas", _("Accounting Standards for Business Enterprises (企业会计准则)")
    ASBE_SE = "asbe_se", _("Accounting Standard for Small Enterprises (小企业会计准则)")


class RevenuePolicy(models.TextChoices):
    ON_DELIVERY = "on_delivery", _("Recognise revenue on delivery (signed for)")
    ON_INVOICE = "on_invoice", _("Recognise revenue on invoice")


class Direction(models.TextChoices):
    DEBIT = "debit", _("Debit")
    CREDIT = "credit", _("Credit")


class AccountCategory(models.TextChoices):
    ASSET = "asset", _("Assets")
    LIABILITY = "liability", _("Liabilities")
    COMMON = "common", _("Common")
    EQUITY = "equity", _("Owners' equity")
    COST = "cost", _("Costs")
    PROFIT_LOSS = "profit_loss", _("Profit and loss")


class AccountRole(models.TextChoices):
    """What business code posts to; each company maps a role to one leaf account."""

    CASH = Role.CASH.value, _("Cash on hand")
    BANK = Role.BANK.value, _("Bank deposits")
    NOTES_RECEIVABLE = Role.NOTES_RECEIVABLE.value, _("Notes receivable")
    RECEIVABLE = Role.RECEIVABLE.value, _("Accounts receivable")
    RECEIVABLE_UNBILLED = Role.RECEIVABLE_UNBILLED.value, _("Delivered, not yet invoiced")
    CUSTOMER_ADVANCE = Role.CUSTOMER_ADVANCE.value, _("Customer advances")
    BAD_DEBT_PROVISION = Role.BAD_DEBT_PROVISION.value, _("Bad-debt provision")
    INVENTORY = Role.INVENTORY.value, _("Inventory goods")
    GOODS_SHIPPED = Role.GOODS_SHIPPED.value, _("Goods shipped")
    STOCK_ADJUSTMENT = Role.STOCK_ADJUSTMENT.value, _("Stock gains and losses pending")
    PAYABLE = Role.PAYABLE.value, _("Accounts payable")
    VAT_OUTPUT = Role.VAT_OUTPUT.value, _("Output VAT")
    VAT_OUTPUT_PENDING = Role.VAT_OUTPUT_PENDING.value, _("Output VAT to be recognised")
    VAT_TRANSFER_OUT = Role.VAT_TRANSFER_OUT.value, _("VAT payable transferred out")
    VAT_UNPAID = Role.VAT_UNPAID.value, _("Unpaid VAT")
    REVENUE = Role.REVENUE.value, _("Revenue")
    COGS = Role.COGS.value, _("Cost of goods sold")
    SELLING_EXPENSE = Role.SELLING_EXPENSE.value, _("Selling expenses")
    ADMIN_EXPENSE = Role.ADMIN_EXPENSE.value, _("Administrative expenses")
    FINANCIAL_EXPENSE = Role.FINANCIAL_EXPENSE.value, _("Financial expenses")
    CREDIT_LOSS = Role.CREDIT_LOSS.value, _("Credit impairment losses")
    NON_OPERATING_INCOME = Role.NON_OPERATING_INCOME.value, _("Non-operating income")
    NON_OPERATING_EXPENSE = Role.NON_OPERATING_EXPENSE.value, _("Non-operating expenses")
    CURRENT_YEAR_PROFIT = Role.CURRENT_YEAR_PROFIT.value, _("Current-year profit")
    RETAINED_EARNINGS = Role.RETAINED_EARNINGS.value, _("Retained earnings")
    PRIOR_YEAR_ADJUSTMENT = Role.PRIOR_YEAR_ADJUSTMENT.value, _("Prior-year profit adjustments")


class VoucherWord(models.TextChoices):
    JI = "记", _("记 (general)")
    SHOU = "收", _("收 (receipt)")
    FU = "付", _("付 (payment)")
    ZHUAN = "转", _("转 (transfer)")


class VoucherStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed")
    POSTED = "posted", _("Posted")


badge_tones(
    "voucher",
    {VoucherStatus.POSTED: "text-bg-success", VoucherStatus.REVIEWED: "text-bg-info"},
    other="text-bg-secondary",
    labels=VoucherStatus,
)


class PeriodStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("period", "Open")
    CLOSED = "closed", pgettext_lazy("period", "Closed")


class DimensionKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")


class TransferKind(models.TextChoices):
    """The period-end transfers (期末结转), in the order they run."""

    VAT = "vat", _("VAT payable transferred out (转出未交增值税)")
    TEMPLATE = "template", _("Transfer template")
    PNL = "pnl", _("Profit and loss carried forward (结转损益)")
    YEAR_END = "year-end", _("Current-year profit to retained earnings (年末结转)")


class TransferBasis(models.TextChoices):
    """How a transfer template's line finds its amount."""

    BALANCE = "balance", _("Percentage of an account's balance")
    MOVEMENT = "movement", _("Percentage of an account's movement in the month")
    WHOLE_BALANCE = "whole_balance", _("The line's account's whole balance")
    BALANCING = "balancing", _("What balances the voucher")


class PrintLayout(models.TextChoices):
    """How vouchers are printed: on A4 two or three to a page, or one to a voucher slip."""

    A4_TWO = "a4-2", _("A4, two vouchers a page")
    A4_THREE = "a4-3", _("A4, three vouchers a page")
    SLIP = "slip", _("Voucher paper, 241 × 140 mm")


class FinancialStatementKind(models.TextChoices):
    BALANCE_SHEET = "balance-sheet", _("Balance sheet (资产负债表)")
    INCOME = "income", _("Income statement (利润表)")
    CASH_FLOW = "cash-flow", _("Cash-flow statement (现金流量表)")


class StatementFormat(models.TextChoices):
    """The official formats: the general one (一般企业, 财会〔2019〕6号) and the small
    enterprises' one (会小企01–03表); the company's standard picks the default."""

    CAS = AccountingStandard.CAS.value, _("General enterprises (一般企业)")
    ASBE_SE = AccountingStandard.ASBE_SE.value, _("Small enterprises (小企业)")


class StatementRowKind(models.TextChoices):
    ITEM = "item", _("Item (accounts or cash-flow items)")
    SUBTOTAL = "subtotal", _("Subtotal (sum of lines)")
    HEADING = "heading", _("Heading (no figure)")


class StatementSide(models.TextChoices):
    """Where a balance-sheet row stands: the assets column or the claims on them."""

    LEFT = "left", _("Assets side")
    RIGHT = "right", _("Liabilities and equity side")


class CashFlowActivity(models.TextChoices):
    OPERATING = "operating", _("Operating activities")
    INVESTING = "investing", _("Investing activities")
    FINANCING = "financing", _("Financing activities")
    OTHER = "other", _("Exchange-rate effects")


class CashFlowDirection(models.TextChoices):
    INFLOW = "inflow", _("Inflow")
    OUTFLOW = "outflow", _("Outflow")


class CashFlowTagSource(models.TextChoices):
    ENTRY = "entry", _("Entered with the voucher")
    DEFAULT = "default", _("Default by counter-account")
    MANUAL = "manual", _("Tagged afterwards")
