from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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

    CASH = "cash", _("Cash on hand")
    BANK = "bank", _("Bank deposits")
    NOTES_RECEIVABLE = "notes_receivable", _("Notes receivable")
    RECEIVABLE = "receivable", _("Accounts receivable")
    RECEIVABLE_UNBILLED = "receivable_unbilled", _("Delivered, not yet invoiced")
    CUSTOMER_ADVANCE = "customer_advance", _("Customer advances")
    BAD_DEBT_PROVISION = "bad_debt_provision", _("Bad-debt provision")
    INVENTORY = "inventory", _("Inventory goods")
    GOODS_SHIPPED = "goods_shipped", _("Goods shipped")
    STOCK_ADJUSTMENT = "stock_adjustment", _("Stock gains and losses pending")
    PAYABLE = "payable", _("Accounts payable")
    VAT_OUTPUT = "vat_output", _("Output VAT")
    VAT_OUTPUT_PENDING = "vat_output_pending", _("Output VAT to be recognised")
    REVENUE = "revenue", _("Revenue")
    COGS = "cogs", _("Cost of goods sold")
    SELLING_EXPENSE = "selling_expense", _("Selling expenses")
    ADMIN_EXPENSE = "admin_expense", _("Administrative expenses")
    FINANCIAL_EXPENSE = "financial_expense", _("Financial expenses")
    CREDIT_LOSS = "credit_loss", _("Credit impairment losses")
    NON_OPERATING_INCOME = "non_operating_income", _("Non-operating income")
    NON_OPERATING_EXPENSE = "non_operating_expense", _("Non-operating expenses")
    CURRENT_YEAR_PROFIT = "current_year_profit", _("Current-year profit")
    RETAINED_EARNINGS = "retained_earnings", _("Retained earnings")


class VoucherWord(models.TextChoices):
    JI = "记", _("记 (general)")
    SHOU = "收", _("收 (receipt)")
    FU = "付", _("付 (payment)")
    ZHUAN = "转", _("转 (transfer)")


class VoucherStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed")
    POSTED = "posted", _("Posted")


class PeriodStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("period", "Open")
    CLOSED = "closed", pgettext_lazy("period", "Closed")


class DimensionKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
