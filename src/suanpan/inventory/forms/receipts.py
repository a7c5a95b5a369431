"""Goods receipt header form; the lines come from `forms.lines`."""

from __future__ import annotations

from django import forms

from suanpan.core.forms import DateInput
from suanpan.inventory.forms.documents import DocumentHeaderForm
from suanpan.inventory.models import GoodsReceipt


class GoodsReceiptForm(DocumentHeaderForm):
    class Meta:
        model = GoodsReceipt
        fields = ["warehouse", "received_on", "supplier", "notes"]
        widgets = {
            "received_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
