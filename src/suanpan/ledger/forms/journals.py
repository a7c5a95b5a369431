"""The account summary's range (科目汇总表): by dates, or by a month's voucher numbers; one
validation for the page, the API and the CLI. And the choice of a print layout."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.ledger import selectors
from suanpan.ledger.choices import PrintLayout, VoucherWord
from suanpan.ledger.filters.journals import ALL, POSTED, STATUS_CHOICES

MAX_LEVEL = 9
# Voucher numbers go up to what a PositiveIntegerField holds.
MAX_NUMBER = 2_147_483_647


class AccountSummaryForm(StyledFormMixin, forms.Form):
    """A range of vouchers: dated from … to …, or of one month (`period`), of a word and a range
    of numbers; posted vouchers or all; accounts to `level`."""

    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=7,
        required=False,
        help_text=gettext_lazy("A month as YYYYMM, e.g. 202611, instead of dates"),
    )
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput())
    date_to = forms.DateField(
        label=pgettext_lazy("date range", "To"), required=False, widget=DateInput()
    )
    word = forms.ChoiceField(
        label=gettext_lazy("Word"),
        choices=[("", gettext_lazy("All words")), *VoucherWord.choices],
        required=False,
    )
    number_from = forms.IntegerField(
        label=gettext_lazy("From number"), min_value=1, max_value=MAX_NUMBER, required=False
    )
    number_to = forms.IntegerField(
        label=gettext_lazy("To number"), min_value=1, max_value=MAX_NUMBER, required=False
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=STATUS_CHOICES, required=False)
    level = forms.IntegerField(
        label=gettext_lazy("Account levels"), min_value=1, max_value=MAX_LEVEL, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key = (data.get("period") or "").strip().replace("-", "")
        if key:
            period = selectors.period_by_key(key)
            if period is None:
                self.add_error("period", _("No period %(key)s in the books.") % {"key": key})
                return data
            if data.get("date_from") or data.get("date_to"):
                self.add_error("date_from", _("Choose a period or dates, not both."))
                return data
            data["date_from"] = selectors.period_first_day(period)
            data["date_to"] = selectors.period_last_day(period)
        else:
            for name in ("date_from", "date_to"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Choose a period or both dates."))
            if data.get("number_from") or data.get("number_to"):
                self.add_error(
                    "number_from",
                    _("Voucher numbers start again each month: choose the period."),
                )
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The range ends before it starts."))
        low, high = data.get("number_from"), data.get("number_to")
        if low and high and low > high:
            self.add_error("number_to", _("The range ends before it starts."))
        return data

    def summary_kwargs(self) -> dict[str, Any]:
        """What `selectors.account_summary` takes, from a valid form."""
        data = self.cleaned_data
        return {
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "word": data.get("word") or None,
            "number_from": data.get("number_from"),
            "number_to": data.get("number_to"),
            "posted_only": (data.get("status") or POSTED) != ALL,
            "level": data.get("level") or 1,
        }


class PrintForm(StyledFormMixin, forms.Form):
    layout = forms.ChoiceField(
        label=gettext_lazy("Layout"), choices=PrintLayout.choices, required=False
    )

    def layout_chosen(self) -> str:
        return (self.cleaned_data.get("layout") if self.is_valid() else "") or PrintLayout.A4_TWO
