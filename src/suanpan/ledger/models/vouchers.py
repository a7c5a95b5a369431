"""Vouchers and their lines: drafts until posted, then never changed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suanpan.core.fields import MoneyField
from suanpan.ledger.choices import (
    VoucherStatus,
    VoucherWord,
)


class PostedVoucherImmutable(Exception):
    """Raised by any attempt to change or delete a posted voucher or its lines."""


class VoucherQuerySet(models.QuerySet["Voucher"]):
    """Bulk writes may not touch posted vouchers: corrections are reversing vouchers."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(status=VoucherStatus.POSTED).exists():
            raise PostedVoucherImmutable("posted vouchers cannot be updated")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=VoucherStatus.POSTED).exists():
            raise PostedVoucherImmutable("posted vouchers cannot be deleted")
        return super().delete()


class Voucher(models.Model):
    """A voucher (记账凭证): draft → reviewed → posted; posted ones never change."""

    # Indexed by (period, status) below, not twice.
    period = models.ForeignKey(
        "ledger.Period",
        on_delete=models.PROTECT,
        related_name="vouchers",
        verbose_name=_("period"),
        db_index=False,
    )
    word = models.CharField(
        _("voucher word"), max_length=1, choices=VoucherWord.choices, default=VoucherWord.JI
    )
    # Assigned when posted, gapless per word and period.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    date = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=200)
    attachments = models.PositiveSmallIntegerField(_("attachments"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=VoucherStatus.choices, default=VoucherStatus.DRAFT
    )
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("maker"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("poster"),
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    source_type = models.CharField(_("source type"), max_length=50, blank=True)
    source_id = models.CharField(_("source id"), max_length=50, blank=True)
    # One voucher per business event: posting the same event twice finds this one.
    source_event = models.CharField(
        _("source event"), max_length=150, null=True, blank=True, unique=True
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    chain_seq = models.PositiveBigIntegerField(
        _("chain position"), null=True, blank=True, unique=True
    )
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = VoucherQuerySet.as_manager()

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["-date", "-id"]
        permissions = [
            ("review_voucher", _("Can review vouchers")),
            ("post_voucher", _("Can post vouchers")),
            ("reverse_voucher", _("Can reverse posted vouchers")),
            ("view_ledger_reports", _("Can see ledger reports and export the books")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "word", "number"],
                condition=Q(number__isnull=False),
                name="ledger_voucher_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=VoucherStatus.POSTED, number__isnull=False, chain_seq__isnull=False
                )
                | ~Q(status=VoucherStatus.POSTED),
                name="ledger_posted_voucher_numbered",
            ),
        ]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="ledger_voucher_source"),
            models.Index(fields=["period", "status"], name="ledger_voucher_period_status"),
        ]

    def __str__(self) -> str:
        return self.display_number

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Posting is the last save of a voucher; from then on the row is frozen.
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == VoucherStatus.POSTED:
                raise PostedVoucherImmutable("posted vouchers cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.status == VoucherStatus.POSTED or (
            self.pk and type(self).objects.filter(pk=self.pk, status=VoucherStatus.POSTED).exists()
        ):
            raise PostedVoucherImmutable("posted vouchers cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def display_number(self) -> str:
        if self.number is None:
            return _("Draft %(id)s") % {"id": self.pk}
        return f"{self.word}-{self.period.key}-{self.number:04d}"


class VoucherLineQuerySet(models.QuerySet["VoucherLine"]):
    def update(self, **kwargs: Any) -> int:
        if self.filter(voucher__status=VoucherStatus.POSTED).exists():
            raise PostedVoucherImmutable("lines of posted vouchers cannot be updated")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(voucher__status=VoucherStatus.POSTED).exists():
            raise PostedVoucherImmutable("lines of posted vouchers cannot be deleted")
        return super().delete()


class VoucherLine(models.Model):
    """One line: an amount in exactly one column; negative amounts only in red vouchers."""

    # Looked up through (voucher, line_no) and (account, dimension) below: no index of their
    # own, which every posted line would write as well.
    voucher = models.ForeignKey(
        Voucher,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("voucher"),
        db_index=False,
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    account = models.ForeignKey(
        "ledger.Account",
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("account"),
        db_index=False,
    )
    dimension = models.ForeignKey(
        "ledger.Dimension",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("customer"),
    )
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    debit_amount = MoneyField(_("debit"), default=0)
    credit_amount = MoneyField(_("credit"), default=0)
    due_on = models.DateField(_("due date"), null=True, blank=True)

    objects = VoucherLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("voucher line")
        verbose_name_plural = _("voucher lines")
        ordering = ["voucher", "line_no"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit_amount=0) & ~Q(credit_amount=0))
                | (~Q(debit_amount=0) & Q(credit_amount=0)),
                name="ledger_line_one_column",
            ),
            models.UniqueConstraint(fields=["voucher", "line_no"], name="ledger_line_unique"),
        ]
        indexes = [
            models.Index(fields=["account", "dimension"], name="ledger_line_account_dim"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_id}/{self.line_no}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if (
            self.voucher_id
            and Voucher.objects.filter(pk=self.voucher_id, status=VoucherStatus.POSTED).exists()
        ):
            raise PostedVoucherImmutable("lines of posted vouchers cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if Voucher.objects.filter(pk=self.voucher_id, status=VoucherStatus.POSTED).exists():
            raise PostedVoucherImmutable("lines of posted vouchers cannot be deleted")
        return super().delete(*args, **kwargs)
