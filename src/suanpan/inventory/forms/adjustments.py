"""Stock adjustment header form; the lines come from `forms.lines`."""

from __future__ import annotations

from suanpan.core.forms import DateInput
from suanpan.inventory.forms.documents import DocumentHeaderForm
from suanpan.inventory.models import StockAdjustment


class StockAdjustmentForm(DocumentHeaderForm):
    class Meta:
        model = StockAdjustment
        fields = ["warehouse", "adjusted_on", "reason"]
        widgets = {"adjusted_on": DateInput()}
