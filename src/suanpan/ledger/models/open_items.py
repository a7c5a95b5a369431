"""Open items of open-item managed accounts and the matches (核销) that settle them."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from suanpan.core.fields import MoneyField, acted_by_field, created_by_field


class OpenItem(models.Model):
    """A posted line on an open-item managed account (往来): signed, debit positive."""

    line = models.OneToOneField(
        "ledger.VoucherLine",
        on_delete=models.PROTECT,
        related_name="open_item",
        verbose_name=_("line"),
    )
    # Neither key has an index of its own: the composite indexes below start with each, and
    # every index more is written on each insert and each open-amount update.
    account = models.ForeignKey(
        "ledger.Account", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    dimension = models.ForeignKey(
        "ledger.Dimension", on_delete=models.PROTECT, related_name="open_items", db_index=False
    )
    posted_on = models.DateField(_("posting date"))
    due_on = models.DateField(_("due date"))
    amount = MoneyField(_("amount"))
    # What is still open now (after every match not undone), signed like the item. Kept by
    # open_item_match/open_item_unmatch under the item's lock, so reports read one column
    # instead of summing matches; open_items_check recomputes it from the matches.
    open_amount = MoneyField(_("open amount"), default=0)
    source_type = models.CharField(_("source type"), max_length=50, blank=True)
    source_id = models.CharField(_("source id"), max_length=50, blank=True)
    # Copied from the posted voucher and line, which never change, so that a customer's item
    # list and an item's history read this table alone instead of three per row.
    voucher_number = models.CharField(_("voucher"), max_length=30, blank=True)
    summary = models.CharField(_("summary"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("open item")
        verbose_name_plural = _("open items")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_item_not_zero"),
            # Never matched beyond the item's amount, nor settled past zero, even by raw SQL.
            models.CheckConstraint(
                condition=Q(amount__gt=0, open_amount__gte=0, open_amount__lte=F("amount"))
                | Q(amount__lt=0, open_amount__lte=0, open_amount__gte=F("amount")),
                name="ledger_item_open_within_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "dimension", "posted_on"], name="ledger_item_acct_dim"),
            models.Index(fields=["account", "due_on"], name="ledger_item_due"),
            models.Index(fields=["source_type", "source_id"], name="ledger_item_source"),
            # Ageing and open-item lists read only what is still open. On PostgreSQL the index
            # also carries what ageing reads of an item, so the report reads the index alone,
            # in customer order, and sums each customer's items as they come (no hash table).
            models.Index(
                fields=["account", "dimension"],
                condition=~Q(open_amount=0),
                include=["due_on", "posted_on", "open_amount"],
                name="ledger_item_open_aged",
            ),
            # A customer's items in the order lists show them.
            models.Index(
                fields=["dimension", "due_on", "posted_on", "id"], name="ledger_item_dim_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension.code} {self.amount}"


class OpenItemMatch(models.Model):
    """Settles part or all of a positive item against a negative one (核销); undone, not deleted."""

    # Indexed by (item, matched_on) below, not twice.
    debit_item = models.ForeignKey(
        OpenItem,
        on_delete=models.PROTECT,
        related_name="debit_matches",
        verbose_name=_("debit item"),
        db_index=False,
    )
    credit_item = models.ForeignKey(
        OpenItem,
        on_delete=models.PROTECT,
        related_name="credit_matches",
        verbose_name=_("credit item"),
        db_index=False,
    )
    amount = MoneyField(_("amount"))
    matched_on = models.DateField(_("match date"))
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    undone_on = models.DateField(_("undone on"), null=True, blank=True)
    undone_by = acted_by_field(_("undone by"))

    class Meta:
        verbose_name = _("open-item match")
        verbose_name_plural = _("open-item matches")
        permissions = [("match_open_items", _("Can match and unmatch open items"))]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_match_positive"),
            models.CheckConstraint(
                condition=~Q(debit_item=F("credit_item")), name="ledger_match_two_items"
            ),
        ]
        indexes = [
            models.Index(fields=["debit_item", "matched_on"], name="ledger_match_debit"),
            models.Index(fields=["credit_item", "matched_on"], name="ledger_match_credit"),
            # Open amounts as of a past date start from today's and undo what happened since.
            models.Index(fields=["matched_on"], name="ledger_match_on"),
            models.Index(
                fields=["undone_on"],
                condition=Q(undone_on__isnull=False),
                name="ledger_match_undone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.debit_item_id} ↔ {self.credit_item_id}: {self.amount}"
