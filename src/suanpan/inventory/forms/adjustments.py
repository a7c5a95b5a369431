"""Stock adjustment header form; the lines come from `forms.lines`."""

from __future__ import annotations

from django import forms

from suanpan.inventory.forms.documents import DocumentHeaderForm
from suanpan.inventory.models import StockAdjustment


class StockAdjustmentForm(DocumentHeaderForm):
    class Meta:
        model = StockAdjustment
        fields = ["warehouse", "adjusted_on", "reason"]
        widgets = {"adjusted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
