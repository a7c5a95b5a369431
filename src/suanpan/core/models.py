from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentSequence(models.Model):
    """The next number of one document series in one period; locked while a number is drawn."""

    series = models.CharField(_("series"), max_length=40)
    period = models.CharField(_("period"), max_length=10, blank=True, default="")
    next_value = models.PositiveBigIntegerField(_("next value"), default=1)

    class Meta:
        verbose_name = _("document sequence")
        verbose_name_plural = _("document sequences")
        constraints = [
            models.UniqueConstraint(fields=["series", "period"], name="core_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.series}/{self.period}: {self.next_value}"
