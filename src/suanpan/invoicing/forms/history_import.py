"""The history import's upload form: the file and the choices for the whole file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.core.csv_encodings import ENCODINGS
from suanpan.core.forms import StyledFormMixin
from suanpan.core.tax import VAT_RATES


def _rate_label(key: str) -> str:
    return str(_("Exempt")) if key == "exempt" else f"{key}%"


class HistoryImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("csv or xlsx, one row per invoice line, sorted by invoice number."),
    )
    default_rate = forms.ChoiceField(
        label=_("Default VAT rate"),
        required=False,
        choices=[("", _("None: every row gives its rate"))]
        + [(key, _rate_label(key)) for key in VAT_RATES],
        help_text=_("For rows whose rate (税率) is empty."),
    )
    price_includes_tax = forms.BooleanField(
        label=_("Amounts and prices include tax"),
        required=False,
        initial=True,
        help_text=_("Where a row does not say (含税)."),
    )
    post = forms.BooleanField(
        label=_("Post revenue and receivables"),
        required=False,
        help_text=_(
            "Each invoice posts a voucher: receivable, revenue and output VAT. Leave it off to "
            "record the invoices as history only."
        ),
    )
    walk_in = forms.CharField(
        label=_("Walk-in customer"),
        required=False,
        max_length=20,
        help_text=_(
            "A customer number; rows without a customer, or with an unknown one, go to it. "
            "Empty: such rows are errors."
        ),
    )
    encoding = forms.ChoiceField(
        label=_("CSV encoding"),
        required=False,
        choices=[("", _("Detect")), *list(ENCODINGS.items())],
    )

    def options(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "default_rate": data["default_rate"],
            "price_includes_tax": data["price_includes_tax"],
            "post": data["post"],
            "walk_in": data["walk_in"].strip(),
            "encoding": data["encoding"] or None,
        }
