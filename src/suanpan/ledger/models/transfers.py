"""Transfer templates (自定义转账): what a company moves between accounts every month-end."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from suanpan.core.audit import history_user
from suanpan.core.fields import created_by_field
from suanpan.ledger.choices import Direction, TransferBasis


class TransferTemplate(models.Model):
    """A month-end transfer the company defines (附加税 accruals, 制造费用 into 生产成本 …)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    summary = models.CharField(
        _("voucher summary"),
        max_length=200,
        blank=True,
        help_text=_("Blank: the template's name."),
    )
    sequence = models.PositiveSmallIntegerField(
        _("order"), default=10, help_text=_("Templates run in this order, lowest first.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"], get_user=history_user)

    class Meta:
        verbose_name = _("transfer template")
        verbose_name_plural = _("transfer templates")
        ordering = ["sequence", "name", "id"]
        permissions = [("run_transfer", _("Can run period-end transfers"))]

    def __str__(self) -> str:
        return self.name


class TransferTemplateLine(models.Model):
    """One line of a template: the account posted, its side and how its amount is found."""

    template = models.ForeignKey(
        TransferTemplate,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("transfer template"),
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    account = models.ForeignKey(
        "ledger.Account", on_delete=models.PROTECT, related_name="+", verbose_name=_("account")
    )
    direction = models.CharField(_("side"), max_length=6, choices=Direction.choices)
    basis = models.CharField(_("amount from"), max_length=15, choices=TransferBasis.choices)
    source_account = models.ForeignKey(
        "ledger.Account",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("of account"),
    )
    # A fraction (0.07 for 7 %), as every *_rate; pages show and take a percentage.
    rate = models.DecimalField(_("rate"), max_digits=7, decimal_places=6, null=True, blank=True)
    summary = models.CharField(_("line summary"), max_length=200, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("transfer template line")
        verbose_name_plural = _("transfer template lines")
        ordering = ["template", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "line_no"], name="ledger_transfer_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | Q(rate__gt=0, rate__lte=1),
                name="ledger_transfer_line_rate",
            ),
            # A percentage names the account it reads and the rate; the other bases neither.
            models.CheckConstraint(
                condition=(
                    Q(
                        basis__in=[TransferBasis.BALANCE, TransferBasis.MOVEMENT],
                        source_account__isnull=False,
                        rate__isnull=False,
                    )
                    | Q(
                        basis__in=[TransferBasis.WHOLE_BALANCE, TransferBasis.BALANCING],
                        source_account__isnull=True,
                        rate__isnull=True,
                    )
                ),
                name="ledger_transfer_line_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_id}/{self.line_no}"

    @property
    def percentage_text(self) -> str:
        """The rate as people write it: 7%, 12.5%."""
        if self.rate is None:
            return ""
        return f"{format((self.rate * 100).normalize(), 'f')}%"
