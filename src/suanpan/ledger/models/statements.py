"""Financial statements: the definitions an accountant may adjust, the cash-flow items, the
mapping from counter-accounts to items, and the item each cash line carries."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suanpan.core.fields import MoneyField, acted_by_field
from suanpan.ledger.choices import (
    CashFlowActivity,
    CashFlowDirection,
    CashFlowTagSource,
    FinancialStatementKind,
    StatementFormat,
    StatementRowKind,
    StatementSide,
)


class StatementDefinition(models.Model):
    """The rows of one statement in one format, as the accountant keeps them.

    Without a stored definition the statement reads the shipped default for the chart
    (`statement_templates`); saving or restoring stores every row.
    """

    kind = models.CharField(_("statement"), max_length=20, choices=FinancialStatementKind.choices)
    format = models.CharField(_("format"), max_length=10, choices=StatementFormat.choices)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = acted_by_field(_("changed by"))

    class Meta:
        verbose_name = _("statement definition")
        verbose_name_plural = _("statement definitions")
        constraints = [
            models.UniqueConstraint(fields=["kind", "format"], name="ledger_statement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.format})"


class StatementRow(models.Model):
    """A row of a statement: a heading, an item defined by accounts (or cash-flow items), or a
    subtotal of other lines, each referred to by its line number (行次)."""

    definition = models.ForeignKey(
        StatementDefinition,
        on_delete=models.CASCADE,
        related_name="rows",
        verbose_name=_("statement definition"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    line_no = models.PositiveSmallIntegerField(_("line number"), null=True, blank=True)
    # What the page's checks look for (total assets, net profit …): kept when a row is edited.
    key = models.CharField(_("key"), max_length=40, blank=True)
    label = models.CharField(_("label"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=StatementRowKind.choices)
    formula = models.CharField(_("formula"), max_length=1000, blank=True)
    side = models.CharField(
        _("side"), max_length=5, choices=StatementSide.choices, default=StatementSide.LEFT
    )
    indent = models.PositiveSmallIntegerField(_("indent"), default=0)

    class Meta:
        verbose_name = _("statement row")
        verbose_name_plural = _("statement rows")
        ordering = ["definition", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "position"], name="ledger_statement_row_position"
            ),
            models.UniqueConstraint(
                fields=["definition", "line_no"],
                condition=Q(line_no__isnull=False),
                name="ledger_statement_row_line",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_no or ''} {self.label}".strip()


class CashFlowItem(models.Model):
    """A line of the cash-flow statement a cash movement is classified under (现金流量项目)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    activity = models.CharField(_("activity"), max_length=10, choices=CashFlowActivity.choices)
    direction = models.CharField(_("direction"), max_length=7, choices=CashFlowDirection.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("cash-flow item")
        verbose_name_plural = _("cash-flow items")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CashFlowMapping(models.Model):
    """The item a cash line takes by default from its counter-account (and its sub-accounts):
    one for money coming in, one for money going out."""

    account = models.OneToOneField(
        "ledger.Account",
        on_delete=models.CASCADE,
        related_name="cash_flow_mapping",
        verbose_name=_("counter-account"),
    )
    inflow_item = models.ForeignKey(
        CashFlowItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item for money received"),
    )
    outflow_item = models.ForeignKey(
        CashFlowItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item for money paid"),
    )

    class Meta:
        verbose_name = _("cash-flow mapping")
        verbose_name_plural = _("cash-flow mappings")

    def __str__(self) -> str:
        return str(self.account_id)


class CashFlowTag(models.Model):
    """The cash-flow item of a line on a cash account.

    Kept beside the line rather than on it: a posted line never changes, while its
    classification may be corrected afterwards. Once the voucher is posted the tag carries its
    month and signed amount (money in positive), so the statement sums tags of a range through
    one index without reading lines.
    """

    line = models.OneToOneField(
        "ledger.VoucherLine",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="cash_flow_tag",
        verbose_name=_("voucher line"),
    )
    item = models.ForeignKey(
        CashFlowItem,
        on_delete=models.PROTECT,
        related_name="tags",
        verbose_name=_("cash-flow item"),
    )
    period = models.ForeignKey(
        "ledger.Period", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = MoneyField(_("amount"), default=0)
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=CashFlowTagSource.choices,
        default=CashFlowTagSource.ENTRY,
    )
    changed_by = acted_by_field(_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cash-flow tag")
        verbose_name_plural = _("cash-flow tags")
        indexes = [models.Index(fields=["period", "item"], name="ledger_cashflow_period_item")]

    def __str__(self) -> str:
        return f"{self.line_id} → {self.item_id}"
